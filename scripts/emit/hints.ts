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
	out = out.replace(/\b[iI]d(s?)\b/g, 'ID$1').replace(/\b[uU]rl(s?)\b/g, 'URL$1').replace(/\b[jJ]son\b/g, 'JSON');
	if (/[a-z]/.test(out[0])) out = out[0].toUpperCase() + out.slice(1);
	// More than one sentence ends with a period.
	if (out.replace('e.g.', '').includes('. ') && !/[.!?]$|---$|<\/code>$/.test(out)) out += '.';
	return out;
}

/** Options in the order the lint wants (by name), their hints as above. */
export function sortedOptions<T extends { name: string; description?: string }>(options: T[]): T[] {
	return options.map((o) => (o.description ? { ...o, description: hint(o.description) } : o)).sort((a, b) => compareLabels(a.name, b.name));
}

/**
 * Printable ASCII in the order of ICU's root collation, which `localeCompare` uses and by which the
 * lint checks option lists: punctuation, digits, then letters, each letter before its capital.
 */
const COLLATION = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ';
/** Rank by character code; a letter and its capital share one. */
const RANK = new Uint8Array(128);
for (let i = 0, rank = 0; i < COLLATION.length; i++) RANK[COLLATION.charCodeAt(i)] = /[A-Z]/.test(COLLATION[i]) ? rank : ++rank;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The order of `a.localeCompare(b)` without starting ICU's collator for ASCII labels, which are
 * nearly all of them: the collator takes longer to start (about 5 ms) than a large node's sorting.
 * Letters count regardless of case first; only then does the first case difference decide.
 */
export function compareLabels(a: string, b: string): number {
	if (!PRINTABLE_ASCII.test(a) || !PRINTABLE_ASCII.test(b)) return a.localeCompare(b);
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
