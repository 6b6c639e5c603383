import get from 'lodash/get';

/** Reads `data.items`, `$.meta.next_cursor` or `results[0].id`; an empty path is the value itself. */
export function readPath(value: unknown, path: string | undefined): unknown {
	const p = (path ?? '').replace(/^\$\.?/, '');
	return p === '' ? value : get(value, p);
}
