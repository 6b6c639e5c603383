import { DEFAULT_RETRY } from '../model/build';
import type { Integration, Operation, Parameter, Resource } from '../model/types';
import type { Finding } from '../validate/finding';
import { mapAuth, readScopes, requiredScopes } from './auth';
import { FILE_TYPE, MEDIA_TYPE, mapBody } from './body';
import { proposeLookups } from './lookups';
import { CredentialParameters } from './credential-parameters';
import type { Json } from './document';
import { operationNames, resourceName, tagFromPath, unique } from './names';
import { listShape, successResponse } from './pagination';
import { ParameterMapper, specParameters } from './parameters';
import { isObject, Refs } from './refs';
import { mapServers, operationBaseUrl } from './servers';
import { describe, toCamel, toTitle } from './text';
import { mapWebhooks } from './webhooks';
import { operationsOf, type SpecOperation } from './walk';

/** Node parameter names the generated description uses itself. */
const RESERVED_PROPERTIES = new Set([
	'authentication',
	'resource',
	'operation',
	'returnAll',
	'limit',
	'additionalFields',
	'notice',
	'deprecationNotice',
	'operationDeprecationNotice',
	'bodyJson',
	'binaryPropertyName',
]);
const LOCATION_SUFFIX: Record<Parameter['in'], string> = {
	path: 'Path',
	query: 'Query',
	header: 'Header',
	cookie: 'Cookie',
	body: 'Field',
};
const SUPPORTED = new Set(['get', 'put', 'post', 'delete', 'patch', 'head']);
const CHEAP_CHECK = /\/(me|user|users\/me|account|whoami|status|ping|health|self|profile)$/i;

export interface Mapped {
	integration: Integration;
	/** Where each operation came from, for overlays that name operations by operationId. */
	origins: Array<{ operationId: string; resource: Resource; operation: Operation }>;
	findings: Array<Omit<Finding, 'file'>>;
}

/** Which operations to generate (all by default). */
export type Keep = (op: SpecOperation, tag: string) => boolean;

/** One linted OpenAPI 3 document → the integration model the emitters write nodes from. */
export function mapDocument(
	doc: Json,
	fallbackName: string,
	keep: Keep = () => true,
	progress?: (done: number, total: number) => void,
): Mapped {
	const refs = new Refs(doc);
	const info = isObject(doc.info) ? doc.info : {};
	const title =
		typeof info.title === 'string' && info.title.trim() ? info.title.trim().replace(/\s+/g, ' ') : fallbackName;
	const auth = mapAuth(refs, doc);
	const servers = mapServers(doc);
	const credential = new CredentialParameters(auth.auth);
	const parameterMapper = new ParameterMapper(refs, credential);
	const resources = new Map<string, Resource>();
	const taken = new Map<Resource, Set<string>>();
	const tagInfo = new Map((Array.isArray(doc.tags) ? doc.tags : []).filter(isObject).map((t) => [String(t.name), t]));
	let connectionTest: Integration['connectionTest'];
	const origins: Mapped['origins'] = [];
	/** What each list operation's items hold: lookups read their labels and values there. */
	const itemKeys = new Map<Operation, string[]>();

	const all = operationsOf(doc);
	for (let index = 0; index < all.length; index++) {
		const specOp = all[index];
		if (progress && (index % 50 === 0 || index === all.length - 1)) progress(index + 1, all.length);
		const { path, method, operation, pathItem } = specOp;
		const tag =
			Array.isArray(operation.tags) && typeof operation.tags[0] === 'string' && operation.tags[0].trim()
				? operation.tags[0].trim()
				: tagFromPath(path);
		if (!SUPPORTED.has(method) || !keep(specOp, tag)) continue;
		const key = resourceName(tag);
		let resource = resources.get(key);
		if (!resource) {
			const label = tag.replace(/\s+/g, ' ');
			resource = {
				name: key,
				displayName: /[A-Z\s]/.test(label) ? label : toTitle(label) || label,
				description: describe(tagInfo.get(tag)?.description),
				operations: [],
			};
			resources.set(key, resource);
			taken.set(resource, new Set());
		}
		const declared = specParameters(refs, pathItem, operation);
		const parameters = parameterMapper.map(declared);
		const shape = listShape(refs, method, operation, declared);
		const short = operationNames(String(operation.operationId), tag, shape.list);
		// A second "Get" in a resource keeps its whole name rather than becoming "get2".
		const names = taken.get(resource)!.has(short.name) ? { ...short, ...short.full } : short;
		const body = mapBody(refs, operation.requestBody, credential);
		// Most operations page through nothing and send no body: then the mapped parameters are all there is.
		const sent = shape.controlled.length
			? parameters.filter((p) => !(p.in === 'query' && shape.controlled.includes(p.name)))
			: parameters;
		const params = body.parameters.length ? sent.concat(body.parameters) : sent;
		const summary = describe(operation.summary, 100);
		const op: Operation = {
			name: unique(names.name, taken.get(resource)!),
			displayName: names.displayName,
			action: summary ?? names.action,
			// The label and action already say the summary; the description adds the spec's first words beyond it.
			description: describe(operation.description, 120),
			method: method.toUpperCase() as Operation['method'],
			path,
			parameters: withProperties(params),
			bodyType: body.bodyType,
			contentType: body.contentType,
			output: shape.output,
			requiredScopes: requiredScopes(operation, doc, auth),
			pagination: shape.list ? shape.pagination : undefined,
			binaryResponse: !shape.list && isFileResponse(refs, operation) ? true : undefined,
			accept: acceptOf(refs, operation),
			list: shape.list,
			baseUrl: operationBaseUrl(pathItem, operation, doc, servers.config),
			deprecated: operation.deprecated === true,
		};
		resource.operations.push(op);
		if (shape.itemKeys) itemKeys.set(op, shape.itemKeys);
		origins.push({ operationId: String(operation.operationId), resource, operation: op });
		// The credential test runs on the main server.
		if (op.baseUrl) continue;
		if (
			method === 'get' &&
			!params.some((p) => p.required) &&
			(!connectionTest || (CHEAP_CHECK.test(path) && !CHEAP_CHECK.test(connectionTest.path)))
		)
			connectionTest = { method: 'GET', path };
	}
	for (const r of resources.values()) distinctLabels(r.operations);
	proposeLookups([...resources.values()], itemKeys);
	for (const a of auth.auth) if (a.type === 'oauth2') a.defaultScopes = readScopes([...resources.values()], a.scopes);

	const integration: Integration = {
		name: integrationName(title),
		displayName: title,
		description: describe(info.description, 200) ?? title,
		version: 1,
		category: 'other',
		status: 'active',
		documentationUrl:
			isObject(doc.externalDocs) && /^https?:\/\//.test(String(doc.externalDocs.url))
				? String(doc.externalDocs.url)
				: undefined,
		baseUrl: servers.baseUrl,
		config: [...servers.config, ...auth.config],
		auth: auth.auth,
		rateLimits: [],
		retry: { ...DEFAULT_RETRY },
		pagination: { type: 'none' },
		connectionTest,
		resources: [...resources.values()],
		triggers: mapWebhooks(refs, doc, title),
	};
	return { integration, origins, findings: auth.findings };
}

