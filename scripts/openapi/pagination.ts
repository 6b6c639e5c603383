import { DEFAULT_PAGE_SIZE, withPaginationDefaults } from '../model/build';
import type { Pagination } from '../model/types';
import type { Json } from './document';
import { isObject, type Refs } from './refs';
import { resolveSchema, typesOf, type Trail } from './schema';

/** The definition format's bound on page sizes. */
const MAX_PAGE_SIZE = 1000;

export interface ListShape {
	list: boolean;
	/** Where the results array is in a response ('' for a bare array). */
	output?: string;
	pagination?: Pagination;
	/** Query parameters the runtime sets while paging; the node shows no field for them. */
	controlled: string[];
	/** The top-level keys of a listed item, where the spec says: what a lookup can read its label and value from. */
	itemKeys?: string[];
}

const PAGE_SIZE =
	/^(limit|per_?page|page_?size|size|count|max_?results|\$?top|max|take|num|results_?per_?page|max_?items)$/i;
const OFFSET = /^(offset|\$?skip|start|from|start_?index|first_?result)$/i;
const PAGE = /^(page|page_?number|page_?no|p|page_?index)$/i;
const CURSOR =
	/^(cursor|after|starting_?after|next_?token|page_?token|continuation(_?token)?|marker|next_?cursor|page_?cursor|next_?page_?token)$/i;
const RESULTS = /^(data|items|results|records|entries|values|list|content|elements|objects|nodes|rows|hits)$/i;
/** Tested on the whole path: a HAL `href` is a next link only under `next`. */
const NEXT_URL = /(^|\.)((next|next_?url|next_?page_?url|next_?link|@odata\.nextLink)|next\.href)$/i;
const NEXT_CURSOR =
	/(^|\.)(next_?(page_?)?cursor|cursor|next_?(page_?)?token|continuation_?token|end_?cursor|after|next_?marker)$/i;
const HAS_MORE = /(^|\.)(has_?more|has_?next(_?page)?|more(_?available)?)$/i;
const TOTAL = /(^|\.)(total|total_?count|total_?results|total_?items|count)$/i;
const TOTAL_PAGES = /(^|\.)(total_?pages|page_?count|pages|last_?page)$/i;
/** The types a property found by name must have (an untyped one is taken at its name). */
const NUMBER = ['integer', 'number'];
const TEXT = ['string'];
const SCALAR = ['string', 'integer', 'number'];

/**
 * Whether a GET operation lists things, where the list is in its response, and how to page through
 * it: `Link` headers, a cursor the response hands back, a next URL in the body, page numbers or
 * offsets, in that order of trust. `x-n8n-pagination` on the operation (an integration pagination
 * object) overrides the guess.
 */
