/** What a poll emits and remembers, for each dedupe strategy, over several polls. */
import { selectNew, type Cursor } from '../../nodes/shared/triggers/dedupe';
import type { DedupeSpec, FirstRunPolicy } from '../../nodes/shared/triggers/types';

const T0 = Date.parse('2026-05-01T12:00:00Z');
const item = (id: string, seconds: number) => ({ id, updated_at: new Date(T0 + seconds * 1000).toISOString() });
const timestamp: DedupeSpec = {
	strategy: 'timestamp',
	idPath: 'id',
	timestampPath: 'updated_at',
	lookbackSeconds: 0,
	seenLimit: 10_000,
};
const none: FirstRunPolicy = { emit: 'none', count: 1 };
const ids = (items: unknown[]) => items.map((i) => (i as { id: string }).id);

/** Runs polls over successive lists, returning what each emitted. */
function polls(spec: DedupeSpec, lists: unknown[][], first = none): { emitted: string[][]; cursor?: Cursor } {
	let cursor: Cursor | undefined;
	const emitted = lists.map((list) => {
		const selection = selectNew(list, spec, cursor, first);
		cursor = selection.cursor;
		return ids(selection.emit);
	});
	return { emitted, cursor };
}

describe('timestamp watermark with the ids at the boundary', () => {
	it('first poll: emits nothing and remembers the boundary ids', () => {
		const { emitted, cursor } = polls(timestamp, [[item('a', 0), item('b', 0), item('c', -5)]]);
		expect(emitted).toEqual([[]]);
		expect(cursor).toEqual({ watermark: T0, keys: [`a@${T0}`, `b@${T0}`] });
	});

	it('an item that appears later with the watermark’s timestamp is emitted (inclusive boundary), once', () => {
		const before = [item('a', 0), item('c', -5)];
		const after = [...before, item('b', 0)];
		expect(polls(timestamp, [before, after, after]).emitted).toEqual([[], ['b'], []]);
	});

	it('emits items listed out of order oldest first, and each once when pages overlap', () => {
		const list = [item('x', 9), item('y', 3), item('z', 6), item('y', 3)];
		expect(polls(timestamp, [[], list, [...list].reverse()]).emitted).toEqual([[], ['y', 'z', 'x'], []]);
	});

	it('an updated item (same id, newer timestamp) is emitted again as a change', () => {
		expect(polls(timestamp, [[item('a', 0)], [item('a', 7)], [item('a', 7)]]).emitted).toEqual([[], ['a'], []]);
	});

	it('without a lookback, an item that shows up late with an older timestamp is not emitted; with one, it is, once', () => {
		const lists = [
			[item('a', 0)],
			[item('a', 0), item('b', 30)],
			[item('a', 0), item('b', 30), item('late', 20)],
			[item('a', 0), item('b', 30), item('late', 20)],
		];
		expect(polls(timestamp, lists).emitted).toEqual([[], ['b'], [], []]);
		expect(polls({ ...timestamp, lookbackSeconds: 60 }, lists).emitted).toEqual([[], ['b'], ['late'], []]);
	});

	it('forgets keys that fell out of the lookback window', () => {
		const { cursor } = polls({ ...timestamp, lookbackSeconds: 10 }, [
			[item('a', 0)],
			[item('a', 0), item('b', 5)],
			[item('a', 0), item('b', 5), item('c', 20)],
		]);
		expect(cursor).toEqual({ watermark: T0 + 20_000, keys: [`c@${T0 + 20_000}`] });
	});

	it('first poll with "emit the newest N": the N newest, and the cursor still covers everything listed', () => {
		const list = [item('a', 1), item('b', 3), item('c', 2), item('d', 0)];
		const { emitted } = polls(timestamp, [list, list], { emit: 'latest', count: 2 });
		expect(emitted).toEqual([['c', 'b'], []]);
	});

	it('an empty first poll still starts the cursor, so the next poll emits everything that appeared', () => {
		expect(polls(timestamp, [[], [item('a', 0), item('b', -100)]]).emitted).toEqual([[], ['b', 'a']]);
	});

	it('names the path when an item has no readable timestamp', () => {
		expect(() => selectNew([{ id: 'a', updated_at: 'soon' }], timestamp, { keys: [] }, none)).toThrow(
			'an item has no readable timestamp at "updated_at" (found "soon")',
		);
	});

	it('across many polls of a list growing in random order, every item is emitted exactly once', () => {
		let seed = 7;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		const all: Array<{ id: string; updated_at: string }> = [];
		const lists: unknown[][] = [];
		for (let poll = 0; poll < 40; poll++) {
			// New items share a handful of timestamps, all at or after the newest so far.
			const newest = all.length ? Math.max(...all.map((i) => Date.parse(i.updated_at))) : T0;
			for (let n = Math.floor(random() * 4); n > 0; n--)
				all.push(item(`i${all.length}`, (newest - T0) / 1000 + Math.floor(random() * 3)));
			lists.push([...all].sort(() => random() - 0.5));
		}
		const emitted = polls(timestamp, [[], ...lists]).emitted.flat();
		expect(emitted.sort()).toEqual(all.map((i) => i.id).sort());
	});
});

describe('id with a bounded seen-set', () => {
	const byId: DedupeSpec = { strategy: 'id', idPath: 'id', lookbackSeconds: 0, seenLimit: 3 };
	const plain = (...names: string[]) => names.map((id) => ({ id }));

	it('emits unseen ids once, in the order listed', () => {
		expect(polls(byId, [plain('a'), plain('c', 'b', 'a'), plain('a', 'b', 'c')]).emitted).toEqual([
			[],
			['c', 'b'],
			[],
		]);
	});

	it('keeps only the newest seenLimit ids', () => {
		const { cursor } = polls(byId, [plain('a', 'b'), plain('a', 'b', 'c', 'd', 'e')]);
		expect(cursor?.keys).toEqual(['c', 'd', 'e']);
	});
});

describe('newest', () => {
	const newest: DedupeSpec = { strategy: 'newest', idPath: 'id', lookbackSeconds: 0, seenLimit: 1 };

	it('emits only items strictly newer than the newest emitted (numeric ids without a timestamp path)', () => {
		const list = (...n: number[]) => n.map((id) => ({ id }));
		expect(polls(newest, [list(1, 2), list(1, 2, 4, 3), list(1, 2, 3, 4)]).emitted).toEqual([[], [3, 4], []]);
	});
});
