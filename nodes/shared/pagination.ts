import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { redact } from './errors';
import { withParameters } from './graphql';
import { send, type Response, type Session } from './http';
import { readPath } from './paths';
import { readsAhead } from './read-ahead';
import type { OperationSpec, Pagination, RowsSpec } from './types';

const DEFAULT_MAX_PAGES = 10_000;
const DEFAULT_CONCURRENCY = 8;

/** What an operation says about reading its list: the action node and the polling trigger read it alike. */
export type ListSpec = Pick<OperationSpec, 'pagination' | 'output' | 'graphql' | 'rows'>;

/** What the user set on the node for this read; each falls back to the integration's pagination. */
export interface ReadOptions {
	maxPages?: number;
	concurrency?: number;
}

/**
 * Fetches pages until the results run out or `limit` items are in hand, whichever comes first.
 * Never loops forever: a repeated cursor or next link is an error, and so is passing the page cap
 * while the service still has pages (a silent cut would lose data). Where the first answer says
 * how many pages there are, the rest are fetched several at a time (fetchKnownPages).
 */
export async function fetchPages(
	this: IExecuteFunctions,
	session: Session,
	first: IHttpRequestOptions,
	spec: ListSpec,
	limit: number | undefined,
	itemIndex: number,
	options: ReadOptions = {},
): Promise<unknown[]> {
	const { pagination = { type: 'none' } } = spec;
	const graphql = spec.graphql !== undefined;
	const results: unknown[] = [];
	// Page parameters go in the query string, or for GraphQL in the variables.
	const params: IDataObject = {};
	const pageSize = pagination.type === 'none' ? undefined : requestedPageSize(pagination, limit);
	if (pagination.type !== 'none' && pagination.pageSizeParam && pageSize) params[pagination.pageSizeParam] = pageSize;
	const maxPages = pagination.type === 'none' ? 1 : (options.maxPages ?? pagination.maxPages ?? DEFAULT_MAX_PAGES);
	const concurrency =
		pagination.type === 'none' ? 1 : (options.concurrency ?? pagination.concurrency ?? DEFAULT_CONCURRENCY);
	// Whether later pages may be fetched several at once, once the first answer says which there are.
	const ahead = concurrency > 1 && readsAhead(pagination);
	const itemsOf = (response: Response) => pageItems(response.body, spec);
	const capped = () =>
		new NodeOperationError(this.getNode(), `Stopped after ${maxPages} pages with more results left`, {
			itemIndex,
			description: `Return All is capped at ${maxPages} pages (${results.length} items so far). Raise Max Pages under the node's Pagination options, use Limit, or narrow the query.`,
		});
	const seen = new Set<string>();
	let offset = pagination.type === 'offset' ? startOf(pagination) : 0;
	let page = pagination.type === 'page' ? startOf(pagination) : 0;
	if (pagination.type === 'offset') params[pagination.offsetParam] = offset;
	if (pagination.type === 'page') params[pagination.pageParam] = page;
	let request: IHttpRequestOptions = withParameters(first, params, graphql);

	// The pages after the first, when its answer says how many there are: fetched several at a time.
	const readAhead = async (
		wanted: number,
		fullPage: number,
		position: (k: number) => IDataObject | string,
		base = request,
	) => {
		if (wanted > maxPages - 1) throw capped();
		const later = Array.from({ length: Math.max(0, wanted) }, (_, k) => {
			const at = position(k);
			return typeof at === 'string' ? { ...base, url: at } : withParameters(base, at, graphql);
		});
		const pagesRead = await fetchKnownPages.call(this, session, later, itemsOf, fullPage, concurrency, graphql);
		return finish(results, pagesRead, limit);
	};

	for (let pages = 1; ; pages++) {
		const response = await send.call(this, session, request, graphql);
		const pageItems = itemsOf(response);
		// A loop, not push(...pageItems): a huge page would overflow the stack.
		for (const pageItem of pageItems) results.push(pageItem);
		if (limit !== undefined && results.length >= limit) return results.slice(0, limit);
		if (pagination.type === 'none' || pageItems.length === 0) return results;
		if (pagination.hasMorePath && readPath(response.body, pagination.hasMorePath) === false) return results;

		let next: IHttpRequestOptions | undefined;
		switch (pagination.type) {
			case 'offset': {
				offset += pageItems.length;
				const total = pagination.totalPath ? Number(readPath(response.body, pagination.totalPath)) : NaN;
				if (pages === 1 && ahead && Number.isFinite(total)) {
					// Every later page starts a first page's length further on.
					const left = Math.min(total - (offset - startOf(pagination)), (limit ?? Infinity) - results.length);
					const wanted = Math.ceil(left / pageItems.length);
					return await readAhead(wanted, pageItems.length, (k) => ({
						[pagination.offsetParam]: offset + k * pageItems.length,
					}));
				}
				if (!(offset >= total)) next = withParameters(request, { [pagination.offsetParam]: offset }, graphql);
				break;
			}
			case 'page': {
				page += 1;
				// Counted in pages fetched, so it holds whether the service numbers pages from 0 or 1.
				const totalPages = pagination.totalPagesPath
					? Number(readPath(response.body, pagination.totalPagesPath))
					: NaN;
				if (pages === 1 && ahead && Number.isFinite(totalPages)) {
					const needed =
						limit === undefined ? Infinity : Math.ceil((limit - results.length) / pageItems.length);
					const wanted = Math.min(totalPages - 1, needed);
					return await readAhead(wanted, pageItems.length, (k) => ({ [pagination.pageParam]: page + k }));
				}
				if (!(pages >= totalPages)) next = withParameters(request, { [pagination.pageParam]: page }, graphql);
				break;
			}
			case 'cursor': {
				const cursor = nextCursor(pagination, response.body, pageItems);
				if (cursor !== undefined) {
					if (seen.has(String(cursor))) {
						throw loopError.call(
							this,
							session,
							`the cursor "${String(cursor)}" came back twice`,
							itemIndex,
						);
					}
					seen.add(String(cursor));
					next =
						pagination.cursorIn === 'body'
							? inBody(request, first, pagination, cursor)
							: withParameters(request, { [pagination.cursorParam]: cursor as string }, graphql);
				}
				break;
			}
			case 'link': {
				const link = nextLink(pagination, response);
				if (link) {
					const url = followedLink.call(this, pagination, link, request.url, first.url, itemIndex);
					const last = pages === 1 && ahead ? lastLink(pagination, response) : undefined;
					// Only a `last` on the next link's origin and path counts (numberedPages): any other is ignored.
					const numbered = last ? numberedPages(url, last, request.url) : undefined;
					if (numbered) {
						// GitHub-style: `next` and `last` differ only in a page number, so every page between is known.
						const needed =
							limit === undefined ? Infinity : Math.ceil((limit - results.length) / pageItems.length);
						const wanted = Math.min(numbered.last - numbered.next + 1, needed);
						return await readAhead(wanted, pageItems.length, (k) => numbered.at(numbered.next + k), {
							...request,
							qs: {},
						});
					}
					if (seen.has(url)) {
						throw loopError.call(this, session, `the next link ${url} came back twice`, itemIndex);
					}
					seen.add(url);
					// The link carries every query parameter the service wants.
					next = { ...request, url, qs: {} };
				}
				break;
			}
		}
		if (!next) return results;
		if (pages >= maxPages) throw capped();
		request = next;
	}
}

