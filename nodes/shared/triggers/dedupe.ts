import { createHash } from 'node:crypto';
import { readPath } from '../paths';
import type { DedupeSpec, FirstRunPolicy } from './types';

/**
 * A poll trigger's memory between polls, kept in the workflow's static data. `keys` are the
 * emitted items that can still come back: ids (strategy `id`), or `id@time` of items inside the
 * lookback window before the watermark (strategy `timestamp`), oldest first.
 */
export interface Cursor {
	/** Newest timestamp (epoch ms) or numeric id emitted; absent until something was seen. */
	watermark?: number;
	keys: string[];
	/** When the last poll started (epoch ms), for `since.from: lastPoll`. */
	polledAt?: number;
}

export interface Selection {
	emit: unknown[];
	cursor: Cursor;
}

/**
 * Picks the items a poll emits and the cursor that remembers exactly them. It depends on no order
 * of the list: services that return items out of order, or several with one timestamp, still
 * get each item emitted once. On the first poll (no cursor) the policy decides what is emitted,
 * and the cursor covers everything the service returned.
 */
export function selectNew(
	items: unknown[],
	spec: DedupeSpec,
	cursor: Cursor | undefined,
	firstRun: FirstRunPolicy,
	now = Date.now(),
): Selection {
	const entries = items.map((item) => ({ item, ...identify(item, spec) }));
	// Without a timestampPath, `time` is a numeric id, which may well be larger than a date.
	const until = spec.timestampPath ? now : Infinity;
	if (!cursor) {
		const newest = sortByTime(entries).slice(firstRun.emit === 'latest' ? -firstRun.count : entries.length);
		return { emit: newest.map((e) => e.item), cursor: advance({ keys: [] }, entries, spec, until) };
	}
	const known = new Set(cursor.keys);
	// A watermark stored in the future (before it was held to now) is read as now.
	const mark = Math.min(cursor.watermark ?? -Infinity, until);
	const threshold = mark - spec.lookbackSeconds * 1000;
	const fresh = entries.filter((e) => {
		if (spec.strategy === 'id' || spec.strategy === 'content') return !known.has(e.key);
		// `newest` remembers only the keys of items past the watermark: those dated in the future.
		if (spec.strategy === 'newest') return e.time > mark && !known.has(e.key);
		return e.time >= threshold && !known.has(e.key);
	});
	// Two entries of one item in a single poll (a page boundary moved under us) are emitted once.
	const once = [...new Map(fresh.map((e) => [e.key, e])).values()];
	const emit = sortByTime(once);
	return { emit: emit.map((e) => e.item), cursor: advance(cursor, emit, spec, until) };
}

interface Entry {
	item: unknown;
	key: string;
	time: number;
}

function identify(item: unknown, spec: DedupeSpec): { key: string; time: number } {
	const idValue = readPath(item, spec.idPath);
	const id = idValue === undefined || idValue === null ? JSON.stringify(item) : String(idValue);
	if (spec.strategy === 'id') return { key: id, time: spec.timestampPath ? timeOf(item, spec.timestampPath) : 0 };
	// The id with a digest of everything the item holds: any change makes it new again.
	if (spec.strategy === 'content')
		return { key: `${id}#${createHash('sha1').update(JSON.stringify(item)).digest('base64')}`, time: 0 };
	const time = spec.timestampPath ? timeOf(item, spec.timestampPath) : toNumber(idValue, spec.idPath);
	return { key: `${id}@${time}`, time };
}

/** `until`: the latest time a watermark may take (now, for timestamps). */
function advance(cursor: Cursor, emitted: Entry[], spec: DedupeSpec, until: number): Cursor {
	// Items dated in the future (a wrong clock, a hostile answer) would hold back every item until then: they move
	// no watermark, and their keys keep them from coming back. A loop: Math.max(...times) overflows at a million.
	let newest = Math.min(cursor.watermark ?? -Infinity, until);
	for (const e of emitted) if (e.time > newest && e.time <= until) newest = e.time;
	const watermark = newest === -Infinity ? undefined : newest;
	const had = new Set(cursor.keys);
	const keys = [...cursor.keys, ...emitted.map((e) => e.key).filter((k) => !had.has(k))];
	if (spec.strategy === 'id' || spec.strategy === 'content') return { watermark, keys: keys.slice(-spec.seenLimit) };
	// Keys older than the lookback window (for `newest`, not past the watermark) can no longer pass, so they are
	// dropped.
	const threshold = (watermark ?? -Infinity) - (spec.strategy === 'newest' ? 0 : spec.lookbackSeconds * 1000);
	const live = keys.filter((k) => Number(k.slice(k.lastIndexOf('@') + 1)) >= threshold);
	return { watermark, keys: live.slice(-spec.seenLimit) };
}

function sortByTime(entries: Entry[]): Entry[] {
	return [...entries].sort((a, b) => a.time - b.time);
}

function timeOf(item: unknown, path: string): number {
	const value = readPath(item, path);
	const ms = toMillis(value);
	if (ms === undefined)
		throw new Error(`an item has no readable timestamp at "${path}" (found ${JSON.stringify(value) ?? 'nothing'})`);
	return ms;
}

function toNumber(value: unknown, path: string): number {
	const n = Number(value);
	if (value === undefined || value === null || value === '' || Number.isNaN(n))
		throw new Error(
			`strategy "newest" without a timestampPath needs numeric ids; "${path}" is ${JSON.stringify(value) ?? 'missing'}`,
		);
	return n;
}

/** ISO dates, epoch seconds and epoch milliseconds, as epoch milliseconds; undefined when unreadable. */
export function toMillis(value: unknown): number | undefined {
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))) {
		const n = Number(value);
		// Epoch seconds stay below 1e11 until the year 5138; milliseconds are above it since 1973.
		return n < 1e11 ? n * 1000 : n;
	}
	const parsed = typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isNaN(parsed) ? undefined : parsed;
}
