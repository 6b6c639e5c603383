import { DEFAULT_PAGE_SIZE, withPaginationDefaults } from '../model/build';
import type { Pagination } from '../model/types';
import type { Json } from './load';
import { isObject, type Refs } from './refs';
import { resolveSchema, typesOf } from './schema';

export interface ListShape {
	list: boolean;
	/** Where the results array is in a response ('' for a bare array). */
	output?: string;
	pagination?: Pagination;
	/** Query parameters the runtime sets while paging; the node shows no field for them. */
	controlled: string[];
}

const PAGE_SIZE = /^(limit|per_?page|page_?size|size|count|max_?results|\$?top|max|take|num|results_?per_?page|max_?items)$/i;
const OFFSET = /^(offset|\$?skip|start|from|start_?index|first_?result)$/i;
const PAGE = /^(page|page_?number|page_?no|p|page_?index)$/i;
const CURSOR = /^(cursor|after|starting_?after|next_?token|page_?token|continuation(_?token)?|marker|next_?cursor|page_?cursor|next_?page_?token)$/i;
const RESULTS = /^(data|items|results|records|entries|values|list|content|elements|objects|nodes|rows|hits)$/i;
const NEXT_URL = /^(next|next_?url|next_?page_?url|next_?link|@odata\.nextLink|href)$/i;
const NEXT_CURSOR = /^(next_?cursor|cursor|next_?page_?token|next_?token|continuation_?token|end_?cursor|after|next_?marker|next_?page_?cursor)$/i;
const HAS_MORE = /^(has_?more|has_?next(_?page)?|more(_?available)?)$/i;
const TOTAL = /^(total|total_?count|total_?results|total_?items|count)$/i;
const TOTAL_PAGES = /^(total_?pages|page_?count|pages|last_?page)$/i;

/**
 * Whether a GET operation lists things, where the list is in its response, and how to page through
 * it: `Link` headers, a cursor the response hands back, a next URL in the body, page numbers or
 * offsets, in that order of trust. `x-n8n-pagination` on the operation (an integration pagination
 * object) overrides the guess.
 */
export function listShape(refs: Refs, method: string, operation: Json, queryParams: Json[]): ListShape {
	const none: ListShape = { list: false, controlled: [] };
	if (method !== 'get') return none;
	const response = successResponse(refs, operation);
	const schema = resolveSchema(refs, jsonSchemaOf(response)).schema;
	const output = resultsPath(refs, schema);
	const declared = isObject(operation['x-n8n-pagination']) ? (operation['x-n8n-pagination'] as Pagination) : undefined;
	if (output === undefined && !declared) return none;
	const byName = (re: RegExp) => queryParams.find((p) => re.test(String(p.name)));
	const sizeParam = byName(PAGE_SIZE);
	const common = sizeParam ? { pageSizeParam: String(sizeParam.name), pageSize: pageSizeFor(refs, sizeParam) } : {};
	const headers = Object.keys(isObject(response.headers) ? response.headers : {}).map((h) => h.toLowerCase());
	const find = (re: RegExp) => findProperty(refs, schema, re);
	let pagination: Pagination = { type: 'none' };
	const cursorParam = byName(CURSOR);
	const cursorPath = cursorParam && find(NEXT_CURSOR);
	const nextUrl = find(NEXT_URL);
	const page = byName(PAGE);
	const offset = byName(OFFSET);
	const hasMore = find(HAS_MORE);
	const more = hasMore ? { hasMorePath: hasMore } : {};
	if (declared) pagination = declared;
	else if (headers.includes('link')) pagination = { type: 'link', location: 'header', ...common };
	else if (cursorParam && cursorPath) pagination = { type: 'cursor', cursorParam: String(cursorParam.name), cursorPath, ...common, ...more };
	else if (nextUrl) pagination = { type: 'link', location: 'body', nextUrlPath: nextUrl, ...common };
	else if (page) pagination = { type: 'page', pageParam: String(page.name), ...optional('totalPagesPath', find(TOTAL_PAGES)), ...common, ...more };
	else if (offset) pagination = { type: 'offset', offsetParam: String(offset.name), ...optional('totalPath', find(TOTAL)), ...common, ...more };
	const controlled = declared ? declaredParams(declared) : pagination.type === 'none' ? [] : [sizeParam, page, offset, cursorParam].filter((p): p is Json => !!p).map((p) => String(p.name));
	return { list: true, output: output || undefined, pagination: withPaginationDefaults(pagination), controlled };
}

/** The query parameters a declared pagination sets itself. */
function declaredParams(p: Pagination): string[] {
	if (p.type === 'none') return [];
	const own = p.type === 'offset' ? p.offsetParam : p.type === 'page' ? p.pageParam : p.type === 'cursor' ? p.cursorParam : undefined;
	return [p.pageSizeParam, own].filter((x): x is string => !!x);
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
function resultsPath(refs: Refs, schema: Json): string | undefined {
	if (typesOf(schema).includes('array')) return '';
	const arrays: string[] = [];
	collect(refs, schema, [], 2, (path, s) => {
		if (typesOf(s).includes('array')) arrays.push(path.join('.'));
	});
	return arrays.find((p) => RESULTS.test(p.split('.').pop()!)) ?? (arrays.length === 1 ? arrays[0] : undefined);
}

/** The dotted path of the first (shallowest) property whose name matches. */
function findProperty(refs: Refs, schema: Json, name: RegExp): string | undefined {
	let found: string | undefined;
	collect(refs, schema, [], 3, (path) => {
		if (!found && name.test(path[path.length - 1])) found = path.join('.');
	});
	return found;
}

/** Breadth-first over object properties down to `depth`. */
function collect(refs: Refs, schema: Json, path: string[], depth: number, visit: (path: string[], schema: Json) => void): void {
	let level: Array<{ path: string[]; schema: Json; trail?: Set<string> }> = [{ path, schema }];
	for (let d = 0; d < depth && level.length; d++) {
		const next: typeof level = [];
		for (const node of level) {
			const props = isObject(node.schema.properties) ? node.schema.properties : {};
			for (const [key, value] of Object.entries(props)) {
				const r = resolveSchema(refs, value, node.trail);
				if (r.cyclic) continue;
				visit([...node.path, key], r.schema);
				if (isObject(r.schema.properties)) next.push({ path: [...node.path, key], schema: r.schema, trail: r.trail });
			}
		}
		level = next;
	}
}

function pageSizeFor(refs: Refs, param: Json): number {
	const schema = resolveSchema(refs, param.schema).schema;
	const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
	return Math.max(1, Math.min(DEFAULT_PAGE_SIZE, max ?? DEFAULT_PAGE_SIZE));
}
