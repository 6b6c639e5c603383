import { titleCase } from '../model/naming';
import type { Operation, Parameter } from '../model/types';
import { isObject, type Refs } from './refs';
import { fieldShape, resolveSchema, typesOf, type Resolved } from './schema';
import { describe } from './text';

/** Nested objects become fields down to this depth (`address.city`); deeper ones are JSON fields. */
const MAX_DEPTH = 2;
/** A body with more fields than this is offered as JSON only: a form that long helps nobody. */
const MAX_FIELDS = 60;

export interface MappedBody {
	bodyType?: Operation['bodyType'];
	parameters: Parameter[];
}

const JSON_TYPE = /^application\/(.+\+)?json|^\*\/\*$|^text\/json/;
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The request body as n8n fields: each property of a JSON or form body is a field (nested objects
 * flattened to dotted names the runtime nests again), plus a raw-JSON field for the whole body so
 * anything the fields cannot say can still be sent.
 */
export function mapBody(refs: Refs, requestBody: unknown): MappedBody {
	const body = refs.get(requestBody);
	const content = isObject(body.content) ? body.content : {};
	const types = Object.keys(content);
	const required = body.required === true;
	const jsonType = types.find((t) => JSON_TYPE.test(t));
	const chosen = jsonType ?? types.find((t) => t === FORM_TYPE);
	if (!chosen) return { parameters: [] };
	const media = isObject(content[chosen]) ? content[chosen] : {};
	const resolved = resolveSchema(refs, media.schema);
	const form = !jsonType;
	const fields = isFlattenable(resolved) ? objectFields(refs, resolved, [], required, form ? 1 : MAX_DEPTH) : [];
	const raw: Parameter = {
		name: '',
		in: 'body',
		property: 'bodyJson',
		displayName: fields.length ? 'Body (JSON)' : 'Body',
		description: fields.length ? 'The whole body as JSON; fields set here are added to it' : describe(resolved.schema.description) ?? 'The request body as JSON',
		type: 'json',
		required: required && !fields.some((f) => f.required),
	};
	return { bodyType: form ? 'form' : 'json', parameters: [raw, ...(fields.length > MAX_FIELDS ? [] : fields)] };
}

function isFlattenable(r: Resolved): boolean {
	return !r.cyclic && isObject(r.schema.properties) && (typesOf(r.schema).length === 0 || typesOf(r.schema).includes('object'));
}

function objectFields(refs: Refs, object: Resolved, prefix: string[], required: boolean, depth: number): Parameter[] {
	const props = isObject(object.schema.properties) ? object.schema.properties : {};
	const requiredNames = new Set((Array.isArray(object.schema.required) ? object.schema.required : []).map(String));
	const out: Parameter[] = [];
	// A required name the schema forgot to define is still sent: as a field of any (JSON) value.
	const undefinedRequired = [...requiredNames].filter((n) => !(n in props)).map((n): [string, unknown] => [n, undefined]);
	for (const [key, value] of [...Object.entries(props), ...undefinedRequired]) {
		const prop = resolveSchema(refs, value, object.trail);
		if (prop.schema.readOnly === true) continue;
		const path = [...prefix, key];
		const isRequired = required && requiredNames.has(key);
		if (depth > 1 && isFlattenable(prop)) {
			const nested = objectFields(refs, prop, path, isRequired, depth - 1);
			if (nested.length) {
				out.push(...nested);
				continue;
			}
		}
		out.push({
			name: path.join('.'),
			in: 'body',
			displayName: path.map((p) => titleCase(p) || p).join(' '),
			description: describe(prop.schema.description ?? prop.schema.title),
			required: isRequired,
			...(prop.cyclic || value === undefined ? { type: 'json' as const } : fieldShape(refs, prop.schema)),
		});
	}
	return out;
}
