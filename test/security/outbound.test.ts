/**
 * Attacks by an API server, or a link or redirect it returns (see SECURITY.md, "API server").
 * The action node's runtime runs against loopback services through n8n's own request function.
 */
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeExecutionData } from 'n8n-workflow';
import { runOperations } from '../../nodes/shared/execute';
import { lookupMethods } from '../../nodes/shared/lookup';
import type { CredentialAuthentication } from '../../nodes/shared/credential-auth';
import type { IntegrationTable, OperationSpec, Pagination } from '../../nodes/shared/types';
import { startFake, type FakeService, type Handler } from '../fakes/server';
import { nodeContext, table } from './context';

const KEY = 'k3y-0f-the-api-9c1d7e';
const KEY_FIELD = '{{$credentials.apiKey}}';
const apiKey: CredentialAuthentication = {
	headers: { Authorization: `=Bearer ${KEY_FIELD}`, 'X-Api-Key': `=${KEY_FIELD}`, Cookie: `=session=${KEY_FIELD}` },
	qs: { key: `=${KEY_FIELD}` },
};
const basic: CredentialAuthentication = { auth: { username: '={{$credentials.username}}', password: `=${KEY_FIELD}` } };
const BASIC_PAIR = Buffer.from(`ann:${KEY}`).toString('base64');

const idParam = { name: 'id', in: 'path' as const, property: 'id', required: true, type: 'string' as const };
const nextLinks: Pagination = { type: 'link', location: 'body', nextUrlPath: 'next', resultsKey: 'items' };
const operations = (pagination: Pagination = nextLinks): Record<string, OperationSpec> => ({
	'item:get': { method: 'GET', path: '/items/{id}', parameters: [idParam] },
	'item:list': { method: 'GET', path: '/items', parameters: [], list: true, pagination },
	'file:download': { method: 'GET', path: '/file', parameters: [], binaryResponse: true },
});

const services: FakeService[] = [];
const serve = async (handler: Handler) => {
	const service = await startFake(handler);
	services.push(service);
	return service;
};
afterEach(async () => Promise.all(services.splice(0).map((s) => s.close())));

async function run(spec: IntegrationTable, parameters: object, auth = apiKey): Promise<INodeExecutionData[]> {
	const credentials = { apiKey: KEY, username: 'ann' };
	const { context } = nodeContext<IExecuteFunctions>({ parameters: { ...parameters }, auth, credentials });
	return (await runOperations.call(context, spec))[0];
}
const get = { resource: 'item', operation: 'get', id: '1' };
const list = { resource: 'item', operation: 'list', returnAll: true };
const onApi = (service: FakeService, pagination?: Pagination) =>
	table(service.url, { operations: operations(pagination) });
/** The service's loopback address by another name: another origin. */
const elsewhere = (service: FakeService) => service.url.replace('127.0.0.1', 'localhost');

/** Everything another origin received, as one text: headers, path and query. */
const received = (service: FakeService) =>
	JSON.stringify(service.requests.map((r) => ({ url: r.url, headers: r.headers })));

describe('credentials never reach another origin', () => {
	it.each([
		['API key in headers, query and cookie', apiKey],
		['basic auth', basic],
	])('a redirect to another origin carries no credential part (%s)', async (_, auth) => {
		const other = await serve(() => ({ body: { id: 'moved' } }));
		const api = await serve((req) => ({
			status: 302,
			headers: { location: `${elsewhere(other)}/collect${req.path}` },
		}));
		await run(onApi(api), get, auth).catch(() => undefined);
		expect(received(other)).not.toContain(KEY);
		expect(received(other)).not.toContain(BASIC_PAIR);
		expect(received(other).toLowerCase()).not.toContain('authorization');
	});

	it('a redirect on the same origin keeps the credential', async () => {
		const api = await serve((req) =>
			req.path === '/items/1'
				? { status: 301, headers: { location: '/v2/items/1' } }
				: { body: { id: req.headers['x-api-key'] === KEY ? 'ok' : 'unauthenticated' } },
		);
		expect((await run(onApi(api), get))[0].json).toEqual({ id: 'ok' });
	});

	it('a next-page link to another origin is refused with an error that names it; that origin gets nothing', async () => {
		const other = await serve(() => ({ body: { items: [{ id: 3 }] } }));
		const api = await serve(() => ({ body: { items: [{ id: 1 }], next: `${elsewhere(other)}/items?page=2` } }));
		await expect(run(onApi(api), list)).rejects.toThrow(elsewhere(other));
		expect(other.requests).toHaveLength(0);
	});

	it('a Link header whose `last` page is on another origin reads on through `next`; that origin gets nothing', async () => {
		const other = await serve(() => ({ body: [{ id: 9 }] }));
		const api = await serve((req) => {
			const page = Number(req.query.get('page') ?? 1);
			const link = `<${api.url}/items?page=${page + 1}>; rel="next", <${elsewhere(other)}/items?page=3>; rel="last"`;
			return { body: [{ id: page }], headers: page < 3 ? { link } : undefined };
		});
		const linkHeader: Pagination = { type: 'link', location: 'header' };
		expect(await run(onApi(api, linkHeader), list)).toHaveLength(3);
		expect(other.requests).toHaveLength(0);
	});

	it('a next-page link to an origin the definition allows is followed, without the credential', async () => {
		const other = await serve(() => ({ body: { items: [{ id: 3 }] } }));
		const api = await serve(() => ({ body: { items: [{ id: 1 }], next: `${elsewhere(other)}/items?page=2` } }));
		expect(await run(onApi(api, { ...nextLinks, allowedOrigins: [elsewhere(other)] }), list)).toHaveLength(2);
		expect(received(other)).not.toContain(KEY);
	});
});

