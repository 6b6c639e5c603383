import { swagger2openapi } from '../load/libraries';
import type { Finding } from '../validate/finding';
import { versionOf, type Json, type LoadedSpec } from './document';

export type Converted = Pick<LoadedSpec, 'document' | 'version' | 'findings'>;

/**
 * A parsed spec as the OpenAPI 3 document the importer reads: its version checked, Swagger 2.0
 * converted by swagger2openapi. Shared by the generator's loader and the Custom API node, so both
 * accept and convert the same specs. Failures become findings, never exceptions.
 */
export async function toOpenApi3(original: Json, shown: string): Promise<Converted> {
	const finding = (
		pointer: string,
		rule: string,
		message: string,
		fix: string,
		severity: Finding['severity'] = 'error',
	): Finding => ({
		file: shown,
		pointer,
		severity,
		rule,
		message,
		fix,
	});
	const version = versionOf(original);
	if (!version) {
		const said = String(original.openapi ?? original.swagger ?? '(none)');
		const pointer = original.openapi ? '/openapi' : original.swagger ? '/swagger' : '';
		return {
			findings: [
				finding(
					pointer,
					'unsupported-version',
					`OpenAPI version ${said} is not supported`,
					'give an OpenAPI 3.0/3.1 or Swagger 2.0 document (`openapi: 3.0.3` or `swagger: "2.0"`)',
				),
			],
		};
	}
	// The linter checks the original before it applies fixes, so 3.x needs no copy.
	if (version !== '2.0') return { document: original, version, findings: [] };
	try {
		const converted = await swagger2openapi().convertObj(
			structuredClone(original) as never,
			{ patch: true, warnOnly: true, resolveInternal: false, resolve: false } as never,
		);
		return {
			document: converted.openapi as unknown as Json,
			version,
			findings: [
				finding(
					'/swagger',
					'swagger-converted',
					'Swagger 2.0 was converted to OpenAPI 3.0 (swagger2openapi)',
					'nothing to do; convert the file once yourself to edit the 3.0 form',
					'info',
				),
			],
		};
	} catch (e) {
		return {
			version,
			findings: [
				finding(
					'',
					'swagger-conversion',
					`Swagger 2.0 could not be converted: ${(e as Error).message.split('\n')[0]}`,
					'fix the place the message names, or convert the file to OpenAPI 3 with another tool',
				),
			],
		};
	}
}
