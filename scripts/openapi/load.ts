import { readFileSync } from 'node:fs';
import { bundle } from '@apidevtools/json-schema-ref-parser';
import { convertObj } from 'swagger2openapi';
import { parse } from 'yaml';
import type { Finding } from '../validate/finding';

/** A `$ref` whose value does not start with `#` (JSON or YAML, quoted or not): only then is bundling needed. */
const EXTERNAL_REF = /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"']/;

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

/**
 * Reads a spec (JSON or YAML, one file or several joined by external `$ref`s) and returns it as one
 * OpenAPI 3 document: external references are bundled by json-schema-ref-parser, Swagger 2.0 is
 * converted by swagger2openapi. Failures become findings, never exceptions.
 */
export async function loadSpec(file: string, shown = file): Promise<LoadedSpec> {
	const fail = (rule: string, message: string, fix: string, pointer = ''): LoadedSpec => ({ file, findings: [{ file: shown, pointer, severity: 'error', rule, message, fix }] });
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		return fail('unreadable', `cannot read the file: ${(e as Error).message}`, 'check the path');
	}
	let parsed: unknown;
	try {
		parsed = parseText(text);
	} catch (e) {
		return fail('syntax', `not valid JSON or YAML: ${(e as Error).message.split('\n')[0]}`, 'fix the syntax at the position the message gives');
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('not-a-spec', 'the file does not hold an object', 'give an OpenAPI 3.x or Swagger 2.0 document');
	let original = parsed as Json;
	const findings: Finding[] = [];
	if (EXTERNAL_REF.test(text)) {
		try {
			// Only files: a spec that points at the network is reported, not fetched.
			original = (await bundle(file, { resolve: { http: false }, dereference: { circular: true } })) as Json;
		} catch (e) {
			return fail('external-ref', `an external $ref could not be resolved: ${(e as Error).message.split('\n')[0]}`, 'put the referenced file next to the spec (or fix the path in the $ref)');
		}
	}
	const version = versionOf(original);
	if (!version) {
		const said = String(original.openapi ?? original.swagger ?? '(none)');
		return { file, original, findings: [{ file: shown, pointer: original.openapi ? '/openapi' : original.swagger ? '/swagger' : '', severity: 'error', rule: 'unsupported-version', message: `OpenAPI version ${said} is not supported`, fix: 'give an OpenAPI 3.0/3.1 or Swagger 2.0 document (`openapi: 3.0.3` or `swagger: "2.0"`)' }] };
	}
	// The linter checks the original before it applies fixes, so 3.x needs no copy.
	if (version !== '2.0') return { file, original, document: original, version, findings };
	try {
		const converted = await convertObj(structuredClone(original) as never, { patch: true, warnOnly: true, resolveInternal: false, resolve: false } as never);
		findings.push({ file: shown, pointer: '/swagger', severity: 'info', rule: 'swagger-converted', message: 'Swagger 2.0 was converted to OpenAPI 3.0 (swagger2openapi)', fix: 'nothing to do; convert the file once yourself to edit the 3.0 form' });
		return { file, original, document: converted.openapi as unknown as Json, version, findings };
	} catch (e) {
		return { file, original, version, findings: [...findings, { file: shown, pointer: '', severity: 'error', rule: 'swagger-conversion', message: `Swagger 2.0 could not be converted: ${(e as Error).message.split('\n')[0]}`, fix: 'fix the place the message names, or convert the file to OpenAPI 3 with another tool' }] };
	}
}

/** JSON.parse when it looks like JSON (fast on large specs), YAML otherwise or when JSON fails. */
function parseText(text: string): unknown {
	if (/^\s*[{[]/.test(text)) {
		try {
			return JSON.parse(text);
		} catch {
			// YAML is a superset of JSON and forgives what JSON.parse does not (comments, trailing commas are still errors).
		}
	}
	return parse(text, { maxAliasCount: 1000, uniqueKeys: false });
}

function versionOf(doc: Json): LoadedSpec['version'] {
	if (String(doc.swagger) === '2.0') return '2.0';
	const v = typeof doc.openapi === 'string' ? doc.openapi : '';
	if (/^3\.0(\.|$)/.test(v)) return '3.0';
	if (/^3\.1(\.|$)/.test(v)) return '3.1';
	return undefined;
}
