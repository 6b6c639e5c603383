import type { IDataObject } from 'n8n-workflow';
import { readPath } from '../paths';
import type { TriggerFilter } from './types';

/**
 * Whether an item (a polled record or a webhook delivery of event option `option`) meets every
 * condition the user filled in, so a trigger starts only for, say, issues labelled `bug` and
 * `urgent` without a Filter node after it.
 */
export function passesFilters(
	filters: TriggerFilter[] | undefined,
	set: IDataObject,
	item: unknown,
	option?: string,
): boolean {
	return (filters ?? []).every((filter) => {
		const wanted = listed(set[filter.name]);
		if (!wanted.length) return true;
		if (filter.events && (option === undefined || !filter.events.includes(option))) return true;
		const raw = filter.paths.map((path) => readPath(item, path)).find((v) => v !== undefined && v !== null);
		const held = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map((v) =>
			String(filter.key ? readPath(v, filter.key) : v),
		);
		return filter.match === 'all' ? wanted.every((w) => held.includes(w)) : wanted.some((w) => held.includes(w));
	});
}

/** `bug, urgent` → ['bug', 'urgent']. */
function listed(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
}
