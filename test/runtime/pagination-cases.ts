/**
 * Every pagination style, retries and the loop guards, as cases that run twice: against the
 * runtime directly (test/runtime/pagination.test.ts, the fast tier) and by the generated node inside
 * a real n8n (test/n8n/pagination.test.ts). Both read the node from the test-only definition
 * test/n8n/fixtures/pagingLab.integration.yaml and talk to the Paging Lab fake.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PAGING_DATA, type PagingLabFake } from '../fakes/paging-lab';

export const PAGING_LAB_DEFINITION = join(__dirname, '..', 'n8n', 'fixtures', 'pagingLab.integration.yaml');

/** What a run gave, in the shape of an n8n execution: the node's items, or its error. */
export interface Outcome {
	items?: Array<Record<string, unknown>>;
	error?: { message?: string; description?: string | null };
}

export type Run = (operation: string, parameters?: Record<string, unknown>) => Promise<Outcome>;

/** Declares the cases in the calling test file; `setup` gives the runner and the fake once they exist. */
export function paginationCases(setup: () => { run: Run; lab: PagingLabFake }): void {
	const ids = (outcome: Outcome) => outcome.items?.map((item) => item.id);
	const hits = (path: string) => setup().lab.requests.filter((r) => r.path === path);
	const run: Run = (operation, parameters = { returnAll: true }) => setup().run(operation, parameters);

	beforeEach(() => {
		setup().lab.requests.splice(0);
		setup().lab.foreign.requests.splice(0);
	});

	it('offset: stops when the offset reaches the total', async () => {
		expect(ids(await run('byOffset'))).toEqual(PAGING_DATA.offset.map((i) => i.id));
		expect(hits('/offset').map((r) => `${r.query.get('skip')}/${r.query.get('take')}`)).toEqual([
			'0/40',
			'40/40',
			'80/40',
			'120/40',
		]);
	});

	it('offset without a total: stops on the first empty page', async () => {
		expect(ids(await run('byOffsetUntilEmpty'))).toEqual(PAGING_DATA.open.map((i) => i.id));
		expect(hits('/offset-open').map((r) => r.query.get('skip'))).toEqual(['0', '40', '80', '95']);
	});

	it('page numbers from 0: reads the rows by JSONPath and stops at the total page count', async () => {
		expect(ids(await run('byPage'))).toEqual(PAGING_DATA.pages.map((i) => i.id));
		expect(hits('/pages').map((r) => r.query.get('p'))).toEqual(['0', '1', '2', '3']);
	});

	it('next URL in the body: absolute and relative links; a link to another origin stops with an error', async () => {
		const execution = await run('byNextUrl');
		expect(hits('/next-url').map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
		// See SECURITY.md: another origin is followed only when the definition lists it in allowedOrigins.
		expect(execution.error?.message).toMatch(
			/^Pagination stopped: the next page is on http:\/\/127\.0\.0\.1:\d+, not /,
		);
		expect(setup().lab.foreign.requests).toHaveLength(0);
	});

	it('cursor: sends the cursor back and stops when has-more is false', async () => {
		expect(ids(await run('byCursor'))).toEqual(PAGING_DATA.cursor.map((i) => i.id));
		expect(hits('/cursor').map((r) => r.query.get('after'))).toEqual([null, 'cur_25', 'cur_50']);
	});

	it('a cursor that comes back twice is an error, not a loop', async () => {
		const execution = await run('loopingCursor');
		expect(execution.error?.message).toBe('Pagination stopped: the cursor "same-cursor" came back twice');
		expect(hits('/looping-cursor')).toHaveLength(2);
	});

	it('the page cap stops Return All with an error that says how to go on; Limit under the cap is fine', async () => {
		const capped = await run('capped');
		expect(capped.error?.message).toBe('Stopped after 3 pages with more results left');
		expect(capped.error?.description).toContain('Raise Max Pages');
		// The first page states the total, so the cap is known before any later page is asked for.
		expect(hits('/offset')).toHaveLength(1);
		const limited = await run('capped', { returnAll: false, limit: 25 });
		expect(ids(limited)).toEqual(PAGING_DATA.offset.slice(0, 25).map((i) => i.id));
	});

	it('a list without pagination honours the output path and Limit', async () => {
		expect(ids(await run('unpaged'))).toEqual(PAGING_DATA.all.map((i) => i.id));
		expect(ids(await run('unpaged', { returnAll: false, limit: 3 }))).toEqual(['a1', 'a2', 'a3']);
	});

	it('a GET retries a 503 and a 429 that names its reset in X-RateLimit-Reset', async () => {
		setup().lab.flakyPlan.push(
			{ status: 503, body: { message: 'warming up' } },
			{ status: 429, headers: { 'x-ratelimit-reset': '1' }, body: { message: 'slow down' } },
		);
		const execution = await run('flaky', {});
		expect(execution.items).toEqual([{ ok: true, method: 'GET' }]);
		expect(hits('/flaky')).toHaveLength(3);
	});

	it('a POST is not retried after a 503: it may have been applied', async () => {
		setup().lab.flakyPlan.push({ status: 503, body: { message: 'overloaded' } });
		const execution = await run('flakyCreate', { name: 'x' });
		expect(execution.error?.message).toBe('Paging Lab failed with 503');
		expect(execution.error?.description).toBe(
			'The service had a problem; try again later. Paging Lab said: overloaded',
		);
		expect(hits('/flaky')).toHaveLength(1);
	});

	it("the service's hooks change its request and its items, and no other operation's", async () => {
		expect(await run('hooked')).toEqual({
			items: PAGING_DATA.all.map((item) => ({ ...item, label: `Item ${item.id}` })),
		});
		const [request] = hits('/all');
		const url = `${setup().lab.url}/all`;
		expect(request.headers['x-lab-checksum']).toBe(createHash('sha256').update(url).digest('hex'));
		setup().lab.requests.splice(0);
		expect(ids(await run('unpaged'))).toEqual(PAGING_DATA.all.map((i) => i.id));
		expect(hits('/all')[0].headers['x-lab-checksum']).toBeUndefined();
	});
}
