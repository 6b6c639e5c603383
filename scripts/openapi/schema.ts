import type { FieldType, Parameter } from '../model/types';
import type { Json } from './document';
import { isObject, type Refs } from './refs';
import { isExpression } from './text';

/**
 * A schema with `$ref`s followed and `allOf` merged deeply. `cyclic` marks a schema that refers back
 * to one already being expanded: callers stop there and offer a JSON field.
 */
export interface Resolved {
	schema: Json;
	cyclic: boolean;
	/** Named schemas on the way here, to detect cycles further down. */
	trail: Trail;
}

/**
 * The named schemas being expanded, innermost first, as a list that shares its tail: going one
 * level deeper adds one link instead of copying a set (schemas nest a handful of levels deep).
 */
export type Trail = { readonly ref: string; readonly outer: Trail } | undefined;

function onTrail(trail: Trail, ref: string): boolean {
	for (let t = trail; t; t = t.outer) if (t.ref === ref) return true;
	return false;
}

export function resolveSchema(refs: Refs, value: unknown, trail: Trail = undefined): Resolved {
	const { value: schema, ref } = refs.follow(value);
	if (ref && onTrail(trail, ref)) return { schema: {}, cyclic: true, trail };
	const inner = ref ? { ref, outer: trail } : trail;
	if (!schema) return { schema: {}, cyclic: false, trail: inner };
	if (!Array.isArray(schema.allOf) || !schema.allOf.length) return { schema, cyclic: false, trail: inner };
	return mergeAllOf(refs, schema, schema.allOf, inner);
}

/** Apart from `resolveSchema`, which runs for every schema looked at, so that V8 optimises that one small. */
function mergeAllOf(refs: Refs, schema: Json, parts: unknown[], trail: Trail): Resolved {
	let merged: Json = { ...schema, allOf: undefined };
	let cyclic = false;
	for (const part of parts) {
		const r = resolveSchema(refs, part, trail);
		cyclic ||= r.cyclic;
		merged = mergeSchemas(merged, r.schema);
	}
	return { schema: merged, cyclic, trail };
}

/**
 * `allOf` parts combined: properties merged key by key (in order), `required` united, the first word wins elsewhere.
 */
function mergeSchemas(a: Json, b: Json): Json {
	const out: Json = { ...b, ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) };
	if (isObject(a.properties) || isObject(b.properties)) {
		const props: Json = { ...(isObject(a.properties) ? a.properties : {}) };
		for (const [k, v] of Object.entries(isObject(b.properties) ? b.properties : {})) {
			const mine = props[k];
			props[k] = isObject(mine) && isObject(v) && !mine.$ref && !v.$ref ? mergeSchemas(mine, v) : (mine ?? v);
		}
		out.properties = props;
	}
	const required = [
		...(Array.isArray(a.required) ? a.required : []),
		...(Array.isArray(b.required) ? b.required : []),
	];
	if (required.length) out.required = [...new Set(required)];
	if (!out.type && (a.properties || b.properties)) out.type = 'object';
	return out;
}

const NO_TYPES: readonly string[] = Object.freeze([]);
/** `type: string` is by far the most common form: one shared list per type name. */
const SINGLE_TYPES = new Map<string, readonly string[]>();

/** The schema's types without `null` (3.1 type arrays, 3.0 `nullable`). */
export function typesOf(schema: Json): readonly string[] {
	const t = schema.type;
	if (typeof t === 'string') {
		if (t === 'null') return NO_TYPES;
		let types = SINGLE_TYPES.get(t);
		if (!types) SINGLE_TYPES.set(t, (types = Object.freeze([t])));
		return types;
	}
	return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string' && x !== 'null') : NO_TYPES;
}

export type FieldShape = Pick<Parameter, 'type' | 'options' | 'default'>;

const PRIMITIVE = new Set(['string', 'integer', 'number']);

/** How one value appears as an n8n field: its type, options for enums, and the spec's default when it fits. */
export function fieldShape(refs: Refs, schema: Json): FieldShape {
	const types = typesOf(schema);
	const values = enumValues(schema);
	if (values) {
		if (values.every((v) => typeof v === 'boolean')) return withDefault({ type: 'boolean' }, schema.default);
		const options = values
			.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
			.map((v) => ({ name: String(v), value: v }));
		if (options.length) return withDefault({ type: 'options', options }, schema.default);
	}
	if (types.includes('array')) {
		const items = resolveSchema(refs, schema.items).schema;
		const itemValues = enumValues(items);
		if (itemValues?.length && itemValues.every((v) => typeof v === 'string' || typeof v === 'number')) {
			return withDefault(
				{
					type: 'multiOptions',
					options: (itemValues as Array<string | number>).map((v) => ({ name: String(v), value: v })),
				},
				schema.default,
			);
		}
		return { type: 'json' };
	}
	const [type] = types;
	if (types.length > 1 && !types.every((t) => t === 'integer' || t === 'number')) return { type: 'json' };
	switch (type) {
		case 'integer':
		case 'number':
			return withDefault({ type: 'number' }, schema.default);
		case 'boolean':
			return withDefault({ type: 'boolean' }, schema.default);
		case 'string':
			return withDefault({ type: schema.format === 'date-time' ? 'dateTime' : 'string' }, schema.default);
		case 'object':
			return { type: 'json' };
	}
	// "string or integer" (GitHub's issue title) reads best as text; anything structured needs JSON.
	const variants = [
		...(Array.isArray(schema.oneOf) ? schema.oneOf : []),
		...(Array.isArray(schema.anyOf) ? schema.anyOf : []),
	]
		.map((v) => resolveSchema(refs, v).schema)
		.filter((v) => v.type !== 'null')
		.map(typesOf);
	if (variants.length && variants.every((t) => t.length === 1 && PRIMITIVE.has(t[0])))
		return { type: variants.some((t) => t[0] === 'string') ? 'string' : 'number' };
	if (schema.properties || schema.additionalProperties || schema.oneOf || schema.anyOf) return { type: 'json' };
	return withDefault({ type: 'string' }, schema.default);
}

function enumValues(schema: Json): unknown[] | undefined {
	if (schema.const !== undefined) return [schema.const];
	if (!Array.isArray(schema.enum)) return undefined;
	const values = schema.enum.filter((v) => v !== null && !isExpression(v));
	return values.length ? [...new Set(values)] : undefined;
}

/** Keeps a default only when the spec gives one that the field can hold. */
function withDefault(shape: { type: FieldType; options?: Parameter['options'] }, value: unknown): FieldShape {
	const allowed = shape.options?.map((o) => o.value);
	let ok: boolean;
	switch (shape.type) {
		case 'number':
			ok = typeof value === 'number';
			break;
		case 'boolean':
			ok = typeof value === 'boolean';
			break;
		case 'options':
			ok = allowed!.includes(value as string);
			break;
		case 'multiOptions':
			ok = Array.isArray(value) && value.every((v) => allowed!.includes(v as string));
			break;
		default:
			ok = typeof value === 'string';
	}
	return ok && !isExpression(value) ? { ...shape, default: value as FieldShape['default'] } : shape;
}
