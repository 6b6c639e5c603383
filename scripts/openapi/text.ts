import { camelCase, titleCase } from '../model/naming';

/** Field hints longer than this are cut at a sentence: the node panel is no place for a manual. */
const MAX_DESCRIPTION = 200;

/** Large specs repeat the same names and texts thousands of times (GitHub's `owner`): each is worked out once. */
function memo<R>(fn: (key: string) => R): (key: string) => R {
	const cache = new Map<string, R>();
	return (key) => {
		if (cache.has(key)) return cache.get(key)!;
		if (cache.size > 50_000) cache.clear();
		const value = fn(key);
		cache.set(key, value);
		return value;
	};
}

export const toTitle = memo(titleCase);
export const toCamel = memo(camelCase);
const paragraph = memo((key) => firstParagraph(key.slice(key.indexOf('\u0000') + 1), Number(key.slice(0, key.indexOf('\u0000')))));

/** A spec description as a one-paragraph field hint, or undefined when there is none. */
export function describe(text: unknown, max = MAX_DESCRIPTION): string | undefined {
	return typeof text === 'string' ? paragraph(`${max}\u0000${text}`) : undefined;
}

function firstParagraph(text: string, max: number): string | undefined {
	// Only the first paragraph, and no more of it than can be shown, is worth normalising.
	const trimmed = text.trim();
	const end = trimmed.search(/\n\s*\n/);
	const paragraph = (end === -1 ? trimmed : trimmed.slice(0, end))
		.slice(0, max * 2)
		.replace(/\s+/g, ' ')
		.trim();
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
