import type { Finding } from '../validate/finding';

/** An OpenAPI 3.x document as plain JSON; the mapper reads it defensively, so no stricter type. */
export type Json = Record<string, unknown>;

export interface LoadedSpec {
	file: string;
	/** The spec as its author wrote it (bundled), before any conversion or fix. */
	original?: Json;
	/** OpenAPI 3.x, bundled into one document; absent when loading failed. */
	document?: Json;
	version?: '2.0' | '3.0' | '3.1';
	findings: Finding[];
}

/** The OpenAPI version a document declares, when it is one this project reads. */
export function versionOf(doc: Json): LoadedSpec['version'] {
	if (String(doc.swagger) === '2.0') return '2.0';
	const v = typeof doc.openapi === 'string' ? doc.openapi : '';
	if (/^3\.0(\.|$)/.test(v)) return '3.0';
	if (/^3\.1(\.|$)/.test(v)) return '3.1';
	return undefined;
}
