/**
 * What n8n's community lint asks of the texts a node shows, applied to whatever a definition or a
 * spec says, so every generated package passes it: hints are HTML, so stray angle brackets are
 * encoded; they start with a capital and end several sentences with a period; ID, URL and JSON are
 * written so; options are listed by name.
 */
const HTML_TAG = /<\/?(h\d|p|b|em|i|a|ol|ul|li|code|br)>/;

/** Anything `hint` would change: most texts need nothing. */
const NEEDS_WORK = /[<>]|\b[iI]ds?\b|\b[uU]rls?\b|\b[jJ]son\b|^[a-z]|\. /;

export function hint(text: string | undefined): string | undefined {
	if (!text || !NEEDS_WORK.test(text)) return text;
	let out = /<.*>/.test(text) && !HTML_TAG.test(text) ? text.replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
	out = out
		.replace(/\b[iI]d(s?)\b/g, 'ID$1')
		.replace(/\b[uU]rl(s?)\b/g, 'URL$1')
		.replace(/\b[jJ]son\b/g, 'JSON');
	if (/[a-z]/.test(out[0])) out = out[0].toUpperCase() + out.slice(1);
	// More than one sentence ends with a period.
	if (out.replace('e.g.', '').includes('. ') && !/[.!?]$|---$|<\/code>$/.test(out)) out += '.';
	return out;
}

/** Options in the order the lint wants (by name), their hints as above. */
export function sortedOptions<T extends { name: string; description?: string }>(options: T[]): T[] {
	return sortByLabel(
		options.map((o) => (o.description ? { ...o, description: hint(o.description) } : o)),
		(o) => o.name,
	);
}

/**
 * The order of `localeCompare` (the default locale's collation), by which n8n's lint checks option lists. One collator
 * compares in about two thirds of `localeCompare`'s time, which sets one up for every comparison.
 */
const byLocale = new Intl.Collator().compare;

/** Sorts in place by label, in `localeCompare`'s order. */
export function sortByLabel<T>(items: T[], label: (item: T) => string): T[] {
	return items.sort((a, b) => byLocale(label(a), label(b)));
}
