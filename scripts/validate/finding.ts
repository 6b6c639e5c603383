/** One problem found in an input file: where, what, and what to do about it. */
export interface Finding {
	file: string;
	/** JSON pointer into the document, e.g. `/resources/task/operations/get/path`. */
	pointer: string;
	line?: number;
	column?: number;
	severity: 'error' | 'warning' | 'info';
	/** Stable rule id, e.g. `schema`, `undefined-config-field`. */
	rule: string;
	message: string;
	/** What to write instead. */
	fix?: string;
}

export function hasErrors(findings: Finding[]): boolean {
	return findings.some((f) => f.severity === 'error');
}

export function pointerOf(segments: Array<string | number>): string {
	return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function segmentsOf(pointer: string): string[] {
	if (pointer === '') return [];
	return pointer
		.slice(1)
		.split('/')
		.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatFinding(f: Finding): string {
	const where = `${f.file}${f.line ? `:${f.line}:${f.column ?? 1}` : ''}`;
	const fix = f.fix ? `\n    fix: ${f.fix}` : '';
	return `${where} ${f.severity} [${f.rule}] ${f.pointer || '/'}: ${f.message}${fix}`;
}
