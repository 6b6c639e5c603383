import type { Json } from '../../scripts/openapi/document';
import { parseSpecYaml } from '../../scripts/load/yaml';
import type { Finding } from '../../scripts/validate/finding';

/**
 * A spec's text (JSON or YAML) as a document, or the finding that says why it is not one. JSON is
 * tried first when the text looks like it (fast on large specs); YAML, a superset, reads the rest.
 */
export function parseSpecText(text: string): { document: Json } | { finding: Finding } {
	const fail = (rule: string, message: string, fix: string) => ({
		finding: { file: 'spec', pointer: '', severity: 'error' as const, rule, message, fix },
	});
	let parsed: unknown;
	try {
		parsed = /^\s*[{[]/.test(text) ? parseJsonOrYaml(text) : parseSpecYaml(text, text.length);
	} catch (e) {
		return fail(
			'syntax',
			`not valid JSON or YAML: ${(e as Error).message.split('\n')[0]}`,
			'fix the syntax at the position the message gives',
		);
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		return fail('not-a-spec', 'the spec is not an object', 'give an OpenAPI 3.x or Swagger 2.0 document');
	return { document: parsed as Json };
}

function parseJsonOrYaml(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (jsonError) {
		// YAML forgives some of what JSON.parse does not (comments); when it fails too, JSON's message is
		// the one to show.
		try {
			return parseSpecYaml(text, text.length);
		} catch {
			throw jsonError;
		}
	}
}
