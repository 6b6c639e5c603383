import type { Parameter } from '../model/types';
import type { CredentialParameters } from './credential-parameters';
import type { Json } from './document';
import { isObject, type Refs } from './refs';
import { fieldShape, resolveSchema, typesOf } from './schema';
import { describe, toTitle } from './text';

const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);
/** Headers n8n or the credential sets; a field for them would fight the runtime. */
const MANAGED_HEADERS = /^(authorization|content-type|accept|content-length|user-agent|host|cookie)$/i;
/** Managed headers only n8n writes, whatever the spec requires: the credential's and the connection's own. */
const COMPUTED_HEADERS = /^(authorization|content-length|host|cookie)$/i;
const SECRET = /token|secret|password|api[-_]?key/i;

/**
 * The spec's parameters of an operation, resolved: path-level ones first, overridden by the
 * operation's own. Worked out once per operation object: the linter and the mapper both ask, and
 * the linter adds the path parameters it declares to this list as well as to the operation.
 */
export function specParameters(refs: Refs, pathItem: Json, operation: Json): Json[] {
	let out = declared.get(operation);
	if (!out) {
		out = [];
		addParameters(out, refs, pathItem.parameters);
		addParameters(out, refs, operation.parameters);
		declared.set(operation, out);
	}
	return out;
}

const declared = new WeakMap<Json, Json[]>();

/**
 * Appends a list's parameters, each replacing in place an earlier one of the same name and location.
 * Plain loops: this runs for every operation, and operations have a handful of parameters.
 */
function addParameters(out: Json[], refs: Refs, list: unknown): void {
	if (!Array.isArray(list)) return;
	for (const item of list) {
		const param = refs.get(item);
		if (typeof param.name !== 'string' || !LOCATIONS.has(param.in as string)) continue;
		let at = 0;
		while (at < out.length && (out[at].name !== param.name || out[at].in !== param.in)) at++;
		out[at] = param;
	}
}

/**
 * The operation's parameters as fields. Headers n8n sets are left out unless the spec requires them:
 * a required one with a single value (a versioned `Accept`) is sent as a constant, any other is a
 * required field. Parameters that are the credential are left to it. A spec
 * parameter used by many operations (GitHub's `owner`, a `$ref` in 3,153 of 3,526 uses) is mapped
 * once per document: its operations share the one field, so the emitter's work per use is a lookup.
 */
export class ParameterMapper {
	private readonly mapped = new WeakMap<Json, Parameter | null>();

	constructor(
		private readonly refs: Refs,
		private readonly credential: CredentialParameters,
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
		if (this.credential.carries(name, location, param.description)) return null;
		const schema = resolveSchema(this.refs, param.schema ?? firstContentSchema(param)).schema;
		if (location === 'header' && MANAGED_HEADERS.test(name)) {
			if (param.required !== true || COMPUTED_HEADERS.test(name)) return null;
			const value = singleValue(param, schema);
			// multipart/form-data needs the boundary n8n writes into it.
			if (value !== undefined && !/^multipart\//i.test(String(value))) {
				return {
					name,
					in: location,
					displayName: toTitle(name) || name,
					type: 'string',
					required: true,
					const: value,
				};
			}
		}
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
			...(location === 'path' ? pathStyle(param) : {}),
			...(SECRET.test(name) && shape.type === 'string' ? { secret: true } : {}),
		};
	}
}

const SCALARS = ['string', 'number', 'boolean'];

/** The one value a parameter can have: a `const`, an enum of one, or the default or example the spec gives. */
function singleValue(param: Json, schema: Json): string | number | boolean | undefined {
	const example = isObject(param.examples) ? Object.values(param.examples).find(isObject)?.value : undefined;
	const enumOfOne = Array.isArray(schema.enum) && schema.enum.length === 1 ? schema.enum[0] : undefined;
	const candidates = [schema.const, enumOfOne, schema.default, param.example, schema.example, example];
	return candidates.find((v): v is string | number | boolean => SCALARS.includes(typeof v) && v !== '');
}

function firstContentSchema(param: Json): unknown {
	const content = isObject(param.content) ? Object.values(param.content) : [];
	return isObject(content[0]) ? content[0].schema : undefined;
}

/** A path parameter's style and explode, where they are not the default (`simple`, not exploded). */
function pathStyle(param: Json): Pick<Parameter, 'style' | 'explode'> {
	return {
		...(param.style === 'label' || param.style === 'matrix' ? { style: param.style } : {}),
		...(param.explode === true ? { explode: true as const } : {}),
	};
}

/** `style: form, explode: true` (the default) repeats the key; everything else joins with commas. */
function arrayFormat(param: Json): Parameter['arrayFormat'] {
	const style = param.style ?? 'form';
	const explode = param.explode ?? style === 'form';
	return style === 'form' && explode ? 'form' : 'csv';
}
