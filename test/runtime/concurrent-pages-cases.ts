/**
 * Return All against a page-numbered API that states its page count (test/fakes/page-count-lab.ts),
 * as cases that run twice: against the runtime's page reader directly (concurrent-pages.test.ts)
 * and by a node generated from an OpenAPI file inside a real n8n (test/n8n/concurrent-pages.test.ts).
 * Pages fetched several at a time come out exactly as a one-at-a-time read gets them, under 429s
 * with Retry-After, 5xx answers, pages that answer out of order and a collection that shrinks
 * while it is read; Return All asks for the largest page the API allows and stops only at a cap
 * the user can raise.
 */
import type { PageCountLab } from '../fakes/page-count-lab';

/** The lab's items as a read returned them, or the error it stopped with. */
export type Read = (
	limit: number | undefined,
	options: { concurrency?: number; maxPages?: number },
) => Promise<unknown[]>;

export const LAB_ITEMS = 4_321;

export function concurrentPageCases(setup: () => { read: Read; lab: PageCountLab }): void {
	const read: Read = (limit, options) => setup().read(limit, options);
	const lab = () => setup().lab;

	beforeEach(() => lab().reset());

	it('Return All asks for the largest page allowed and fetches the later pages at once, in order, once each', async () => {
		lab().gather = 4;
		const items = await read(undefined, { concurrency: 4 });
		expect(items).toEqual(lab().items);
		expect(new Set(lab().pageSizes)).toEqual(new Set([500]));
		expect([...lab().asked].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(lab().peak).toBe(4);
	});

	it('left unset, Concurrent Requests is 8: all 8 later pages in flight at once', async () => {
		lab().gather = 8;
		expect(await read(undefined, {})).toEqual(lab().items);
		expect(lab().peak).toBe(8);
	});

	it('one at a time (concurrency 1) reads the same items with one request in flight', async () => {
		const concurrent = await read(undefined, { concurrency: 4 });
		lab().peak = 0;
		expect(await read(undefined, { concurrency: 1 })).toEqual(concurrent);
		expect(lab().peak).toBe(1);
	});

	it('429s and 5xx on pages in flight are waited out and retried: nothing lost or doubled', async () => {
		const pending = read(undefined, { concurrency: 4 });
		lab().throttle = 2;
		lab().fail = 1;
		expect(await pending).toEqual(lab().items);
		expect(lab().throttle + lab().fail).toBe(0);
	});

	it('a collection that shrinks below the page count it stated ends at its first short page', async () => {
		lab().shrinkAfterFirst = 2_000;
		const sequential = await read(undefined, { concurrency: 1 });
		lab().reset();
		lab().shrinkAfterFirst = 2_000;
		const concurrent = await read(undefined, { concurrency: 4 });
		expect(concurrent).toEqual(sequential);
		expect(concurrent.at(-1)).toEqual({ id: 2_321 });
	});

	it('a Limit asks for only the pages it needs', async () => {
		expect(await read(1_200, { concurrency: 4 })).toEqual(lab().items.slice(0, 1_200));
		expect([...lab().asked].sort((a, b) => a - b)).toEqual([1, 2, 3]);
	});

	it('Return All past the Max Pages option stops with an error that says how to go on, before fetching more', async () => {
		await expect(read(undefined, { maxPages: 5 })).rejects.toThrow('Stopped after 5 pages with more results left');
		expect(lab().asked).toEqual([1]);
		expect(await read(undefined, { maxPages: 9 })).toHaveLength(LAB_ITEMS);
	});
}
