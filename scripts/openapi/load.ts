import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInside } from '../load/folder';
import { parseSpecYaml } from '../load/yaml';
import { toOpenApi3 } from './convert';
import type { Json, LoadedSpec } from './document';

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

/**
 * Reads a spec (JSON or YAML, one file or several joined by external `$ref`s) and returns it as one
 * OpenAPI 3 document: external references are bundled by json-schema-ref-parser, Swagger 2.0 is
 * converted by swagger2openapi (./convert). Failures become findings, never exceptions.
 */
export async function loadSpec(file: string, shown = file, refRoot = dirname(resolve(file))): Promise<LoadedSpec> {
	const fail = (rule: string, message: string, fix: string, pointer = ''): LoadedSpec => ({
		file,
		findings: [{ file: shown, pointer, severity: 'error', rule, message, fix }],
	});
	let text: SpecText;
	try {
		text = SpecText.read(file);
	} catch (e) {
		return fail('unreadable', `cannot read the file: ${(e as Error).message}`, 'check the path');
	}
	let parsed: unknown;
	try {
		parsed = parseText(text);
	} catch (e) {
		return fail(
			'syntax',
			`not valid JSON or YAML: ${(e as Error).message.split('\n')[0]}`,
			'fix the syntax at the position the message gives',
		);
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		return fail('not-a-spec', 'the file does not hold an object', 'give an OpenAPI 3.x or Swagger 2.0 document');
	let original = parsed as Json;
	if (hasExternalRefIn(text)) {
		try {
			// Only files: a spec that points at the network is reported, not fetched.
			// Loaded when needed, like swagger2openapi (scripts/load/libraries): most specs are one OpenAPI 3
			// file, and loading both costs every start about 50 ms.
			const { bundle } = await import('@apidevtools/json-schema-ref-parser');
			const file$ = { canRead: (ref: { url: string }) => confined(ref.url, refRoot) };
			original = (await bundle(file, {
				resolve: { http: false, file: file$ },
				dereference: { circular: true },
			})) as Json;
		} catch (e) {
			const message = `an external $ref could not be resolved: ${(e as Error).message.split('\n')[0]}`;
			return fail(
				'external-ref',
				message,
				"put the referenced file in the spec's folder tree (or fix the path in the $ref)",
			);
		}
	}
	return { file, original, ...(await toOpenApi3(original, shown)) };
}

/**
 * A spec file's text in two forms. `exact` is the file decoded as UTF-8. `json` is the same text
 * with every non-ASCII character written as a `\uXXXX` escape: one character in GitHub's 13 MB
 * spec outside Latin-1 makes V8 hold the whole decoded file as two bytes a character, which takes
 * longer to decode and to parse than the escaped one-byte copy. JSON.parse reads both the same:
 * inside strings an escape is the character, outside strings both are syntax errors (an escape
 * that would follow a backslash is not made, see `escapeInPlace`).
 */
class SpecText {
	private decoded?: string;
	private escaped?: string | null;
	/** Whether escaping has rewritten the buffer, which then no longer holds the file. */
	private rewritten = false;
	/** Where the 16 KiB spans that hold a non-ASCII byte start: few, in most specs none. */
	private readonly spans: number[] = [];

	private constructor(
		private readonly file: string,
		/** The file's bytes first, then room to escape them in place. */
		private buffer: Buffer,
		/** The file's size in bytes. */
		readonly length: number,
	) {
		for (let span = 0; span < length; span += SPAN)
			if (!isAscii(buffer.subarray(span, Math.min(span + SPAN, length)))) this.spans.push(span);
	}

	static read(file: string): SpecText {
		const fd = openSync(file, 'r');
		try {
			const size = fstatSync(fd).size;
			// Pipes and special files report no size: read them whole, with no room.
			if (!size) {
				const bytes = readFileSync(fd);
				return new SpecText(file, bytes, bytes.length);
			}
			const buffer = Buffer.allocUnsafeSlow(size + (size >> 3) + 65_536);
			let read = 0;
			for (let n = 1; read < size && n; read += n) n = readSync(fd, buffer, read, size - read, read);
			return new SpecText(file, buffer, read);
		} finally {
			closeSync(fd);
		}
	}

	/** Then `json` is `exact`. */
	get isAscii(): boolean {
		return !this.spans.length;
	}

	/** Whether the text starts (after whitespace) as a JSON object or array does. */
	get looksLikeJson(): boolean {
		let at = 0;
		while (
			at < this.length &&
			(this.buffer[at] === 0x20 ||
				this.buffer[at] === 0x0a ||
				this.buffer[at] === 0x0d ||
				this.buffer[at] === 0x09)
		)
			at++;
		return this.buffer[at] === 0x7b || this.buffer[at] === 0x5b;
	}

	get exact(): string {
		// Only YAML and rare fallbacks need the exact text after escaping: reading the file again serves them.
		return (this.decoded ??= this.rewritten
			? readFileSync(this.file, 'utf8')
			: this.buffer.toString('utf8', 0, this.length));
	}

	/** The text for JSON.parse: the escaped copy when one could be made, else the exact text. */
	get json(): string {
		if (this.escaped === undefined)
			this.escaped = this.isAscii ? this.buffer.toString('latin1', 0, this.length) : this.escapeInPlace();
		return this.escaped ?? this.exact;
	}

	/**
	 * The escaped text, made in the file's own buffer: the text after each non-ASCII run moves right
	 * by what the escapes before it added, last run first, and the escapes are written into the gaps.
	 * Copying the whole text to a new buffer instead costs what fresh memory costs (GitHub's spec: as
	 * much as the file's read). Null when a backslash precedes a non-ASCII character.
	 */
	private escapeInPlace(): string | null {
		const runs = nonAsciiRuns(this.buffer, this.length, this.spans);
		if (!runs) return null;
		let shift = 0;
		for (const run of runs) shift += run.escape.length - (run.end - run.start);
		if (this.length + shift > this.buffer.length) {
			const bigger = Buffer.allocUnsafeSlow(this.length + shift);
			this.buffer.copy(bigger, 0, 0, this.length);
			this.buffer = bigger;
		}
		const escapedLength = this.length + shift;
		this.rewritten = true;
		let segmentEnd = this.length;
		for (let i = runs.length - 1; i >= 0; i--) {
			const { start, end, escape } = runs[i];
			this.buffer.copyWithin(end + shift, end, segmentEnd);
			shift -= escape.length - (end - start);
			this.buffer.write(escape, start + shift, 'latin1');
			segmentEnd = start;
		}
		return this.buffer.toString('latin1', 0, escapedLength);
	}
}

/**
 * Bytes per native `isAscii` check: non-ASCII characters are rare in specs, so only the few spans
 * that hold one are scanned character by character (a regex over all 13 MB of GitHub's spec costs
 * more than parsing it).
 */
const SPAN = 16 * 1024;

interface Run {
	start: number;
	end: number;
	/** The run's characters as `\uXXXX` escapes. */
	escape: string;
}

/**
 * The runs of non-ASCII bytes in the given spans, or null when one follows an escaping backslash (`\é` is invalid JSON,
 * its escape would not be).
 */
function nonAsciiRuns(bytes: Buffer, length: number, spans: number[]): Run[] | null {
	const runs: Run[] = [];
	let after = 0;
	for (const span of spans) {
		const spanEnd = Math.min(span + SPAN, length);
		for (let at = Math.max(span, after); at < spanEnd; at++) {
			if (bytes[at] < 0x80) continue;
			// A run of bytes ≥ 0x80 is whole UTF-8 sequences: ASCII ends any sequence.
			let end = at;
			while (end < length && bytes[end] >= 0x80) end++;
			let slashes = 0;
			while (bytes[at - 1 - slashes] === 0x5c) slashes++;
			if (slashes % 2) return null;
			runs.push({ start: at, end, escape: unicodeEscapes(bytes.toString('utf8', at, end)) });
			after = at = end;
		}
	}
	return runs;
}

function unicodeEscapes(chars: string): string {
	let out = '';
	for (let i = 0; i < chars.length; i++) out += `\\u${chars.charCodeAt(i).toString(16).padStart(4, '0')}`;
	return out;
}

/** JSON.parse when it looks like JSON (fast on large specs), YAML otherwise or when JSON fails. */
function parseText(text: SpecText): unknown {
	if (text.looksLikeJson) {
		try {
			return JSON.parse(text.json);
		} catch {
			// YAML is a superset of JSON and forgives what JSON.parse does not (comments, trailing commas are still
			// errors).
		}
	}
	return parseSpecYaml(text.exact, text.length);
}

/** Whether a `$ref`'s file lies inside `root`; throws, with a message that says so, when it does not. */
function confined(url: string, root: string): true {
	const path = url.startsWith('file:') ? fileURLToPath(url) : url;
	if (!isInside(root, path)) throw new Error(`${path} is outside ${root}, the folder $refs may read`);
	return true;
}
