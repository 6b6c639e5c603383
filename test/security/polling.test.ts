/**
 * A service's list answers decide what a polling trigger remembers (see SECURITY.md, "API server"):
 * a huge answer must not overflow the stack, and an item dated in the future must not freeze it.
 */
import { selectNew, type Cursor } from '../../nodes/shared/triggers/dedupe';
import type { DedupeSpec } from '../../nodes/shared/triggers/types';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const latest = { emit: 'latest' as const, count: 1 };

it('holds 1,000,000 seen ids without a stack overflow', () => {
	const spec: DedupeSpec = { strategy: 'id', idPath: 'id', timestampPath: 'at', lookbackSeconds: 0, seenLimit: 2e6 };
	const items = Array.from({ length: 1_000_000 }, (_, i) => ({ id: i, at: NOW - i }));
	const first = selectNew(items, spec, undefined, latest, NOW);
	expect(first.cursor.keys).toHaveLength(1_000_000);
	const next = selectNew([...items, { id: 'new', at: NOW }], spec, first.cursor, latest, NOW);
	expect(next.emit).toEqual([{ id: 'new', at: NOW }]);
});

describe.each(['timestamp', 'newest'] as const)('an item dated in the future (strategy %s)', (strategy) => {
	const spec: DedupeSpec = { strategy, idPath: 'id', timestampPath: 'at', lookbackSeconds: 60, seenLimit: 1000 };
	const at = (iso: string) => ({ id: iso, at: iso });

	it('does not stop later items from being emitted, and is emitted once', () => {
		let cursor: Cursor = selectNew([at('2026-06-01T11:00:00Z')], spec, undefined, latest, NOW).cursor;
		const future = at('2099-01-01T00:00:00Z');
		const polls = [
			[future, at('2026-06-01T11:00:00Z')],
			[future, at('2026-06-01T12:05:00Z')],
			[future, at('2026-06-01T12:10:00Z')],
		];
		const emitted: unknown[] = [];
		polls.forEach((items, i) => {
			const selection = selectNew(items, spec, cursor, latest, NOW + (i + 1) * 5 * 60_000);
			emitted.push(...selection.emit);
			cursor = selection.cursor;
		});
		expect(emitted).toEqual([future, at('2026-06-01T12:05:00Z'), at('2026-06-01T12:10:00Z')]);
	});
});