describe('a picker paging token comes back from the browser', () => {
	it('a token pointing at another origin is refused; that origin gets nothing', async () => {
		const other = await serve(() => ({ body: { items: [{ id: 3, name: 'c' }] } }));
		const api = await serve(() => ({ body: { items: [{ id: 1, name: 'a' }] } }));
		const lookups = {
			pick: {
				request: { method: 'GET' as const, path: '/items', pagination: nextLinks },
				label: 'name',
				value: 'id',
			},
		};
		const { context } = nodeContext<ILoadOptionsFunctions>({ auth: apiKey, credentials: { apiKey: KEY } });
		const search = lookupMethods(table(api.url, { lookups })).listSearch.pick;
		await expect(search.call(context, undefined, `${elsewhere(other)}/items?page=2`)).rejects.toThrow(
			elsewhere(other),
		);
		expect(other.requests).toHaveLength(0);
		expect(api.requests).toHaveLength(0);
	});
});

describe('path parameters cannot change the path', () => {
	it.each(['..', '.', '../admin', 'a/b', 'a?admin=1', 'a#admin'])('"%s" stays inside /items/{id}', async (id) => {
		const api = await serve((req) => ({ body: { path: req.path, query: req.query.toString() } }));
		const outcome = await run(onApi(api), { ...get, id }).then(
			(items) => items[0].json,
			(error: Error) => ({ refused: error.message }),
		);
		if ('refused' in outcome) expect(outcome.refused).toMatch(/cannot be/);
		else expect(outcome).toEqual({ path: `/items/${encodeURIComponent(id)}`, query: `key=${KEY}` });
		for (const request of api.requests) expect(request.path).toMatch(/^\/items\/[^/]+$/);
	});
});

describe('bounded requests', () => {
	it('a response trickled slower than the deadline but faster than the idle timeout fails', async () => {
		const { createServer } = await import('node:http');
		const server = createServer((_, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"items":[');
			// A byte every 100 ms for 6 s: never idle for a whole timeout, far past the deadline.
			let n = 0;
			const timer = setInterval(() => (++n < 60 ? res.write(' ') : (clearInterval(timer), res.end(']}'))), 100);
			res.on('close', () => clearInterval(timer));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		const retry = { maxRetries: 0, maxWaitSeconds: 0, backoffSeconds: 0, timeoutSeconds: 0.2 };
		try {
			await expect(run(table(url, { operations: operations(), retry }), get)).rejects.toThrow(/reach|time/i);
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});

	it('Return All against a service that never stops paging ends with an error', async () => {
		const api = await serve((req) => {
			const page = Number(req.query.get('page') ?? 1);
			return { body: { items: [{ id: page }], next: `/items?page=${page + 1}` } };
		});
		await expect(run(onApi(api), list)).rejects.toThrow(/Stopped after 10000 pages/);
	});
});

describe('hostile response data', () => {
	it('a % or other reserved character in a download file name does not crash the node', async () => {
		const disposition = 'attachment; filename="100%_sure?.txt"';
		const headers = { 'content-type': 'text/plain', 'content-disposition': disposition };
		const api = await serve(() => ({ headers, body: 'file' }));
		const [item] = await run(onApi(api), { resource: 'file', operation: 'download' });
		expect(item.json.fileName).toBe('100%_sure?.txt');
	});

	it('a page of 500,000 items does not overflow the stack', async () => {
		const page = JSON.stringify({ items: Array.from({ length: 500_000 }, (_, id) => ({ id })) });
		const api = await serve(() => ({ headers: { 'content-type': 'application/json' }, body: page }));
		expect(await run(onApi(api), list)).toHaveLength(500_000);
	});

	it('keys such as __proto__ and constructor in API data come through as plain data', async () => {
		const hostile =
			'{"items":[{"id":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}]}';
		const api = await serve(() => ({ headers: { 'content-type': 'application/json' }, body: hostile }));
		const [item] = await run(onApi(api), list);
		expect(Object.keys(item.json)).toEqual(['id', '__proto__', 'constructor']);
		expect((item.json as Record<string, unknown>).polluted).toBeUndefined();
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
