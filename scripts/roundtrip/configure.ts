/**
 * Node parameters for an operation, filled the way a user fills them from the vendor's reference:
 * every field the spec gives a value for (required ones at the top, optional ones under Additional
 * Fields), lists as JSON, Return All on for lists. The values come from the spec (sample.ts), not
 * from the generated node, so a field the node sends wrongly is caught by the mock.
 */
import get from 'lodash/get';
import { nodeProperty } from '../emit/table';
import type { Json } from '../openapi/document';
import type { Operation, Parameter } from '../model/types';
import { deref, sampleValue } from './sample';

export interface Configured {
	parameters: Record<string, unknown>;
	/** Why the operation cannot be run as configured (a file to upload, another host). */
	skip?: string;
}

/** The skip of an operation the spec lacks; its parameters are then the required ones, filled as a user would. */
export const NOT_IN_SPEC = 'not found in the spec';

/** The spec's operation object for an operation of the model (the importer trims trailing slashes). */
export function specOperation(doc: Json, op: Operation): { operation: Json; pathItem: Json } | undefined {
	const paths = (doc.paths ?? {}) as Record<string, Json>;
	const method = op.method.toLowerCase();
	for (const path of [op.path, `${op.path}/`]) {
		const pathItem = deref(doc, paths[path]);
		const operation = pathItem && deref(doc, pathItem[method]);
		if (operation) return { operation, pathItem };
	}
	return undefined;
}

export function configure(doc: Json, resource: string, op: Operation): Configured {
	if (op.baseUrl) return { parameters: {}, skip: 'served from another host' };
	if (op.parameters.some((p) => p.binary && p.required)) return { parameters: {}, skip: 'uploads a file' };
	const found = specOperation(doc, op);
	if (!found) {
		const required = op.parameters.filter((p) => p.required && p.const === undefined && !p.binary && p.name !== '');
		const parameters = Object.fromEntries(required.map((p) => [nodeProperty(p), fallback(p)]));
		return { parameters: { resource, operation: op.name, ...parameters }, skip: NOT_IN_SPEC };
	}
	const values = specValues(doc, found.pathItem, found.operation);
	const parameters: Record<string, unknown> = { resource, operation: op.name };
	const additional: Record<string, unknown> = {};
	const fields = op.parameters.filter((p) => p.const === undefined && !p.binary && p.name !== '');
	for (const p of fields) {
		const value = p.in === 'body' ? get(values.body, p.name) : values[p.in]?.[p.name];
		if (value === undefined) {
			if (p.required) parameters[nodeProperty(p)] = fallback(p);
			continue;
		}
		(p.required ? parameters : additional)[nodeProperty(p)] = asField(p, value);
	}
	const raw = op.parameters.find((p) => p.in === 'body' && p.name === '');
	// A required raw body is filled whatever the fields cover: the node asks for it.
	if (raw && values.body !== undefined && (raw.required || !coveredBy(fields, values.body))) {
		(raw.required ? parameters : additional)[nodeProperty(raw)] = asField(raw, values.body);
	}
	if (Object.keys(additional).length) parameters.additionalFields = additional;
	if (op.list) parameters.returnAll = true;
	return { parameters };
}

type Values = Partial<Record<Exclude<Parameter['in'], 'body'>, Json>> & { body?: unknown };

/** What the user means to send: a value for every declared parameter and a body with its properties. */
function specValues(doc: Json, pathItem: Json, operation: Json): Values {
	const values: Values = { path: {}, query: {}, header: {}, cookie: {} };
	const declared = [...asList(pathItem.parameters), ...asList(operation.parameters)];
	for (const raw of declared) {
		const p = deref(doc, raw);
		if (!p || typeof p.name !== 'string' || !values[p.in as Parameter['in']]) continue;
		const value = p.example ?? exampleOf(p.examples) ?? sampleValue(doc, p.schema ?? { type: 'string' });
		if (value !== undefined) (values[p.in as Parameter['in']] as Json)[p.name] = value;
	}
	const body = deref(doc, operation.requestBody);
	const content = (body?.content ?? {}) as Record<string, Json>;
	const types = Object.keys(content);
	const type = types.find((t) => /json|form/.test(t)) ?? types.find((t) => /^text\/|xml/.test(t));
	const media = type === undefined ? undefined : (content[type] as Json);
	if (media) values.body = media.example ?? exampleOf(media.examples) ?? sampleValue(doc, media.schema);
	return values;
}

function asList(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

function exampleOf(examples: unknown): unknown {
	const first = examples && typeof examples === 'object' ? Object.values(examples)[0] : undefined;
	return first && typeof first === 'object' && 'value' in first ? first.value : undefined;
}

/** Whether the fields reach every top-level property of the body, so the raw JSON field is not needed. */
function coveredBy(fields: Parameter[], body: unknown): boolean {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
	const tops = new Set(fields.filter((f) => f.in === 'body').map((f) => f.name.split('.')[0]));
	return Object.keys(body).every((k) => tops.has(k));
}

/** A value as the node's field holds it. */
function asField(p: Parameter, value: unknown): unknown {
	switch (p.type) {
		case 'json':
			return JSON.stringify(value);
		case 'number':
			return Number(value);
		case 'boolean':
			return value === true || value === 'true';
		case 'multiOptions':
			return Array.isArray(value) ? value : [value];
		case 'fixedCollection':
			return { entries: Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : [] };
		default:
			return typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
}

/** A required field the spec gives nothing for: what a user types when the reference is silent. */
function fallback(p: Parameter): unknown {
	if (p.options?.length) return p.type === 'multiOptions' ? [p.options[0].value] : p.options[0].value;
	return { number: 1, boolean: true, json: '{}', fixedCollection: { entries: [] } }[p.type as string] ?? 'sample';
}
