/**
 * Return All against a page-numbered API that states its page count, over real HTTP: pages
 * fetched several at a time come out exactly as a one-at-a-time read gets them, under 429s with
 * Retry-After, 5xx answers, pages that answer out of order and a collection that shrinks while it
 * is read; Return All asks for the largest page the API allows and stops only at a cap the user
 * can raise.
 */
import { createServer, type Server } from 'node:http';
import type { IExecuteFunctions } from 'n8n-workflow';
import type { Session } from '../../nodes/shared/http';
import { fetchPages, type ListSpec, type ReadOptions } from '../../nodes/shared/pagination';
import type { IntegrationTable } from '../../nodes/shared/types';

interface Lab {
	url: string;
	items: Array<{ id: number }>;
	/** Page numbers asked for, in arrival order. */
	asked: number[];
	pageSizes: number[];
	/** Most requests in flight at once. */
	peak: number;
	/** Answer the next N requests 429 (Retry-After: 1). */
	throttle: number;
	/** Answer the next N requests 503. */
	fail: number;
	/** Items removed from the end right after page 1 is answered: its page count is out of date at once. */
	shrinkAfterFirst: number;
	close(): Promise<void>;
}

async function startLab(count: number): Promise<Lab> {
	let inFlight = 0;
	const lab = {
		items: Array.from({ length: count }, (_, i) => ({ id: i + 1 })),
		asked: [],
		pageSizes: [],
		peak: 0,
		throttle: 0,
		fail: 0,
		shrinkAfterFirst: 0,
	} as unknown as Lab;
	const server: Server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://lab');
		const page = Number(url.searchParams.get('page') ?? 1);
		const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 500);
		lab.asked.push(page);
		lab.pageSizes.push(perPage);
		inFlight++;
		lab.peak = Math.max(lab.peak, inFlight);
		// Later pages answer sooner, so responses arrive out of order.
		setTimeout(
			() => {
				inFlight--;
				if (lab.throttle > 0 && lab.throttle--) res.writeHead(429, { 'retry-after': '1' }).end('{}');
				else if (lab.fail > 0 && lab.fail--) res.writeHead(503).end('{}');
				else {
					const items = lab.items.slice((page - 1) * perPage, page * perPage);
					res.writeHead(200, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ items, total_pages: Math.ceil(lab.items.length / perPage) }));
					if (page === 1 && lab.shrinkAfterFirst) lab.items.splice(-lab.shrinkAfterFirst);
				}
			},
			Math.max(2, 40 - page * 4),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	lab.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	lab.close = () => new Promise((resolve) => server.close(() => resolve()));
	return lab;
}

const table: IntegrationTable = {
	name: 'lab',
	displayName: 'Lab',
	baseUrl: '',
	configDefaults: {},
	auth: [{ credentialType: '', kind: 'none' }],
	rateLimits: [],
	retry: { maxRetries: 3, maxWaitSeconds: 5, backoffSeconds: 0.05 },
	operations: {},
};
const spec: ListSpec = {
	pagination: {
		type: 'page',
		pageParam: 'page',
		totalPagesPath: 'total_pages',
		resultsKey: 'items',
		pageSizeParam: 'per_page',
		pageSize: 100,
		maxPageSize: 500,
	},
};

/** n8n's request helper as the runtime uses it for a credential-less API, over fetch. */
const context = {
	getNode: () => ({ name: 'Lab' }),
	helpers: {
		httpRequest: async (options: { url: string; qs?: Record<string, unknown> }) => {
			const url = new URL(options.url);
			for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
			const response = await fetch(url);
			return {
				statusCode: response.status,
				headers: Object.fromEntries(response.headers.entries()),
				body: await response.json(),
			};
		},
	},
} as unknown as IExecuteFunctions;

let lab: Lab;
const read = (limit: number | undefined, options: ReadOptions) => {
	const session: Session = {
		table,
		variant: table.auth[0],
		limiterKey: `lab:${Math.random()}`,
		origin: new URL(lab.url).origin,
		errors: { node: { name: 'Lab' } as never, integration: 'Lab', itemIndex: 0, secrets: [] },
	};
	return fetchPages.call(
		context,
		session,
		{ method: 'GET', url: `${lab.url}/items`, json: true },
		spec,
		limit,
		0,
		options,
	);
};

beforeEach(async () => {
	lab = await startLab(4_321);
});
afterEach(async () => lab.close());

it('Return All asks for the largest page allowed and fetches the later pages at once, in order, once each', async () => {
	const items = await read(undefined, { concurrency: 4 });
	expect(items).toEqual(lab.items);
	expect(new Set(lab.pageSizes)).toEqual(new Set([500]));
	expect([...lab.asked].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
	expect(lab.peak).toBe(4);
});

it('one at a time (concurrency 1) reads the same items with one request in flight', async () => {
	const concurrent = await read(undefined, { concurrency: 4 });
	lab.peak = 0;
	expect(await read(undefined, { concurrency: 1 })).toEqual(concurrent);
	expect(lab.peak).toBe(1);
});

it('429s and 5xx on pages in flight are waited out and retried: nothing lost or doubled', async () => {
	lab.asked.length = 0;
	const pending = read(undefined, { concurrency: 4 });
	lab.throttle = 2;
	lab.fail = 1;
	expect(await pending).toEqual(lab.items);
});

it('a collection that shrinks below the page count it stated ends at its first short page', async () => {
	lab.shrinkAfterFirst = 2_000;
	const sequential = await read(undefined, { concurrency: 1 });
	await lab.close();
	lab = await startLab(4_321);
	lab.shrinkAfterFirst = 2_000;
	const concurrent = await read(undefined, { concurrency: 4 });
	expect(concurrent).toEqual(sequential);
	expect(concurrent.at(-1)).toEqual({ id: 2_321 });
});

it('a Limit asks for only the pages it needs', async () => {
	expect(await read(1_200, { concurrency: 4 })).toEqual(lab.items.slice(0, 1_200));
	expect([...lab.asked].sort((a, b) => a - b)).toEqual([1, 2, 3]);
});

it('Return All past the Max Pages option stops with an error that says how to go on, before fetching more', async () => {
	await expect(read(undefined, { maxPages: 5 })).rejects.toThrow('Stopped after 5 pages with more results left');
	expect(lab.asked).toEqual([1]);
	expect(await read(undefined, { maxPages: 9 })).toHaveLength(4_321);
});
