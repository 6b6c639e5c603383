import { camelCase, titleCase } from '../model/naming';

/** Field hints longer than this are cut at a sentence: the node panel is no place for a manual. */
const MAX_DESCRIPTION = 200;

const caches: Array<Map<string, unknown>> = [];

/**
 * Large specs repeat the same names and texts thousands of times (GitHub's `owner`): each is worked
 * out once per import. `forgetNames` empties the caches when an import starts, so no import (or
 * benchmark run) is served by the work of an earlier one.
 */
function memo<R>(fn: (key: string) => R): (key: string) => R {
	const cache = new Map<string, R>();
	caches.push(cache);
	return (key) => {
		const cached = cache.get(key);
		if (cached !== undefined || cache.has(key)) return cached as R;
		if (cache.size > 50_000) cache.clear();
		const value = fn(key);
		cache.set(key, value);
		return value;
	};
}

export function forgetNames(): void {
	for (const cache of caches) cache.clear();
}

export const toTitle = memo(titleCase);
export const toCamel = memo(camelCase);
/**
 * One cache per length limit (the callers use three): the text itself is the key, never a copy of it joined to the
 * limit.
 */
const paragraphs = new Map<number, (text: string) => string | undefined>();

/** Whitespace that `firstParagraph` would change: any but single spaces between words. */
const UNTIDY = /[^\S ]|\s\s|^\s|\s$/;

/** A spec description as a one-paragraph field hint, or undefined when there is none. */
export function describe(text: unknown, max = MAX_DESCRIPTION): string | undefined {
	if (typeof text !== 'string') return undefined;
	// Most hints are one short, tidy line already: nothing to cut or normalise.
	if (text.length <= max && !UNTIDY.test(text)) return text || undefined;
	let paragraph = paragraphs.get(max);
	if (!paragraph) paragraphs.set(max, (paragraph = memo((key) => firstParagraph(key, max))));
	return paragraph(text);
}

/** Whitespace that is not already one space: runs of two or more, and single tabs or newlines. */
const LOOSE_SPACE = /\s{2,}|[^\S ]/g;

function firstParagraph(text: string, max: number): string | undefined {
	// Only the first paragraph, and no more of it than can be shown, is worth normalising.
	const trimmed = text.trim();
	const head = trimmed.length > max * 2 ? trimmed.slice(0, max * 2) : trimmed;
	// A paragraph break the head cuts through leaves only whitespace at its end, which the normalising drops.
	const end = head.search(/\n\s*\n/);
	// Single spaces are left as they are: replacing each with itself cost most of an import's text work.
	const paragraph = (end === -1 ? head : head.slice(0, end)).replace(LOOSE_SPACE, ' ').trim();
	if (!paragraph) return undefined;
	if (paragraph.length <= max) return paragraph;
	const cut = paragraph.slice(0, max);
	const sentence = cut.lastIndexOf('. ');
	return sentence > max / 3 ? cut.slice(0, sentence + 1) : cut.replace(/\s+\S*$/, '') + '…';
}

/** n8n evaluates a parameter value that starts with `=` as an expression: such values from a spec are not used. */
export function isExpression(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith('=');
}

/** A URL from a spec as plain text: braces encoded so that no part of it reads as a `{placeholder}`. */
export function plainUrl(url: string): string {
	return url.replace(/[{}]/g, encodeURIComponent);
}
