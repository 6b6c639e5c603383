import get from 'lodash/get';

/** Reads `data.items`, `$.meta.next_cursor` or `results[0].id`; an empty path is the value itself. */
export function readPath(value: unknown, path: string | undefined): unknown {
	const p = (path ?? '').replace(/^\$\.?/, '');
	return p === '' ? value : get(value, p);
}

/** Whether the value has each of these values at its path (a trigger option's or a lookup's `when`). */
export function hasValues(value: unknown, when: Record<string, unknown> | undefined): boolean {
	return Object.entries(when ?? {}).every(([path, wanted]) => readPath(value, path) === wanted);
}
