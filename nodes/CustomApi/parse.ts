import type { Json } from '../../scripts/openapi/document';
import type { Finding } from '../../scripts/validate/finding';

/** A spec's text as a document, or the finding that says why it is not one. */
export function parseSpecText(text: string): { document: Json } | { finding: Finding } {
	const fail = (rule: string, message: string, fix: string) => ({
		finding: { file: 'spec', pointer: '', severity: 'error' as const, rule, message, fix },
	});
	if (!/^\s*[{[]/.test(text))
		return fail(
			'yaml',
			'the spec is YAML, which the Custom API node does not read yet',
			'convert the file to JSON once (any YAML-to-JSON converter) and paste the JSON',
		);
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (e) {
		return fail(
			'syntax',
			`not valid JSON: ${(e as Error).message.split('\n')[0]}`,
			'fix the syntax at the position the message gives',
		);
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		return fail('not-a-spec', 'the spec is not an object', 'give an OpenAPI 3.x or Swagger 2.0 document');
	return { document: parsed as Json };
}
