import type { Pagination } from './types';

/**
 * Whether the first answer can say which pages follow, so that they are fetched several at once (`fetchPages`): a
 * total with offsets, a page count with page numbers, or a Link header's `last`. The generator asks too, to show
 * Concurrent Requests only where it applies; this module imports nothing the runtime needs at run time.
 */
export function readsAhead(p: Pagination): boolean {
	return (
		(p.type === 'offset' && p.totalPath !== undefined) ||
		(p.type === 'page' && p.totalPagesPath !== undefined) ||
		(p.type === 'link' && p.location === 'header')
	);
}