/** The items of one page: at the pagination's results key, or the operation's output, or its table's rows. */
export function pageItems(body: unknown, spec: ListSpec): unknown[] {
	const { pagination = { type: 'none' }, output, rows } = spec;
	if (rows) return tableRows(body, rows);
	return toArray(readPath(body, pagination.type === 'none' ? output : (pagination.resultsKey ?? output)));
}

/** The cursor of the next page, if any; Stripe-style, a field of the page's last item (`starting_after` = its id). */
export function nextCursor(
	pagination: Extract<Pagination, { type: 'cursor' }>,
	body: unknown,
	items: unknown[],
): string | number | undefined {
	const cursor = readPath(
		pagination.cursorFrom === 'lastItem' ? items[items.length - 1] : body,
		pagination.cursorPath,
	);
	return cursor === undefined || cursor === null || cursor === '' ? undefined : (cursor as string | number);
}

/** The offset or page number a run starts at: the definition's, else 0 for offsets and 1 for pages. */
export function startOf(pagination: Extract<Pagination, { type: 'offset' | 'page' }>): number {
	return pagination.type === 'offset' ? (pagination.startOffset ?? 0) : (pagination.firstPage ?? 1);
}

/** The next page's link as the service gives it, in a header or the body. */
export function nextLink(pagination: Extract<Pagination, { type: 'link' }>, response: Response): string | undefined {
	const link =
		pagination.location === 'header'
			? linkFromHeader(response, pagination.header ?? 'link', pagination.rel ?? 'next')
			: readPath(response.body, pagination.nextUrlPath);
	return typeof link === 'string' && link ? link : undefined;
}

