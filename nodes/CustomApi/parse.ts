import type { Json } from '../../scripts/openapi/document';
import { parseSpecYaml } from '../../scripts/load/yaml';
import type { Finding } from '../../scripts/validate/finding';

/** A spec's text (JSON or YAML) as a document, or the finding that says why it is not one. */
export function parseSpecText(text: string): { document: Json } | { finding: Finding } {
	const fail = (rule: string, message: string, fix: string) => ({
		finding: { file: 'spec', pointer: '', severity: 'error' as const, rule, message, fix },
	});
	const parsed = parseJsonOrYaml(text);
	if ('error' in parsed)
		return fail(
			'syntax',
			`not valid JSON or YAML: ${parsed.error.split('\n')[0]}`,
			'fix the syntax at the position the message gives',
		);
	const { value } = parsed;
	if (!value || typeof value !== 'object' || Array.isArray(value))
		return fail('not-a-spec', 'the spec is not an object', 'give an OpenAPI 3.x or Swagger 2.0 document');
	return { document: value as Json };
}

/**
 * JSON first when the text looks like it (fast on large specs); YAML, a superset that forgives
 * some of what JSON.parse does not (comments), reads the rest. When both fail on text that looks
 * like JSON, JSON's message is the one to show.
 */
function parseJsonOrYaml(text: string): { value: unknown } | { error: string } {
	let jsonError: string | undefined;
	if (/^\s*[{[]/.test(text)) {
		try {
			return { value: JSON.parse(text) };
		} catch (e) {
			jsonError = (e as Error).message;
		}
	}
	try {
		return { value: parseSpecYaml(text, text.length) };
	} catch (e) {
		return { error: jsonError ?? (e as Error).message };
	}
}
