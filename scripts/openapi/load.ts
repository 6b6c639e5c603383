import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Finding } from '../validate/finding';

/** A `$ref` whose value does not start with `#` (JSON or YAML, quoted or not): only then is bundling needed. */
const EXTERNAL_REF = /\$ref["']?\s*:\s*["']?(?!#)[^\s"']/y;

/**
 * Whether the text has an external `$ref`. The pattern is tried only where `$ref` occurs (found by
 * indexOf): scanning a 13 MB spec with the pattern itself costs more than the rest of loading.
 */
function hasExternalRef(text: string): boolean {
	for (let at = text.indexOf('$ref'); at !== -1; at = text.indexOf('$ref', at + 4)) {
		EXTERNAL_REF.lastIndex = at;
		if (EXTERNAL_REF.test(text)) return true;
	}
	return false;
}

/**
 * The escaped text finds every external `$ref` the exact one has (an escape is never a quote,
 * `#` or whitespace), and maybe more where a non-ASCII space was escaped: those are checked again
 * on the exact text.
 */
function hasExternalRefIn(text: SpecText): boolean {
	return hasExternalRef(text.json) && (text.isAscii || hasExternalRef(text.exact));
}

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
	let text: SpecText;
	try {
		text = new SpecText(readFileSync(file));
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
	if (hasExternalRefIn(text)) {
		try {
			// Only files: a spec that points at the network is reported, not fetched.
			// Loaded when needed, like swagger2openapi below: most specs are one OpenAPI 3 file, and loading both costs every start about 50 ms.
			const { bundle } = await import('@apidevtools/json-schema-ref-parser');
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
		const { convertObj } = await import('swagger2openapi');
		const converted = await convertObj(structuredClone(original) as never, { patch: true, warnOnly: true, resolveInternal: false, resolve: false } as never);
		findings.push({ file: shown, pointer: '/swagger', severity: 'info', rule: 'swagger-converted', message: 'Swagger 2.0 was converted to OpenAPI 3.0 (swagger2openapi)', fix: 'nothing to do; convert the file once yourself to edit the 3.0 form' });
		return { file, original, document: converted.openapi as unknown as Json, version, findings };
	} catch (e) {
		return { file, original, version, findings: [...findings, { file: shown, pointer: '', severity: 'error', rule: 'swagger-conversion', message: `Swagger 2.0 could not be converted: ${(e as Error).message.split('\n')[0]}`, fix: 'fix the place the message names, or convert the file to OpenAPI 3 with another tool' }] };
	}
}

/**
 * A spec file's text in two forms. `exact` is the file decoded as UTF-8. `json` is the same text
 * with every non-ASCII character written as a `\uXXXX` escape: one character in GitHub's 13 MB
 * spec outside Latin-1 makes V8 hold the whole decoded file as two bytes a character, which takes
 * longer to decode and to parse than the escaped one-byte copy. JSON.parse reads both the same:
 * inside strings an escape is the character, outside strings both are syntax errors (an escape
 * that would follow a backslash is not made, see `escapeNonAscii`).
 */
class SpecText {
	private decoded?: string;
	private escaped?: string | null;
	/** Then `json` is `exact`. */
	readonly isAscii: boolean;

	constructor(private readonly bytes: Buffer) {
		this.isAscii = isAscii(bytes);
	}

	get exact(): string {
		return (this.decoded ??= this.bytes.toString('utf8'));
	}

	/** The text for JSON.parse: the escaped copy when one could be made, else the exact text. */
	get json(): string {
		if (this.escaped === undefined) this.escaped = this.isAscii ? this.bytes.toString('latin1') : escapeNonAscii(this.bytes);
		return this.escaped ?? this.exact;
	}
}

/**
 * Bytes per native `isAscii` check: non-ASCII characters are rare in specs, so only the few spans
 * that hold one are scanned character by character (a regex over all 13 MB of GitHub's spec costs
 * more than parsing it).
 */
const SPAN = 16 * 1024;

function escapeNonAscii(bytes: Buffer): string | null {
	const pieces: Buffer[] = [];
	let copied = 0;
	for (let span = 0; span < bytes.length; span += SPAN) {
		if (isAscii(bytes.subarray(span, span + SPAN))) continue;
		const spanEnd = Math.min(span + SPAN, bytes.length);
		for (let at = Math.max(span, copied); at < spanEnd; at++) {
			if (bytes[at] < 0x80) continue;
			// A run of bytes ≥ 0x80 is whole UTF-8 sequences: ASCII ends any sequence.
			let end = at;
			while (end < bytes.length && bytes[end] >= 0x80) end++;
			// After an odd number of backslashes the character is escaped: `\é` is invalid JSON, its escape would not be.
			let slashes = 0;
			while (bytes[at - 1 - slashes] === 0x5c) slashes++;
			if (slashes % 2) return null;
			pieces.push(bytes.subarray(copied, at), Buffer.from(unicodeEscapes(bytes.subarray(at, end).toString('utf8')), 'latin1'));
			copied = at = end;
		}
	}
	pieces.push(bytes.subarray(copied));
	// Joined as bytes: one copy, then one decode into a one-byte string.
	return Buffer.concat(pieces).toString('latin1');
}

function unicodeEscapes(chars: string): string {
	let out = '';
	for (let i = 0; i < chars.length; i++) out += `\\u${chars.charCodeAt(i).toString(16).padStart(4, '0')}`;
	return out;
}

/** JSON.parse when it looks like JSON (fast on large specs), YAML otherwise or when JSON fails. */
function parseText(text: SpecText): unknown {
	if (/^\s*[{[]/.test(text.json)) {
		try {
			return JSON.parse(text.json);
		} catch {
			// YAML is a superset of JSON and forgives what JSON.parse does not (comments, trailing commas are still errors).
		}
	}
	return parse(text.exact, { maxAliasCount: 1000, uniqueKeys: false });
}

function versionOf(doc: Json): LoadedSpec['version'] {
	if (String(doc.swagger) === '2.0') return '2.0';
	const v = typeof doc.openapi === 'string' ? doc.openapi : '';
	if (/^3\.0(\.|$)/.test(v)) return '3.0';
	if (/^3\.1(\.|$)/.test(v)) return '3.1';
	return undefined;
}