/** The last page's link, where the service gives one (a Link header's `rel="last"`). */
function lastLink(pagination: Extract<Pagination, { type: 'link' }>, response: Response): string | undefined {
	return pagination.location === 'header' ? linkFromHeader(response, pagination.header ?? 'link', 'last') : undefined;
}

/**
 * The pages from `next` to `last` when the two URLs differ only in one query parameter holding a page number
 * (`?page=2` … `?page=40`): `at(n)` is page n's URL. Anything else (a cursor, another origin or path, a URL that
 * does not parse) is not a numbering.
 */
export function numberedPages(
	next: string,
	last: string,
	base?: string,
): { next: number; last: number; at: (page: number) => string } | undefined {
	const [a, b] = [parsedUrl(next, base), parsedUrl(last, base)];
	if (!a || !b || a.origin !== b.origin || a.pathname !== b.pathname) return undefined;
	const names = new Set([...a.searchParams.keys(), ...b.searchParams.keys()]);
	const differing = [...names].filter((n) => a.searchParams.getAll(n).join() !== b.searchParams.getAll(n).join());
	if (differing.length !== 1) return undefined;
	const [param] = differing;
	const [from, to] = [a.searchParams.get(param), b.searchParams.get(param)];
	if (!from || !to || !/^\d{1,9}$/.test(from) || !/^\d{1,9}$/.test(to) || Number(to) < Number(from)) return undefined;
	return {
		next: Number(from),
		last: Number(to),
		at: (page) => {
			const url = new URL(a);
			url.searchParams.set(param, String(page));
			return url.toString();
		},
	};
}

function parsedUrl(url: string, base?: string): URL | undefined {
	try {
		return new URL(url, base);
	} catch {
		return undefined;
	}
}

/**
 * A next link as the URL to follow: on the first request's origin or one the pagination allows, never another (the
 * credential would not go there, but the service's answer would be trusted).
 */
export function followedLink(
	this: Pick<IExecuteFunctions, 'getNode'>,
	pagination: Extract<Pagination, { type: 'link' }>,
	link: string,
	relativeTo: string,
	firstUrl: string,
	itemIndex: number,
): string {
	const target = new URL(link, relativeTo);
	const origin = new URL(firstUrl).origin;
	if (target.origin !== origin && !pagination.allowedOrigins?.includes(target.origin)) {
		const stopped = `Pagination stopped: the next page is on ${target.origin}, not ${origin}`;
		throw new NodeOperationError(this.getNode(), stopped, {
			itemIndex,
			description: `A link to another origin is not followed. If ${target.origin} belongs to the service, \
list it in the pagination's \`allowedOrigins\`.`,
		});
	}
	return target.toString();
}

/** Return All and Limits above the usual page size ask for the largest page the API allows: fewer round trips. */
export function requestedPageSize(
	pagination: Exclude<Pagination, { type: 'none' }>,
	limit: number | undefined,
): number | undefined {
	if (!pagination.pageSize) return undefined;
	const largest = Math.max(pagination.maxPageSize ?? pagination.pageSize, pagination.pageSize);
	return limit === undefined ? largest : Math.min(limit, largest);
}