export function listShape(refs: Refs, method: string, operation: Json, parameters: Json[]): ListShape {
	const none: ListShape = { list: false, controlled: [] };
	if (method !== 'get') return none;
	const response = successResponse(refs, operation);
	const schema = resolveSchema(refs, jsonSchemaOf(response)).schema;
	const properties = propertiesOf(refs, schema);
	const output = resultsPath(schema, properties);
	const declared = isObject(operation['x-n8n-pagination'])
		? (operation['x-n8n-pagination'] as Pagination)
		: undefined;
	if (output === undefined && !declared) return none;
	const queryParams = parameters.filter((p) => p.in === 'query');
	const byName = (re: RegExp) => queryParams.find((p) => re.test(String(p.name)));
	const sizeParam = byName(PAGE_SIZE);
	const common = sizeParam ? { pageSizeParam: String(sizeParam.name), ...pageSizesFor(refs, sizeParam) } : {};
	const headers = Object.keys(isObject(response.headers) ? response.headers : {}).map((h) => h.toLowerCase());
	// A name is a guess; the property's type confirms it (DigitalOcean's `links.pages` is page links, not a count).
	// A string matches a path's last key exactly (it comes from the spec, so it is never made a pattern).
	const find = (name: RegExp | string, types: readonly string[]) =>
		properties
			.upTo(3)
			.find(
				(p) =>
					(typeof name === 'string' ? p.path.split('.').at(-1) === name : name.test(p.path)) &&
					hasType(p.schema, types),
			)?.path;
	let pagination: Pagination = { type: 'none' };
	const page = byName(PAGE);
	const offset = byName(OFFSET);
	let cursorParam = byName(CURSOR);
	let cursorPath = cursorParam && find(NEXT_CURSOR, SCALAR);
	if (!cursorPath && offset && isText(refs, offset)) {
		// An offset typed as a string is a token the answer hands back under the same name, not a count: Asana's
		// `next_page.offset`, Airtable's `offset`. Counting it from 0 would ask for the first page again and again.
		cursorPath = find(String(offset.name), TEXT);
		if (cursorPath) cursorParam = offset;
	}
	const nextUrl = find(NEXT_URL, TEXT);
	const hasMore = find(HAS_MORE, ['boolean']);
	const more = hasMore ? { hasMorePath: hasMore } : {};
	if (declared) pagination = declared;
	else if (headers.includes('link')) pagination = { type: 'link', location: 'header', ...common };
	else if (cursorParam && cursorPath)
		pagination = { type: 'cursor', cursorParam: String(cursorParam.name), cursorPath, ...common, ...more };
	else if (nextUrl) pagination = { type: 'link', location: 'body', nextUrlPath: nextUrl, ...common };
	else if (page) {
		const totalPages = optional('totalPagesPath', find(TOTAL_PAGES, NUMBER));
		pagination = { type: 'page', pageParam: String(page.name), ...totalPages, ...common, ...more };
	} else if (offset) {
		const total = optional('totalPath', find(TOTAL, NUMBER));
		pagination = { type: 'offset', offsetParam: String(offset.name), ...total, ...common, ...more };
	}
	// Only what the chosen style sets: a `page` beside a next link is the user's to send (Codat requires it).
	const controlled = declaredParams(pagination);
	const list = output ? properties.upTo(2).find((p) => p.path === output)?.schema : schema;
	const item = list && resolveSchema(refs, list.items).schema;
	return {
		list: true,
		output: output || undefined,
		pagination: withPaginationDefaults(pagination),
		controlled,
		...(item && isObject(item.properties) ? { itemKeys: Object.keys(item.properties) } : {}),
	};
}

/** The query parameters a pagination sets itself. */
function declaredParams(p: Pagination): string[] {
	if (p.type === 'none') return [];
	const own =
		p.type === 'offset'
			? p.offsetParam
			: p.type === 'page'
				? p.pageParam
				: p.type === 'cursor'
					? p.cursorParam
					: undefined;
	return [p.pageSizeParam, own].filter((x): x is string => !!x);
}

/** Whether a schema has one of the types; an untyped one counts unless it is an object, a list or a choice. */
function hasType(schema: Json, types: readonly string[]): boolean {
	const own = typesOf(schema);
	if (own.length) return own.some((t) => types.includes(t));
	return !schema.properties && !schema.items && !schema.anyOf && !schema.oneOf;
}

/** Whether a parameter's schema says it is a string (and no number). */
function isText(refs: Refs, param: Json): boolean {
	const types = typesOf(resolveSchema(refs, param.schema).schema);
	return types.includes('string') && !types.some((t) => NUMBER.includes(t));
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
	return value ? ({ [key]: value } as Record<K, string>) : {};
}

export function successResponse(refs: Refs, operation: Json): Json {
	const responses = isObject(operation.responses) ? operation.responses : {};
	const code = Object.keys(responses).find((c) => /^2/.test(c)) ?? (responses.default ? 'default' : undefined);
	return code ? refs.get(responses[code]) : {};
}

function jsonSchemaOf(response: Json): unknown {
	const content = isObject(response.content) ? response.content : {};
	const type = Object.keys(content).find((t) => /json/i.test(t)) ?? Object.keys(content).find((t) => t === '*/*');
	return type && isObject(content[type]) ? content[type].schema : undefined;
}

