import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { graphqlBody, withParameters } from './graphql';
import { send, type Response } from './http';
import {
	fetchPages,
	followedLink,
	inBody,
	nextCursor,
	nextLink,
	pageItems,
	requestedPageSize,
	startOf,
} from './pagination';
import { hasValues, readPath } from './paths';
import { pathSegment } from './request';
import { connect, onBase } from './session';
import type { IntegrationTable, LookupSpec } from './types';

/** Options loaded for a drop-down stop here: a longer list is not one to pick from. */
const MAX_OPTIONS = 1000;

type ListSearch = (this: ILoadOptionsFunctions, filter?: string, token?: string) => Promise<INodeListSearchResult>;
type LoadOptions = (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;

/** The node's `methods`: a list search per resource locator, a loader per drop-down, over the table's lookups. */
export function lookupMethods(table: IntegrationTable): {
	listSearch: Record<string, ListSearch>;
	loadOptions: Record<string, LoadOptions>;
} {
	const listSearch: Record<string, ListSearch> = {};
	const loadOptions: Record<string, LoadOptions> = {};
	for (const [name, spec] of Object.entries(table.lookups ?? {})) {
		if (spec.options)
			loadOptions[name] = async function (this: ILoadOptionsFunctions) {
				return await loadChoices.call(this, table, spec);
			};
		else
			listSearch[name] = async function (this: ILoadOptionsFunctions, filter?: string, token?: string) {
				return await searchChoices.call(this, table, spec, filter, token);
			};
	}
	return { listSearch, loadOptions };
}

/** One page of choices for "From List": searched by the service or by label here, and where the next page starts. */
async function searchChoices(
	this: ILoadOptionsFunctions,
	table: IntegrationTable,
	spec: LookupSpec,
	filter?: string,
	token?: string,
): Promise<INodeListSearchResult> {
	const { context, session, first } = await lookupRequest.call(this, table, spec);
	const { pagination = { type: 'none' } } = spec.request;
	const graphql = spec.request.graphql !== undefined;
	let request = filter && spec.search ? withValues(spec, first, { [spec.search]: filter }) : first;
	const size = pagination.type === 'none' ? undefined : requestedPageSize(pagination, undefined);
	if (pagination.type !== 'none' && pagination.pageSizeParam && size)
		request = withValues(spec, request, { [pagination.pageSizeParam]: size });
	// Offsets and page numbers are sent from the first page on, as for an operation.
	const position =
		token ?? (pagination.type === 'offset' || pagination.type === 'page' ? String(startOf(pagination)) : undefined);
	if (position !== undefined) request = atPosition.call(context, spec, request, position);
	const response = await send.call(context, session, request, graphql);
	const items = pageItems(response.body, spec.request);
	const wanted = filter && !spec.search ? filter.toLowerCase() : undefined;
	const results = items
		.filter((item) => hasValues(item, spec.when))
		.map((item) => choice(spec, item))
		.filter((c): c is INodeListSearchItems => !!c && (!wanted || c.name.toLowerCase().includes(wanted)));
	return { results, paginationToken: nextPosition(spec, response, request, items, position) };
}

/** Every choice for a drop-down, read through the lookup's pagination like Return All (up to MAX_OPTIONS). */
async function loadChoices(
	this: ILoadOptionsFunctions,
	table: IntegrationTable,
	spec: LookupSpec,
): Promise<INodePropertyOptions[]> {
	const { context, session, first } = await lookupRequest.call(this, table, spec);
	const items = await fetchPages.call(context, session, first, spec.request, MAX_OPTIONS, 0);
	return items
		.filter((item) => hasValues(item, spec.when))
		.map((item) => choice(spec, item))
		.filter((c): c is INodeListSearchItems => !!c);
}

/**
 * The lookup's first request, on the node's credential: the same session (auth, origin, rate limits, errors) as an
 * operation's. Load-options methods get the request helpers, credentials and node an operation gets.
 */
async function lookupRequest(this: ILoadOptionsFunctions, table: IntegrationTable, spec: LookupSpec) {
	const context = this as unknown as IExecuteFunctions;
	const { method, path, baseUrl: ownBase, rateLimits, graphql } = spec.request;
	const { session, baseUrl } = onBase(await connect.call(context, table, 0), table, ownBase);
	if (rateLimits?.length) session.operationLimits = { key: `${method} ${path}`, limits: rateLimits };
	const qs: IDataObject = { ...spec.query };
	// Parameters not in the path go into a declared JSON body, else the query string (GraphQL: the variables).
	const body: IDataObject | undefined = spec.body && { ...(spec.body as IDataObject) };
	let filled = path;
	for (const [name, property] of Object.entries(spec.parameters ?? {})) {
		const value = this.getCurrentNodeParameter(property, { extractValue: true }) as unknown;
		if (value === undefined || value === null || value === '') {
			const field = property.split('.').pop();
			throw new NodeOperationError(this.getNode(), `Choose "${field}" first`, {
				description: `The choices depend on the "${field}" field: fill it in, then open this list again.`,
			});
		}
		if (filled.includes(`{${name}}`))
			filled = filled.split(`{${name}}`).join(pathSegment.call(this, String(value), property));
		else (body ?? qs)[name] = value as IDataObject[string];
	}
	const first: IHttpRequestOptions = {
		method,
		url: baseUrl + filled,
		qs: graphql ? {} : qs,
		headers: {},
		arrayFormat: 'repeat',
		json: true,
		...(graphql ? { body: graphqlBody(graphql, qs) } : body ? { body } : {}),
	};
	return { context, session, first };
}

/** Puts values where the lookup's request carries its parameters: its JSON body, GraphQL variables or query string. */
function withValues(spec: LookupSpec, request: IHttpRequestOptions, values: IDataObject): IHttpRequestOptions {
	if (spec.body && spec.request.graphql === undefined)
		return { ...request, body: { ...(request.body as IDataObject), ...values } };
	return withParameters(request, values, spec.request.graphql !== undefined);
}

/** A listed item as a choice: its label, its value as text, and its link when the lookup has one. */
function choice(spec: LookupSpec, item: unknown): INodeListSearchItems | undefined {
	const value = readPath(item, spec.value);
	if (value === undefined || value === null || value === '') return undefined;
	const label = readPath(item, spec.label);
	const url = spec.url && link(spec.url, item, String(value));
	return { name: String(label ?? value), value: String(value), ...(url ? { url } : {}) };
}

/** The lookup's link with `{value}` and each `{path}` of the item filled in; none when a part is missing. */
function link(template: string, item: unknown, value: string): string | undefined {
	let missing = false;
	const url = template.replace(/\{([^}]+)\}/g, (_, path: string) => {
		const part = path === 'value' ? value : readPath(item, path);
		if (part === undefined || part === null || part === '') missing = true;
		return String(part);
	});
	return missing ? undefined : url;
}

