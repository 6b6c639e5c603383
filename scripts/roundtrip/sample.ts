/**
 * Values a user would type, read from a spec: its own example, default or first enum value where it
 * gives one, else a value made to fit the schema's type, format, pattern and bounds. Deterministic,
 * so the round-trip table is the same from run to run.
 */
import { fullFormats } from 'ajv-formats/dist/formats';
import { JSONSchemaFaker } from 'json-schema-faker';
import type { Json } from '../openapi/document';

/** Follows local `$ref`s (`#/…`, a URI fragment: `%7B` is `{`) in the document. */
export function deref(doc: Json, value: unknown): Json | undefined {
	let x = value as Json | undefined;
	for (let hops = 0; x && typeof x.$ref === 'string' && hops < 50; hops++) {
		const ref = x.$ref as string;
		if (!ref.startsWith('#/')) return undefined;
		x = ref
			.slice(2)
			.split('/')
			.reduce<Json | undefined>(
				(o, k) => o?.[decodeURIComponent(k).replace(/~1/g, '/').replace(/~0/g, '~')] as Json | undefined,
				doc,
			);
	}
	return x;
}

/** Nesting followed before a sample stops adding optional properties (circular schemas end here too). */
const MAX_DEPTH = 4;

/** A value for `schema`: the spec's example first, then one built from the schema. */
export function sampleValue(doc: Json, schema: unknown, depth = 0): unknown {
	const s = deref(doc, schema);
	if (!s || depth > MAX_DEPTH + 2) return undefined;
	if (s.const !== undefined) return s.const;
	if (s.example !== undefined && fitsFormat(s, s.example)) return s.example;
	if (Array.isArray(s.examples) && s.examples.length && fitsFormat(s, s.examples[0])) return s.examples[0];
	if (s.default !== undefined) return s.default;
	if (Array.isArray(s.enum) && s.enum.length) return s.enum.find((v) => v !== null) ?? s.enum[0];
	const choice = (s.oneOf ?? s.anyOf) as unknown[] | undefined;
	if (Array.isArray(choice) && choice.length && !s.properties) return sampleValue(doc, choice[0], depth);
	if (Array.isArray(s.allOf)) return merged(doc, s, depth);
	switch (typeOf(s)) {
		case 'object':
			return objectSample(doc, s, depth);
		case 'array': {
			const item = sampleValue(doc, s.items, depth + 1);
			return item === undefined ? [] : Array.from({ length: Math.max(1, Number(s.minItems ?? 1)) }, () => item);
		}
		case 'integer':
		case 'number':
			return numberSample(s);
		case 'boolean':
			return true;
		case 'null':
			return null;
		default:
			return stringSample(s);
	}
}

/** Whether an example has its schema's own format: some specs show a date-time as the example of a `date`. */
function fitsFormat(s: Json, value: unknown): boolean {
	const format = fullFormats[s.format as keyof typeof fullFormats] as unknown;
	if (typeof value !== 'string' || !format) return true;
	if (format instanceof RegExp) return format.test(value);
	if (typeof format === 'function') return (format as (v: string) => boolean)(value);
	const { validate } = format as { validate?: unknown };
	return typeof validate === 'function' ? (validate as (v: string) => boolean)(value) : true;
}

function typeOf(s: Json): string {
	const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
	if (typeof type === 'string') return type;
	if (s.properties || s.additionalProperties) return 'object';
	if (s.items) return 'array';
	return 'string';
}

function merged(doc: Json, s: Json, depth: number): unknown {
	const parts = (s.allOf as unknown[]).map((p) => sampleValue(doc, p, depth));
	const own = s.properties ? objectSample(doc, s, depth) : undefined;
	if (parts.every((p) => p && typeof p === 'object' && !Array.isArray(p)))
		return withUndefinedRequired(Object.assign({}, ...parts, own) as Json, s);
	return parts.find((p) => p !== undefined);
}

/** Required properties always; optional ones too until the nesting gets deep, as a thorough user fills them. */
function objectSample(doc: Json, s: Json, depth: number): Json {
	const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
	const out: Json = {};
	for (const [name, prop] of Object.entries((s.properties ?? {}) as Json)) {
		const p = deref(doc, prop);
		if (p?.readOnly) continue;
		if (!required.has(name) && depth >= MAX_DEPTH) continue;
		const value = sampleValue(doc, prop, depth + 1);
		if (value !== undefined) out[name] = value;
	}
	return withUndefinedRequired(out, s);
}

/** A name the schema requires but never defines still gets a value: the API wants it, of any type. */
function withUndefinedRequired(out: Json, s: Json): Json {
	for (const name of Array.isArray(s.required) ? (s.required as string[]) : [])
		if (!(name in out)) out[name] = 'sample';
	return out;
}

function numberSample(s: Json): number {
	const integer = typeOf(s) === 'integer';
	let n = integer ? 1 : 1.5;
	if (typeof s.minimum === 'number') n = Math.max(n, s.minimum + (s.exclusiveMinimum === true ? 1 : 0));
	if (typeof s.exclusiveMinimum === 'number') n = Math.max(n, s.exclusiveMinimum + 1);
	if (typeof s.maximum === 'number') n = Math.min(n, s.maximum - (s.exclusiveMaximum === true ? 1 : 0));
	if (typeof s.exclusiveMaximum === 'number') n = Math.min(n, s.exclusiveMaximum - 1);
	if (typeof s.multipleOf === 'number') n = Math.ceil(n / s.multipleOf) * s.multipleOf;
	return integer ? Math.round(n) : n;
}

const FORMATS: Record<string, string> = {
	'date-time': '2024-01-15T10:30:00Z',
	date: '2024-01-15',
	time: '10:30:00',
	email: 'user@example.com',
	uri: 'https://example.com/item',
	url: 'https://example.com/item',
	uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
	duration: 'PT1H30M',
	ipv4: '192.0.2.1',
	ipv6: '2001:db8::1',
	hostname: 'example.com',
	byte: 'U2FtcGxl',
	int32: '1',
	int64: '1',
};

function stringSample(s: Json): string {
	if (typeof s.pattern === 'string' && !FORMATS[String(s.format)]) return patternSample(s);
	let text = FORMATS[String(s.format)] ?? 'sample';
	const min = Number(s.minLength ?? 0);
	const max = Number(s.maxLength ?? Infinity);
	if (text.length < min) text = text.padEnd(min, 'x');
	if (text.length > max) text = text.slice(0, Math.max(max, min));
	return text;
}

/**
 * A string that matches the schema's `pattern` (and length). Of the first few seeds, the first whose
 * string has no URL delimiters or spaces, as an identifier a user types has none; deterministic.
 */
function patternSample(s: Json): string {
	const { pattern, minLength, maxLength } = s;
	let text = '';
	for (let attempt = 1; attempt <= 20; attempt++) {
		let seed = attempt;
		JSONSchemaFaker.option({
			random: () => (seed = (seed * 16807) % 2147483647) / 2147483647,
			maxRegexRetry: 1000,
		});
		text = String(JSONSchemaFaker.generate({ type: 'string', pattern, minLength, maxLength } as never));
		if (!/[\s#%?/\\&]/.test(text)) break;
	}
	return text;
}
