import type { Parameter } from '../model/types';
import type { Json } from './load';
import { isObject, type Refs } from './refs';
import { fieldShape, resolveSchema, typesOf } from './schema';
import { describe, toTitle } from './text';

const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);
/** Headers n8n or the credential sets; a field for them would fight the runtime. */
const MANAGED_HEADERS = /^(authorization|content-type|accept|content-length|user-agent|host|cookie)$/i;
const SECRET = /token|secret|password|api[-_]?key/i;

/** The spec's parameters of an operation, resolved: path-level ones first, overridden by the operation's own. */
export function specParameters(refs: Refs, pathItem: Json, operation: Json): Json[] {
	const byKey = new Map<string, Json>();
	for (const p of [...list(pathItem.parameters), ...list(operation.parameters)]) {
		const param = refs.get(p);
		if (typeof param.name !== 'string' || !LOCATIONS.has(String(param.in))) continue;
		byKey.set(`${String(param.in)}:${param.name}`, param);
	}
	return [...byKey.values()];
}

/**
 * The operation's parameters as fields; headers n8n or the credential sets are left out. A spec
 * parameter used by many operations (GitHub's `owner`, a `$ref` in 3,153 of 3,526 uses) is mapped
 * once per document: its operations share the one field, so the emitter's work per use is a lookup.
 */
export class ParameterMapper {
	private readonly mapped = new WeakMap<Json, Parameter | null>();

	constructor(
		private readonly refs: Refs,
		private readonly authHeaders: Set<string>,
	) {}

	map(params: Json[]): Parameter[] {
		const out: Parameter[] = [];
		for (const param of params) {
			let field = this.mapped.get(param);
			if (field === undefined) this.mapped.set(param, (field = this.field(param)));
			if (field) out.push(field);
		}
		return out;
	}

	private field(param: Json): Parameter | null {
		const name = param.name as string;
		const location = param.in as Parameter['in'];
		if (location === 'header' && (MANAGED_HEADERS.test(name) || this.authHeaders.has(name.toLowerCase()))) return null;
		const schema = resolveSchema(this.refs, param.schema ?? firstContentSchema(param)).schema;
		const shape = param.schema ? fieldShape(this.refs, schema) : { type: 'json' as const };
		const types = typesOf(schema);
		return {
			name,
			in: location,
			displayName: toTitle(name) || name,
			description: describe(param.description ?? schema.description),
			required: location === 'path' || param.required === true,
			...shape,
			...(location === 'query' && types.includes('array') ? { arrayFormat: arrayFormat(param) } : {}),
			...(SECRET.test(name) && shape.type === 'string' ? { secret: true } : {}),
		};
	}
}

function list(v: unknown): unknown[] {
	return Array.isArray(v) ? v : [];
}

function firstContentSchema(param: Json): unknown {
	const content = isObject(param.content) ? Object.values(param.content) : [];
	return isObject(content[0]) ? content[0].schema : undefined;
}

/** `style: form, explode: true` (the default) repeats the key; everything else joins with commas. */
function arrayFormat(param: Json): Parameter['arrayFormat'] {
	const style = param.style ?? 'form';
	const explode = param.explode ?? style === 'form';
	return style === 'form' && explode ? 'form' : 'csv';
}
