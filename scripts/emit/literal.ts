/**
 * Serialises data as a TypeScript literal. Strings go through JSON.stringify (plus the two line
 * separators JSON leaves raw), so nothing from a definition or spec can change the code's meaning.
 */
export class Code {
	constructor(readonly code: string) {}
}

export function code(text: string): Code {
	return new Code(text);
}

/** An n8n expression the generator wrote: in what n8n reads, the only kind of string that may start with `=`. */
export class Expression {
	constructor(readonly text: string) {}
}

/** A character JSON.stringify would escape (quote, backslash, control, lone surrogate) or a line separator. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function str(value: string): string {
	// Most strings need no escaping: quoting them directly is the same text, without JSON.stringify's cost.
	if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
	return escapeLineSeparators(JSON.stringify(value));
}

/**
 * JSON leaves U+2028 and U+2029 raw: engines before ES2019 end a string literal at them. Looked for
 * with `includes`: in a first run, a regex's pass over GitHub's operation table (0.9 MB) took 6 ms.
 */
function escapeLineSeparators(json: string): string {
	return json.includes('\u2028') || json.includes('\u2029')
		? json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
		: json;
}

/**
 * Plain data (no `Code`) as JSON, which is a TypeScript literal too, with the line separators
 * escaped as `str` escapes them. For the operation table, most of a large node's text and read by
 * the runtime only: JSON.stringify writes it natively, GitHub's in a third of the literal writer's time.
 */
export function jsonLiteral(value: unknown): string {
	return escapeLineSeparators(JSON.stringify(value, null, '\t'));
}

/** `value` as a literal whose nested lines are indented one tab more than `indent`. */
export function literal(value: unknown, indent = ''): string {
	const out = new Pieces(indent, false);
	write(out, value, 0);
	return out.text();
}

/**
 * A node or credential description as a literal. n8n evaluates a default, option or URL that
 * starts with `=` as an expression, so such a string from a definition or spec is written after a
 * space, which makes it text to n8n; only an `Expression` stays one.
 */
export function n8nLiteral(value: unknown, indent = ''): string {
	const out = new Pieces(indent, true);
	write(out, value, 0);
	return out.text();
}

/**
 * The literal's text, appended piece by piece: V8 keeps the appends as a rope and copies it once, when the text is
 * first read. Pushing the pieces into an array and joining them took about a tenth longer, writing the file included.
 */
class Pieces {
	private out = '';
	/** Each depth's indentation, made once. */
	private readonly indents: string[] = [];

	constructor(
		private readonly indent: string,
		/** Strings are what n8n reads: see n8nLiteral. */
		readonly n8n: boolean,
	) {}

	add(piece: string): void {
		this.out += piece;
	}

	/** The indentation at one depth. */
	indentAt(depth: number): string {
		return (this.indents[depth] ??= this.indent + '\t'.repeat(depth));
	}

	text(): string {
		return this.out;
	}
}

function write(out: Pieces, value: unknown, depth: number): void {
	if (typeof value === 'string') return quoted(out, out.n8n && value.startsWith('=') ? ` ${value}` : value);
	if (typeof value !== 'object' || value === null) return out.add(String(value));
	if (value instanceof Code) return out.add(value.code);
	if (value instanceof Expression) return quoted(out, value.text);
	if (Array.isArray(value)) return writeArray(out, value, depth);
	const inner = out.indentAt(depth + 1);
	let empty = true;
	for (const k in value) {
		const v = (value as Record<string, unknown>)[k];
		if (v === undefined) continue;
		out.add(empty ? '{\n' : ',\n');
		empty = false;
		out.add(inner);
		out.add(IDENTIFIER.test(k) ? k : str(k));
		out.add(': ');
		write(out, v, depth + 1);
	}
	out.add(empty ? '{}' : `,\n${out.indentAt(depth)}}`);
}

/** Primitives on one line when it stays short (`["a", "b"]`), everything else one item per line. */
function writeArray(out: Pieces, value: unknown[], depth: number): void {
	if (value.length === 0) return out.add('[]');
	if (isShortFlat(value)) {
		out.add('[');
		for (let i = 0; i < value.length; i++) {
			if (i) out.add(', ');
			write(out, value[i], depth + 1);
		}
		return out.add(']');
	}
	const inner = out.indentAt(depth + 1);
	out.add('[\n');
	for (let i = 0; i < value.length; i++) {
		out.add(inner);
		write(out, value[i], depth + 1);
		out.add(',\n');
	}
	out.add(`${out.indentAt(depth)}]`);
}

const FLAT_WIDTH = 80;

/** Whether the list is all primitives and fits `FLAT_WIDTH` characters on one line. */
function isShortFlat(value: unknown[]): boolean {
	let width = 2 + 2 * (value.length - 1);
	for (let i = 0; i < value.length; i++) {
		const v = value[i];
		if (typeof v === 'object' && v !== null) return false;
		width += typeof v !== 'string' ? String(v).length : NEEDS_ESCAPE.test(v) ? str(v).length : v.length + 2;
		if (width > FLAT_WIDTH) return false;
	}
	return true;
}

/** `str` without making the quoted copy when nothing needs escaping. */
function quoted(out: Pieces, value: string): void {
	if (NEEDS_ESCAPE.test(value)) return out.add(str(value));
	out.add('"');
	out.add(value);
	out.add('"');
}

export function header(source: string): string {
	return `// Generated by n8n-rills from ${source.replace(/[\r\n\u2028\u2029]/g, ' ')} — do not edit.\n// Change the definition and run \`npm run generate\`.\n`;
}