/** '' when the response is an array, the path of its results array when it wraps one, else undefined. */
function resultsPath(schema: Json, properties: Properties): string | undefined {
	if (typesOf(schema).includes('array')) return '';
	const arrays = properties
		.upTo(2)
		.filter((p) => typesOf(p.schema).includes('array'))
		.map((p) => p.path);
	return arrays.find((p) => RESULTS.test(p.split('.').pop()!)) ?? (arrays.length === 1 ? arrays[0] : undefined);
}

interface Property {
	/** Dotted path from the response's root. */
	path: string;
	name: string;
	schema: Json;
}

/**
 * A response schema's object properties, breadth-first, level by level: each level is resolved once
 * and only when a caller asks that deep. Many operations answer with the same named schema
 * (GitHub's `repository`), so the levels are kept per schema for the whole document.
 */
type Frontier = Array<{ path: string; schema: Json; trail: Trail }>;

class Properties {
	private readonly found: Property[] = [];
	/** Where each level ends in `found`. */
	private readonly ends: number[] = [];
	private frontier: Frontier;

	constructor(
		private readonly refs: Refs,
		schema: Json,
	) {
		this.frontier = [{ path: '', schema, trail: undefined }];
	}

	/** The properties of the first `depth` levels, shallowest first. */
	upTo(depth: number): Property[] {
		while (this.ends.length < depth && this.frontier.length) {
			const next: Frontier = [];
			for (const node of this.frontier) {
				for (const object of this.alternatives(node)) {
					const props = isObject(object.schema.properties) ? object.schema.properties : {};
					for (const key in props) {
						const r = resolveSchema(this.refs, props[key], object.trail);
						if (r.cyclic) continue;
						const path = node.path ? `${node.path}.${key}` : key;
						this.found.push({ path, name: key, schema: r.schema });
						if (isObject(r.schema.properties) || isChoice(r.schema))
							next.push({ path, schema: r.schema, trail: r.trail });
					}
				}
			}
			this.frontier = next;
			this.ends.push(this.found.length);
		}
		return depth < this.ends.length ? this.found.slice(0, this.ends[depth - 1]) : this.found;
	}

	/**
	 * The node itself, or each variant of a nested choice (`links.pages` is any of forward and backward
	 * links). A response that is itself a choice (an item or an error) is no list of either: its root stays closed.
	 */
	private alternatives(node: Frontier[number]): Array<{ schema: Json; trail: Trail }> {
		if (!node.path || !isChoice(node.schema)) return [node];
		const variants = (node.schema.anyOf ?? node.schema.oneOf) as unknown[];
		return variants.map((v) => resolveSchema(this.refs, v, node.trail)).filter((r) => !r.cyclic);
	}
}

function isChoice(schema: Json): boolean {
	return !isObject(schema.properties) && (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf));
}

const propertyCache = new WeakMap<Refs, WeakMap<Json, Properties>>();

function propertiesOf(refs: Refs, schema: Json): Properties {
	let bySchema = propertyCache.get(refs);
	if (!bySchema) propertyCache.set(refs, (bySchema = new WeakMap()));
	let properties = bySchema.get(schema);
	if (!properties) bySchema.set(schema, (properties = new Properties(refs, schema)));
	return properties;
}

/** The usual page size, and the spec's `maximum` (up to 1,000) for Return All and large Limits. */
function pageSizesFor(refs: Refs, param: Json): { pageSize: number; maxPageSize?: number } {
	const schema = resolveSchema(refs, param.schema).schema;
	const max = typeof schema.maximum === 'number' ? Math.floor(schema.maximum) : undefined;
	const pageSize = Math.max(1, Math.min(DEFAULT_PAGE_SIZE, max ?? DEFAULT_PAGE_SIZE));
	return max !== undefined && max > pageSize ? { pageSize, maxPageSize: Math.min(max, MAX_PAGE_SIZE) } : { pageSize };
}
