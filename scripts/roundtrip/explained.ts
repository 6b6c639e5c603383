/**
 * Violations the spec causes itself (its own example breaks its own schema): each with the spec's
 * words, so the table can tell them from the generator's.
 */
export interface Explanation {
	spec: string;
	/** Matched against `METHOD url message`. */
	match: RegExp;
	/** The spec's text that contradicts itself. */
	words: string;
	why: string;
}

export const EXPLAINED: Explanation[] = [];