/**
 * The pages after the first when their requests are known up front, `concurrency` at a time, in
 * the order a sequential read gets them. A page shorter than the first ends the collection (it
 * shrank while being read): later pages are dropped, and none is asked for once that is known.
 * Rate limits and Retry-After hold across the pages in flight (send waits for each).
 */
async function fetchKnownPages(
	this: IExecuteFunctions,
	session: Session,
	requests: IHttpRequestOptions[],
	itemsOf: (response: Response) => unknown[],
	fullPage: number,
	concurrency: number,
	graphql: boolean,
): Promise<unknown[][]> {
	const pages: unknown[][] = [];
	let end = requests.length;
	let nextIndex = 0;
	let failed = false;
	const worker = async () => {
		while (!failed && nextIndex < end) {
			const index = nextIndex++;
			// A failed page fails the read: the other workers take no more pages.
			let fetched = false;
			try {
				pages[index] = itemsOf(await send.call(this, session, requests[index], graphql));
				fetched = true;
			} finally {
				if (!fetched) failed = true;
			}
			if (pages[index].length < fullPage) end = Math.min(end, index + 1);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
	return pages.slice(0, end);
}

/** The first page's items and the later pages', in order, cut to the limit. */
function finish(results: unknown[], later: unknown[][], limit: number | undefined): unknown[] {
	for (const items of later) for (const item of items) results.push(item);
	return limit === undefined ? results : results.slice(0, limit);
}

/**
 * A table answer (Google Sheets' `values`: rows of cells, the header row first) as one object per
 * row keyed by the header, with the sheet's `row_number`; rows with no value in any cell are left out.
 */
export function tableRows(body: unknown, spec: RowsSpec): Array<Record<string, unknown>> {
	const [header = [], ...rows] = toArray(readPath(body, spec.path)) as unknown[][];
	const range = spec.rangePath ? String(readPath(body, spec.rangePath) ?? '') : '';
	const firstRow = Number(/!?[A-Za-z]*(\d+)(?::|$)/.exec(range.slice(range.lastIndexOf('!') + 1))?.[1] ?? 1);
	const names = header.map((h, i) => (h === '' || h === undefined || h === null ? `column_${i + 1}` : String(h)));
	return rows.flatMap((row, i) => {
		if (!Array.isArray(row) || row.every((cell) => cell === '' || cell === undefined || cell === null)) return [];
		return [{ row_number: firstRow + 1 + i, ...Object.fromEntries(names.map((name, c) => [name, row[c] ?? ''])) }];
	});
}

/**
 * The next page's request with the cursor in its JSON body; with a continue endpoint (Dropbox), the cursor is all it
 * sends there.
 */
export function inBody(
	request: IHttpRequestOptions,
	first: IHttpRequestOptions,
	pagination: Extract<Pagination, { type: 'cursor' }>,
	cursor: unknown,
): IHttpRequestOptions {
	if (pagination.continuePath)
		return {
			...request,
			url: new URL(pagination.continuePath, first.url).toString(),
			body: { [pagination.cursorParam]: cursor },
		};
	return { ...request, body: { ...(request.body as IDataObject), [pagination.cursorParam]: cursor } };
}

function toArray(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	return value === undefined || value === null || value === '' ? [] : [value];
}

/** `<https://api/x?page=2>; rel="next", <…>; rel="last"` → the URL with the wanted rel. */
export function linkFromHeader(response: Response, header: string, rel: string): string | undefined {
	const value = response.headers[header.toLowerCase()];
	if (!value) return undefined;
	for (const part of value.split(/,\s*(?=<)/)) {
		const match = /^<([^>]*)>(.*)$/.exec(part.trim());
		if (!match) continue;
		const rels = /;\s*rel="?([^";]+)"?/i.exec(match[2])?.[1].split(/\s+/) ?? [];
		if (rels.includes(rel)) return match[1];
	}
	return undefined;
}

/** The repeated cursor or link is the service's text, and may carry a credential (a key in the link's query). */
function loopError(this: IExecuteFunctions, session: Session, what: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Pagination stopped: ${redact(what, session.errors.secrets)}`, {
		itemIndex,
		description:
			'The service sent the same page position again, which would loop forever. Check the pagination settings (cursor path and parameter) of this integration.',
	});
}
