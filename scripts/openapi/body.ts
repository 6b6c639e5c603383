import type { Operation, Parameter } from '../model/types';
import type { CredentialParameters } from './credential-parameters';
import { isObject, type Refs } from './refs';
import { fieldShape, resolveSchema, typesOf, type Resolved } from './schema';
import { describe, toTitle } from './text';

/** A list of objects with at most this many simple fields is offered as entries; bigger ones as JSON. */
const MAX_ENTRY_FIELDS = 12;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Nested objects become fields down to this depth (`address.city`); deeper ones are JSON fields. */
const MAX_DEPTH = 2;
/** A body with more fields than this is offered as JSON only: a form that long helps nobody. */
const MAX_FIELDS = 60;

export interface MappedBody {
	bodyType?: Operation['bodyType'];
	/** Text bodies: the media type they are sent as. */
	contentType?: string;
	parameters: Parameter[];
}

const JSON_TYPE = /^application\/(.+\+)?json|^\*\/\*$|^text\/json/;
const FORM_TYPE = 'application/x-www-form-urlencoded';
const MULTIPART_TYPE = 'multipart/form-data';
/** Media types sent as the text the user types. */
const TEXT_TYPE = /^(text\/|application\/([\w.-]+\+)?xml\b)/;
/** A media type as a header may carry it (`text/html`, `text/plain; charset=utf-8`), nothing else a spec writes. */
export const MEDIA_TYPE = /^[\w.+*-]+\/[\w.+*-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*$/;
/** Media types sent as one file taken from n8n binary data. */
export const FILE_TYPE = /^(application\/(octet-stream|pdf|zip|gzip|x-tar)|image\/|audio\/|video\/)/;

/**
 * The request body as n8n fields: each property of a JSON or form body is a field (nested objects
 * flattened to dotted names the runtime nests again), plus a raw-JSON field for the whole body so
 * anything the fields cannot say can still be sent. A field the schema requires is required unless
 * the spec says the body is optional (`required: false`): specs leave out `required: true` far more
 * often than they mean a body that may be left out. Fields that are the credential are left to it.
 */
export function mapBody(refs: Refs, requestBody: unknown, credential: CredentialParameters): MappedBody {
	const body = bodyOf(refs, requestBody);
	return { ...body, parameters: body.parameters.filter((f) => !credential.carries(f.name, 'body', f.description)) };
}

function bodyOf(refs: Refs, requestBody: unknown): MappedBody {
	const body = refs.get(requestBody);
	const content = isObject(body.content) ? body.content : {};
	const types = Object.keys(content);
	const required = body.required === true;
	const fieldsRequired = body.required !== false;
	const jsonType = types.find((t) => JSON_TYPE.test(t));
	const chosen = jsonType ?? types.find((t) => t === FORM_TYPE);
	if (!chosen) return fileBody(refs, content, types, required, fieldsRequired);
	const media = isObject(content[chosen]) ? content[chosen] : {};
	const resolved = withVariantsMerged(refs, resolveSchema(refs, media.schema));
	const form = !jsonType;
	const fields = isFlattenable(resolved)
		? objectFields(refs, resolved, [], fieldsRequired, form ? 1 : MAX_DEPTH)
		: [];
	const raw: Parameter = {
		name: '',
		in: 'body',
		property: 'bodyJson',
		displayName: fields.length ? 'Body (JSON)' : 'Body',
		description: fields.length
			? 'The whole body as JSON; fields set here are added to it'
			: (describe(resolved.schema.description) ?? 'The request body as JSON'),
		type: 'json',
		required: required && !fields.some((f) => f.required),
	};
	return { bodyType: form ? 'form' : 'json', parameters: [raw, ...(fields.length > MAX_FIELDS ? [] : fields)] };
}

/**
 * A body that is one of several objects (`oneOf`/`anyOf`) offers the fields of all of them: the
 * user fills those of the variant they mean. A field is required only when every variant needs it.
 */
function withVariantsMerged(refs: Refs, r: Resolved): Resolved {
	const list = Array.isArray(r.schema.oneOf)
		? r.schema.oneOf
		: Array.isArray(r.schema.anyOf)
			? r.schema.anyOf
			: undefined;
	if (!list || isObject(r.schema.properties)) return r;
	const variants = list.map((v) => resolveSchema(refs, v, r.trail));
	if (!variants.every(isFlattenable)) return r;
	const properties = Object.assign({}, ...variants.map((v) => v.schema.properties));
	const required = Object.keys(properties).filter((k) =>
		variants.every((v) => Array.isArray(v.schema.required) && v.schema.required.includes(k)),
	);
	return { ...r, schema: { type: 'object', description: r.schema.description, properties, required } };
}

function isFlattenable(r: Resolved): boolean {
	return (
		!r.cyclic &&
		isObject(r.schema.properties) &&
		(typesOf(r.schema).length === 0 || typesOf(r.schema).includes('object'))
	);
}

/** The object's properties as fields, nested objects flattened to dotted names down to `depth` levels. */
function objectFields(refs: Refs, object: Resolved, prefix: string[], required: boolean, depth: number): Parameter[] {
	const props = isObject(object.schema.properties) ? object.schema.properties : {};
	const requiredNames = new Set(Array.isArray(object.schema.required) ? object.schema.required.map(String) : []);
	const out: Parameter[] = [];
	for (const key in props)
		addField(out, refs, object, prefix, key, props[key], required && requiredNames.has(key), depth);
	// A required name the schema forgot to define is still sent: as a field of any (JSON) value.
	for (const name of requiredNames)
		if (!(name in props)) addField(out, refs, object, prefix, name, undefined, required, depth);
	return out;
}

function addField(
	out: Parameter[],
	refs: Refs,
	object: Resolved,
	prefix: string[],
	key: string,
	value: unknown,
	required: boolean,
	depth: number,
): void {
	const prop = resolveSchema(refs, value, object.trail);
	if (prop.schema.readOnly === true) return;
	const path = prefix.concat(key);
	if (depth > 1 && isFlattenable(prop)) {
		const nested = objectFields(refs, prop, path, required, depth - 1);
		if (nested.length) {
			for (const f of nested) out.push(f);
			return;
		}
	}
	const shape =
		prop.cyclic || value === undefined ? JSON_SHAPE : (listOfEntries(refs, prop) ?? fieldShape(refs, prop.schema));
	out.push({
		name: path.join('.'),
		in: 'body',
		displayName: titleOf(path),
		description: describe(prop.schema.description ?? prop.schema.title),
		required,
		...shape,
	});
}

const JSON_SHAPE = { type: 'json' } as const;

function titleOf(path: string[]): string {
	let title = toTitle(path[0]) || path[0];
	for (let i = 1; i < path.length; i++) title += ' ' + (toTitle(path[i]) || path[i]);
	return title;
}

/** multipart/form-data (fields, and files from binary properties) or a single file as the whole body. */
function fileBody(
	refs: Refs,
	content: Record<string, unknown>,
	types: string[],
	required: boolean,
	fieldsRequired: boolean,
): MappedBody {
	const multipart = types.find((t) => t === MULTIPART_TYPE);
	if (multipart) {
		const media = isObject(content[multipart]) ? content[multipart] : {};
		const fields = objectFields(refs, resolveSchema(refs, media.schema), [], fieldsRequired, 1).map((f) =>
			isFile(refs, f.name, media.schema) ? binaryField(f.name, f.required, f.displayName) : f,
		);
		return { bodyType: 'multipart', parameters: fields };
	}
	if (types.some((t) => FILE_TYPE.test(t)))
		return { bodyType: 'binary', parameters: [binaryField('', required, 'File')] };
	const text = types.find((t) => TEXT_TYPE.test(t) && MEDIA_TYPE.test(t));
	if (text) return { bodyType: 'text', contentType: text, parameters: [textField(refs, content[text], required)] };
	return { parameters: [] };
}

/** A property sent as a file: `format: binary` (3.0) or a `contentMediaType` / `contentEncoding` (3.1). */
function isFile(refs: Refs, name: string, schema: unknown): boolean {
	const props = resolveSchema(refs, schema).schema.properties;
	const prop = isObject(props) ? resolveSchema(refs, props[name]).schema : {};
	const items = prop.type === 'array' ? resolveSchema(refs, prop.items).schema : prop;
	return (
		items.format === 'binary' ||
		items.format === 'byte' ||
		typeof items.contentMediaType === 'string' ||
		items.contentEncoding === 'binary'
	);
}

function binaryField(name: string, required: boolean, label: string): Parameter {
	return {
		name,
		in: 'body',
		displayName: `${label} (Input Binary Field)`,
		description: 'Name of the binary property of the input item that holds the file',
		type: 'string',
		default: 'data',
		required,
		binary: true,
		property: name ? undefined : 'binaryPropertyName',
	};
}

/** The whole body as text the user types. */
function textField(refs: Refs, media: unknown, required: boolean): Parameter {
	const schema = resolveSchema(refs, isObject(media) ? media.schema : undefined).schema;
	return {
		name: '',
		in: 'body',
		property: 'bodyText',
		displayName: 'Body',
		description: describe(schema.description) ?? 'The request body as text',
		type: 'string',
		required,
	};
}

/**
 * An array of flat objects as a fixedCollection: the user adds entries field by field. Fields keep
 * their wire names, so only names n8n can hold qualify; anything nested leaves the list to JSON.
 */
function listOfEntries(refs: Refs, list: Resolved): Pick<Parameter, 'type' | 'entries'> | undefined {
	if (!typesOf(list.schema).includes('array')) return undefined;
	const item = resolveSchema(refs, list.schema.items, list.trail);
	const props = isObject(item.schema.properties) ? Object.entries(item.schema.properties) : [];
	if (item.cyclic || !props.length || props.length > MAX_ENTRY_FIELDS) return undefined;
	// A required name the items never define has no entry field to hold it (Codat's `date`): JSON can.
	const required = Array.isArray(item.schema.required) ? item.schema.required.map(String) : [];
	if (required.some((name) => !props.some(([key]) => key === name))) return undefined;
	const entries: Parameter[] = [];
	for (const [key, value] of props) {
		const prop = resolveSchema(refs, value, item.trail);
		if (prop.schema.readOnly === true) continue;
		const shape = fieldShape(refs, prop.schema);
		if (prop.cyclic || !IDENTIFIER.test(key) || shape.type === 'json' || shape.type === 'multiOptions')
			return undefined;
		entries.push({
			name: key,
			in: 'body',
			property: key,
			displayName: toTitle(key) || key,
			description: describe(prop.schema.description),
			// Sent even when left empty (an empty string may be all the API needs); the node does not ask for it.
			required: required.includes(key),
			...shape,
		});
	}
	return entries.length ? { type: 'fixedCollection', entries } : undefined;
}
