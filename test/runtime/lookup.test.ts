/**
 * The pickers' runtime (nodes/shared/lookup.ts) against loopback services: a resource locator's
 * page of choices and its paging token for each pagination style, search by the service or by label,
 * choices that depend on another field, and loaded options read across pages.
 */
import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { lookupMethods } from '../../nodes/shared/lookup';
import type { LookupSpec, Pagination } from '../../nodes/shared/types';
import { startFake, type FakeService, type Handler } from '../fakes/server';
import { nodeContext, table } from '../security/context';

const KEY = 'lookup-key-5e2a9c';
const NAMES = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon'];
const apiKey = { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } };

const services: FakeService[] = [];
afterEach(async () => Promise.all(services.splice(0).map((s) => s.close())));
const serve = async (handler: Handler) => {
	const service = await startFake(handler);
	services.push(service);
	return service;
};

/** A load-options context: the node's fields as the editor sends them. */
function editor(fields: Record<string, unknown> = {}): ILoadOptionsFunctions {
	const { context } = nodeContext<Record<string, unknown>>({ auth: apiKey, credentials: { apiKey: KEY } });
	return {
		...context,
		getCurrentNodeParameter: (path: string) => fields[path],
	} as unknown as ILoadOptionsFunctions;
}

function methods(service: FakeService, lookup: Partial<LookupSpec> & Pick<LookupSpec, 'request'>) {
	const spec: LookupSpec = { label: 'name', value: 'id', ...lookup };
	return lookupMethods(table(service.url, { lookups: { pick: spec } }));
}

/** Items 1–5, `size` a page, at an offset, a page number or a cursor; `q` searches by name. */
function items(query: URLSearchParams): Array<{ id: string; name: string }> {
	const q = query.get('q')?.toLowerCase();
	return NAMES.map((name, i) => ({ id: `i${i + 1}`, name })).filter((x) => !q || x.name.toLowerCase().includes(q));
}

describe('a resource locator lists a page of choices and where the next begins', () => {
	const size = 2;
	const cases: Array<[string, Exclude<Pagination, { type: 'none' }>, Handler]> = [
		[
			'cursor',
			{ type: 'cursor', cursorParam: 'after', cursorPath: 'next', resultsKey: 'data', pageSizeParam: 'limit' },
			(req) => {
				const start = Number(req.query.get('after') ?? 0);
				const all = items(req.query);
				const end = start + Number(req.query.get('limit'));
				return { body: { data: all.slice(start, end), next: end < all.length ? String(end) : null } };
			},
		],
		[
			'offset',
			{ type: 'offset', offsetParam: 'offset', totalPath: 'total', resultsKey: 'data', pageSizeParam: 'limit' },
			(req) => {
				const start = Number(req.query.get('offset'));
				const all = items(req.query);
				return { body: { data: all.slice(start, start + Number(req.query.get('limit'))), total: all.length } };
			},
		],
		[
			'page',
			{ type: 'page', pageParam: 'page', totalPagesPath: 'pages', resultsKey: 'data', pageSizeParam: 'limit' },
			(req) => {
				const page = Number(req.query.get('page'));
				const all = items(req.query);
				const limit = Number(req.query.get('limit'));
				return {
					body: { data: all.slice((page - 1) * limit, page * limit), pages: Math.ceil(all.length / limit) },
				};
			},
		],
		[
			'link',
			{ type: 'link', location: 'header', resultsKey: 'data', pageSizeParam: 'limit' },
			(req) => {
				const start = Number(req.query.get('from') ?? 0);
				const all = items(req.query);
				const end = start + Number(req.query.get('limit'));
				const next = `/items?limit=${req.query.get('limit')}&from=${end}`;
				return {
					body: { data: all.slice(start, end) },
					headers: end < all.length ? { link: `<${next}>; rel="next"` } : ({} as Record<string, string>),
				};
			},
		],
	];

	it.each(cases)('%s pagination: every choice once, then no token', async (_, pagination, handler) => {
		const api = await serve(handler);
		const { listSearch } = methods(api, {
			request: { method: 'GET', path: '/items', pagination: { ...pagination, pageSize: size } },
		});
		const seen: string[] = [];
		let token: string | undefined;
		for (let pages = 0; pages < 10; pages++) {
			const page = await listSearch.pick.call(editor(), undefined, token);
			seen.push(...page.results.map((r) => `${r.value}:${r.name}`));
			token = page.paginationToken;
			if (!token) break;
		}
		expect(seen).toEqual(NAMES.map((name, i) => `i${i + 1}:${name}`));
		expect(api.requests).toHaveLength(3);
		expect(api.requests.every((r) => r.headers['x-api-key'] === KEY)).toBe(true);
	});
});

