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
 * Sorts in place by label as `compareLabels` orders, deciding once for the whole list whether
 * the ASCII order applies rather than twice per comparison. Where one label is not printable ASCII
 * all go to localeCompare, which orders the ASCII ones as the ASCII order does.
 */
export function sortByLabel<T>(items: T[], label: (item: T) => string): T[] {
	const ascii = items.every((item) => PRINTABLE_ASCII.test(label(item)));
	return items.sort(ascii ? (a, b) => compareAscii(label(a), label(b)) : (a, b) => label(a).localeCompare(label(b)));
}

/**
 * Printable ASCII in the order of ICU's root collation, which `localeCompare` uses and by which the
 * lint checks option lists: punctuation, digits, then letters, each letter before its capital.
 */
const COLLATION = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ';
/** Rank by character code; a letter and its capital share one. */
const RANK = new Uint8Array(128);
for (let i = 0, rank = 0; i < COLLATION.length; i++)
	RANK[COLLATION.charCodeAt(i)] = /[A-Z]/.test(COLLATION[i]) ? rank : ++rank;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The order of `a.localeCompare(b)` without starting ICU's collator for ASCII labels, which are
 * nearly all of them: the collator takes longer to start (about 5 ms) than a large node's sorting.
 * Letters count regardless of case first; only then does the first case difference decide.
 */
export function compareLabels(a: string, b: string): number {
	return PRINTABLE_ASCII.test(a) && PRINTABLE_ASCII.test(b) ? compareAscii(a, b) : a.localeCompare(b);
}

function compareAscii(a: string, b: string): number {
	let caseOrder = 0;
	for (let i = 0; i < a.length && i < b.length; i++) {
		const x = a.charCodeAt(i);
		const y = b.charCodeAt(i);
		if (x === y) continue;
		const byRank = RANK[x] - RANK[y];
		if (byRank) return byRank;
		caseOrder ||= x > y ? -1 : 1;
	}
	return a.length - b.length || caseOrder;
}
