/**
 * The Paging Lab service: one endpoint per pagination style (offset with and without a total,
 * 0-based page numbers, next URLs in the body — one of them on another origin —, cursors with a
 * has-more flag, a cursor that repeats), a /flaky endpoint that plays back planned failures, and a /search that
 * answers with the query and `tag` header it got.
 */
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export interface PagingLabFake extends FakeService {
	apiKey: string;
	/** A second service on another origin; the last next URL of /next-url points there. */
	foreign: FakeService;
	/** Responses /flaky gives, in order, before it answers 200. */
	flakyPlan: FakeResponse[];
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i + 1}` }));
const DATA = {
	offset: range('o', 130),
	open: range('e', 95),
	pages: range('p', 100),
	next: range('n', 40),
	cursor: range('c', 60),
	all: range('a', 7),
};

export async function startPagingLab(): Promise<PagingLabFake> {
	const apiKey = 'lab-key-4e21aa';
	const flakyPlan: FakeResponse[] = [];
	const foreign = await startFake((req) =>
		json(200, { data: DATA.next.slice(30), paging: { next: null }, sawKey: req.headers['x-key'] ?? null }),
	);

	const nextUrlPage = (req: FakeRequest, base: string): FakeResponse => {
		const page = Number(req.query.get('page') ?? 1);
		const next =
			page === 1 ? `${base}/next-url?page=2` : page === 2 ? '/next-url?page=3' : `${foreign.url}/next-url?page=4`;
		return json(200, { data: DATA.next.slice((page - 1) * 10, page * 10), paging: { next } });
	};

	const fake = await startFake((req) => {
		if (req.headers['x-key'] !== apiKey) return json(401, { message: 'bad key' });
		const q = (name: string, fallback: number) => Number(req.query.get(name) ?? fallback);
		switch (req.path) {
			case '/ping':
				return json(200, { pong: true });
			case '/offset':
				return json(200, {
					items: DATA.offset.slice(q('skip', 0), q('skip', 0) + q('take', 20)),
					total: DATA.offset.length,
				});
			case '/offset-open':
				return json(200, { items: DATA.open.slice(q('skip', 0), q('skip', 0) + q('take', 20)) });
			case '/pages': {
				const size = q('size', 10);
				return json(200, {
					result: {
						rows: DATA.pages.slice(q('p', 0) * size, (q('p', 0) + 1) * size),
						pages: Math.ceil(DATA.pages.length / size),
					},
				});
			}
			case '/next-url':
				return nextUrlPage(req, fake.url);
			case '/cursor': {
				const start = req.query.get('after') ? Number(req.query.get('after')!.slice(4)) : 0;
				const end = start + q('first', 10);
				// The last page still names an end cursor; only `more` says to stop.
				return json(200, {
					nodes: DATA.cursor.slice(start, end),
					page: { end: `cur_${end}`, more: end < DATA.cursor.length },
				});
			}
			case '/looping-cursor':
				return json(200, { nodes: [{ id: `l${req.query.get('after') ?? 0}` }], next: 'same-cursor' });
			case '/all':
				return json(200, { results: DATA.all });
			case '/flaky':
				return flakyPlan.shift() ?? json(200, { ok: true, method: req.method });
			case '/search':
				return json(200, { results: [{ query: Object.fromEntries(req.query), tag: req.headers.tag ?? null }] });
		}
		return json(404, { message: 'no route' });
	});
	const closeOwn = fake.close;
	return Object.assign(fake, {
		apiKey,
		foreign,
		flakyPlan,
		close: async () => void (await Promise.all([closeOwn(), foreign.close()])),
	});
}

export const PAGING_DATA = DATA;
