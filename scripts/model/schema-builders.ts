/**
 * TypeBox builders for the JSON Schema shapes the definition format uses and TypeBox writes
 * differently: `enum` (TypeBox writes `anyOf` of consts), `additionalProperties` maps (it writes
 * `patternProperties`), `oneOf`, and `$ref`s into `definitions`. ajv's findings name the keyword
 * that failed, so the schema keeps these keywords and with them the messages users read.
 */
import {
	Type,
	type SchemaOptions,
	type Static,
	type TObject,
	type TProperties,
	type TSchema,
	type TUnsafe,
} from '@sinclair/typebox';

/** An object that allows no other keys. */
export function closed<P extends TProperties>(properties: P, options: SchemaOptions = {}): TObject<P> {
	return Type.Object(properties, { additionalProperties: false, ...options });
}

export function oneOfValues<const V extends readonly (string | number)[]>(
	values: V,
	options: SchemaOptions = {},
): TUnsafe<V[number]> {
	return Type.Unsafe<V[number]>({ enum: values, ...options });
}

export function constant<const V extends string>(value: V, options: SchemaOptions = {}): TUnsafe<V> {
	return Type.Unsafe<V>({ const: value, ...options });
}

/** Key → value, e.g. header name → value. */
export function mapOf<T extends TSchema>(value: T, options: SchemaOptions = {}): TUnsafe<Record<string, Static<T>>> {
	return Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: value, ...options });
}

/** A JSON object of any content (a request body template). */
export function anyObject(options: SchemaOptions = {}): TUnsafe<Record<string, unknown>> {
	return Type.Unsafe<Record<string, unknown>>({ type: 'object', ...options });
}

export function oneOf<A extends TSchema, B extends TSchema>(
	a: A,
	b: B,
	options: SchemaOptions = {},
): TUnsafe<Static<A> | Static<B>> {
	return Type.Unsafe<Static<A> | Static<B>>({ oneOf: [a, b], ...options });
}

/**
 * A branch of a union whose `shared` keys the union itself checks (`type`, `name`): written as `{}`
 * so that `additionalProperties: false` allows them, typed as `shared` declares them.
 */
export function variant<S extends TProperties, P extends TProperties>(
	shared: S,
	properties: P,
	options: SchemaOptions = {},
): TUnsafe<Static<TObject<S>> & Static<TObject<P>>> {
	const object = closed(properties, options);
	const allowed = Object.fromEntries(Object.keys(shared).map((key) => [key, {}]));
	return Type.Unsafe({ ...object, properties: { ...allowed, ...object.properties } });
}

/** `if type is <tag> then <schema>`: picks a union's branch by its `type` the way ajv reports best. */
export function whenType(tag: string | readonly string[], then: TSchema): object {
	return { if: { properties: { type: typeof tag === 'string' ? { const: tag } : { enum: tag } } }, then };
}

/**
 * Collects named schemas for the root's `definitions`; `define` answers a function that refers to
 * one (`$ref`, with per-use annotations such as a description), typed as the schema it names.
 */
export class Definitions {
	readonly schemas: Record<string, TSchema> = {};

	define<T extends TSchema>(name: string, title: string, schema: T): (options?: SchemaOptions) => TUnsafe<Static<T>> {
		this.schemas[name] = { title, ...schema };
		return (options = {}) => Type.Unsafe<Static<T>>({ $ref: `#/definitions/${name}`, ...options });
	}
}