/**
 * The request for the page a token stands for. The token comes back from the browser: a link is followed only on the
 * lookup's origin (or one its pagination allows).
 */
function atPosition(
	this: IExecuteFunctions,
	spec: LookupSpec,
	request: IHttpRequestOptions,
	token: string,
): IHttpRequestOptions {
	const pagination = spec.request.pagination ?? { type: 'none' };
	switch (pagination.type) {
		case 'cursor':
			return pagination.cursorIn === 'body'
				? inBody(request, request, pagination, token)
				: withValues(spec, request, { [pagination.cursorParam]: token });
		case 'offset':
			return withValues(spec, request, { [pagination.offsetParam]: Number(token) });
		case 'page':
			return withValues(spec, request, { [pagination.pageParam]: Number(token) });
		case 'link':
			return { ...request, url: followedLink.call(this, pagination, token, request.url, request.url, 0), qs: {} };
		default:
			return request;
	}
}

/** Where the page after this one starts, or undefined on the last page. */
function nextPosition(
	spec: LookupSpec,
	response: Response,
	request: IHttpRequestOptions,
	items: unknown[],
	/** This page's token (offsets and pages have one from the first page on). */
	position: string | undefined,
): string | undefined {
	const pagination = spec.request.pagination ?? { type: 'none' };
	if (pagination.type === 'none' || items.length === 0) return undefined;
	if (pagination.hasMorePath && readPath(response.body, pagination.hasMorePath) === false) return undefined;
	switch (pagination.type) {
		case 'cursor': {
			const cursor = nextCursor(pagination, response.body, items);
			return cursor === undefined || String(cursor) === position ? undefined : String(cursor);
		}
		case 'offset': {
			const offset = Number(position) + items.length;
			const total = pagination.totalPath ? Number(readPath(response.body, pagination.totalPath)) : NaN;
			return offset >= total ? undefined : String(offset);
		}
		case 'page': {
			const page = Number(position);
			const pages = pagination.totalPagesPath ? Number(readPath(response.body, pagination.totalPagesPath)) : NaN;
			return page - startOf(pagination) + 1 >= pages ? undefined : String(page + 1);
		}
		case 'link': {
			const next = nextLink(pagination, response);
			return next && new URL(next, request.url).toString();
		}
	}
}
