/**
 * Bodies held to a vendor description's schemas with Ajv: what a fake answers (the schema of the
 * operation and status it answered) and what it posts to a webhook (a named schema). Ajv follows
 * `$ref`s lazily and compiles circular ones, so Stripe's whole document can be its root schema;
 * only what a body is checked against gets compiled.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export class Schemas {
	private readonly ajv: Ajv;
	private readonly compiled = new Map<string, ValidateFunction>();

	constructor(private readonly doc: Json) {
		const options = { strict: false, allErrors: true, validateSchema: false, logger: false } as const;
		// 3.1 schemas are JSON Schema 2020-12; 3.0 ones draft-07-like with `nullable`.
		const is31 = String(doc.openapi).startsWith('3.1');
		this.ajv = is31 ? new Ajv2020(options) : new Ajv(options);
		addFormats(this.ajv);
		this.ajv.addSchema((is31 ? structuredClone(doc) : withoutNullable(structuredClone(doc))) as Json, 'vendor');
	}

	/** Findings on `body` against the schema at `pointer` (`/components/schemas/event`). */
	named(pointer: string, body: unknown): string[] {
		if (
			pointer
				.split('/')
				.slice(1)
				.reduce<unknown>((o, k) => (o as Json | undefined)?.[unescape(k)], this.doc) === undefined
		)
			return [`the description has no schema at ${pointer}`];
		let validate = this.compiled.get(pointer);
		if (!validate) this.compiled.set(pointer, (validate = this.ajv.compile({ $ref: `vendor#${pointer}` })));
		return validate(body) ? [] : (validate.errors ?? []).slice(0, 5).map(message);
	}

	/**
	 * Findings on an answer to `method template` (a path of the description): a success must be one
	 * the operation lists, and a JSON body must fit the schema of the response it is (`described`:
	 * the response it is when not the one its status names; `mediaType`: the answer's content type, where the
	 * response describes several, such as JSON and `application/problem+json`).
	 */
	response(
		method: string,
		template: string,
		status: number,
		body: unknown,
		described?: string,
		mediaType?: string,
	): string[] {
		const verb = method.toLowerCase();
		const operation = ((this.doc.paths as Record<string, Json>)[template] ?? {})[verb] as Json | undefined;
		if (!operation || !METHODS.includes(verb)) return [`the description has no ${method} ${template}`];
		const responses = (operation.responses ?? {}) as Record<string, Json>;
		const code = [described, String(status), `${String(status)[0]}XX`, 'default'].find(
			(c): c is string => c !== undefined && !!responses[c],
		);
		// Descriptions leave out errors any operation can answer (401, 403 rate limits, 429, 5xx).
		if (!code)
			return status < 400
				? [`status ${status} is not among the described ones (${Object.keys(responses).join(', ')})`]
				: [];
		const content = (this.resolve(responses[code]).content ?? {}) as Record<string, Json>;
		const type = mediaType && content[mediaType] ? mediaType : Object.keys(content).find((t) => /json/.test(t));
		if (!type || !content[type].schema) return [];
		// A 204 has no content by definition (RFC 9110, 15.3.5), whatever content a description gives it.
		if (body === undefined && status !== 204)
			return [`status ${status} has no body where the description has ${type}`];
		const pointer = ['', 'paths', template, verb, 'responses', code, 'content', type, 'schema'];
		const target = responses[code].$ref
			? [...String(responses[code].$ref).slice(1).split('/'), 'content', escape(type), 'schema'].join('/')
			: pointer.map((p, i) => (i < 1 ? p : escape(p))).join('/');
		return this.named(target, body);
	}

	private resolve(value: Json): Json {
		let found = value;
		while (typeof found.$ref === 'string')
			found = found.$ref
				.slice(2)
				.split('/')
				.reduce<Json>((o, k) => o[unescape(k)] as Json, this.doc);
		return found;
	}
}

function message(e: ErrorObject): string {
	const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
	return `${e.instancePath || '(body)'} ${e.message ?? e.keyword}${extra}`;
}

function escape(key: string): string {
	return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescape(key: string): string {
	return key.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * OpenAPI 3.0's `nullable: true` in JSON Schema terms (null added to the type, enum or alternatives),
 * in place. A property named `nullable` is a schema, not a boolean, and stays.
 */
export function withoutNullable(value: unknown): unknown {
	if (Array.isArray(value)) value.forEach(withoutNullable);
	else if (value && typeof value === 'object') {
		const o = value as Json;
		if (typeof o.nullable === 'boolean') {
			if (o.nullable) {
				if (typeof o.type === 'string') o.type = [o.type, 'null'];
				else if (Array.isArray(o.anyOf)) o.anyOf.push({ type: 'null' });
				else if (Array.isArray(o.oneOf)) o.oneOf.push({ type: 'null' });
				else if (typeof o.$ref === 'string') {
					o.anyOf = [{ $ref: o.$ref }, { type: 'null' }];
					delete o.$ref;
				} else if (Array.isArray(o.allOf)) {
					// Asana's `assignee: { allOf: [UserCompact], nullable: true }`.
					o.anyOf = [{ allOf: o.allOf }, { type: 'null' }];
					delete o.allOf;
				}
				if (Array.isArray(o.enum)) o.enum = [...o.enum, null];
			}
			delete o.nullable;
		}
		Object.values(o).forEach(withoutNullable);
	}
	return value;
}