it('the service searches where the lookup names its parameter; otherwise a page is filtered by label', async () => {
	const api = await serve((req) => ({ body: items(req.query) }));
	const request = { method: 'GET' as const, path: '/items', pagination: { type: 'none' as const } };
	const searched = await methods(api, { request, search: 'q' }).listSearch.pick.call(editor(), 'ta');
	expect(searched.results.map((r) => r.name)).toEqual(['Beta', 'Delta']);
	expect(api.requests[0].query.get('q')).toBe('ta');
	const filtered = await methods(api, { request }).listSearch.pick.call(editor(), 'ALP');
	expect(filtered.results).toEqual([{ name: 'Alpha', value: 'i1' }]);
	expect(api.requests[1].query.has('q')).toBe(false);
});

it('choices that depend on another field read it into the path; without it the user is told to fill it in', async () => {
	const api = await serve((req) => ({ body: [{ id: 'l1', name: `list of ${req.path.split('/')[2]}`, slug: 'x' }] }));
	const { listSearch } = methods(api, {
		request: { method: 'GET', path: '/boards/{board}/lists', pagination: { type: 'none' } },
		parameters: { board: 'additionalFields.board' },
		url: 'https://example.com/{slug}/{value}',
	});
	const page = await listSearch.pick.call(editor({ 'additionalFields.board': 'b 7' }));
	expect(page.results).toEqual([{ name: 'list of b%207', value: 'l1', url: 'https://example.com/x/l1' }]);
	await expect(listSearch.pick.call(editor({ 'additionalFields.board': '..' }))).rejects.toThrow(/cannot be/);
	await expect(listSearch.pick.call(editor())).rejects.toThrow('Choose "board" first');
	expect(api.requests).toHaveLength(1);
});

it('loaded options are read across pages; items without a value are left out', async () => {
	const api = await serve((req) => {
		const page = Number(req.query.get('page'));
		const data = page === 1 ? [{ id: 'a', name: 'A' }, { name: 'no id' }] : page === 2 ? [{ id: 'b' }] : [];
		return { body: { data } };
	});
	const { loadOptions, listSearch } = methods(api, {
		options: true,
		request: { method: 'GET', path: '/types', pagination: { type: 'page', pageParam: 'page', resultsKey: 'data' } },
	});
	expect(listSearch.pick).toBeUndefined();
	expect(await loadOptions.pick.call(editor())).toEqual([
		{ name: 'A', value: 'a' },
		{ name: 'b', value: 'b' },
	]);
	expect(api.requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
});

it('a lookup listed with a POST sends its JSON body, the field it depends on and the search in it, continues with the cursor alone, and keeps only the items its `when` names', async () => {
	/** Dropbox's shape: entries of two kinds, a cursor, has_more; a continue endpoint that takes only the cursor. */
	const entries = [
		{ '.tag': 'folder', id: 'f1', path: '/a' },
		{ '.tag': 'file', id: 'x1', path: '/a/x.txt' },
		{ '.tag': 'folder', id: 'f2', path: '/a/b' },
		{ '.tag': 'folder', id: 'f3', path: '/c' },
	];
	const api = await serve((req) => {
		const from = req.path.endsWith('/continue') ? Number(req.body.cursor) : 0;
		return { body: { entries: entries.slice(from, from + 2), cursor: String(from + 2), has_more: from + 2 < 4 } };
	});
	const { listSearch, loadOptions } = methods(api, {
		request: {
			method: 'POST',
			path: '/list',
			pagination: {
				type: 'cursor',
				resultsKey: 'entries',
				hasMorePath: 'has_more',
				cursorPath: 'cursor',
				cursorParam: 'cursor',
				cursorIn: 'body',
				continuePath: 'list/continue',
			},
		},
		body: { recursive: true },
		parameters: { space: 'space' },
		search: 'query',
		when: { "['.tag']": 'folder' },
		label: 'path',
	});
	const fields = editor({ space: 's1' });
	const first = await listSearch.pick.call(fields, 'a');
	expect(first).toEqual({ results: [{ name: '/a', value: 'f1' }], paginationToken: '2' });
	const second = await listSearch.pick.call(fields, 'a', first.paginationToken);
	expect(second).toEqual({
		results: [
			{ name: '/a/b', value: 'f2' },
			{ name: '/c', value: 'f3' },
		],
	});
	expect(api.requests.map((r) => [r.method, r.path, r.body, [...r.query.keys()]])).toEqual([
		['POST', '/list', { recursive: true, space: 's1', query: 'a' }, []],
		['POST', '/list/continue', { cursor: '2' }, []],
	]);

	// A drop-down reads every page the same way.
	const all = await methods(api, {
		options: true,
		request: {
			method: 'POST',
			path: '/list',
			pagination: {
				type: 'cursor',
				resultsKey: 'entries',
				hasMorePath: 'has_more',
				cursorPath: 'cursor',
				cursorParam: 'cursor',
				cursorIn: 'body',
				continuePath: 'list/continue',
			},
		},
		body: { recursive: true },
		when: { "['.tag']": 'folder' },
		label: 'path',
	}).loadOptions.pick.call(fields);
	expect(all.map((o) => o.value)).toEqual(['f1', 'f2', 'f3']);
	expect(loadOptions.pick).toBeUndefined();
});