/** A success response that offers a file type and no JSON. */
function isFileResponse(refs: Refs, operation: Json): boolean {
	const content = successResponse(refs, operation).content;
	const types = isObject(content) ? Object.keys(content) : [];
	return types.some((t) => FILE_TYPE.test(t)) && !types.some((t) => /json/i.test(t));
}

/**
 * What the answer comes in when no type of it is JSON: asked for instead of the JSON n8n asks for.
 * An answer of any type (`*\/*`) is still asked for as JSON first: it is what the node reads best.
 */
function acceptOf(refs: Refs, operation: Json): string | undefined {
	const content = successResponse(refs, operation).content;
	const types = isObject(content) ? Object.keys(content) : [];
	if (!types.length || types.some((t) => /json/i.test(t)) || !types.every((t) => MEDIA_TYPE.test(t)))
		return undefined;
	return (types.includes('*/*') ? ['application/json', ...types] : types).join(', ');
}

/** A class-safe camelCase name from the API title. */
function integrationName(title: string): string {
	const name = toCamel(title.replace(/\b(api|rest|openapi|swagger)\b/gi, ' ')) || toCamel(title) || 'openApi';
	return /^[a-z]/.test(name) ? name.slice(0, 60) : `api${name[0].toUpperCase()}${name.slice(1, 60)}`;
}

/**
 * Gives each parameter the node property that holds it: its camelCase name unless the node already
 * uses that or another parameter of the operation took it (then the location is added).
 */
function withProperties(params: Parameter[]): Parameter[] {
	const taken = new Set<string>();
	return params.map((p) => {
		if (p.property) {
			taken.add(p.property);
			return p;
		}
		const base = toCamel(p.name) || 'value';
		const wanted = RESERVED_PROPERTIES.has(base) || taken.has(base) ? `${base}${LOCATION_SUFFIX[p.in]}` : base;
		return withProperty(p, unique(wanted, taken));
	});
}

/** Shared parameters stay shared: one copy per property name a parameter is given. */
const named = new WeakMap<Parameter, Map<string, Parameter>>();

function withProperty(p: Parameter, property: string): Parameter {
	let byProperty = named.get(p);
	if (!byProperty) named.set(p, (byProperty = new Map()));
	let copy = byProperty.get(property);
	if (!copy) byProperty.set(property, (copy = { ...p, property }));
	return copy;
}

/** Two operations with the same label in one resource are told apart by method and path. */
export function distinctLabels(operations: Operation[]): void {
	const counts = new Map<string, number>();
	for (const op of operations) counts.set(op.displayName, (counts.get(op.displayName) ?? 0) + 1);
	for (const op of operations)
		if (counts.get(op.displayName)! > 1) op.displayName = `${op.displayName} (${op.method} ${op.path})`;
}
