import { readFileSync } from 'node:fs';
import type { Document, LineCounter } from 'yaml';
import { segmentsOf, type Finding } from '../validate/finding';
import { yaml } from './yaml';

/** A parsed YAML/JSON file that can say which line a JSON pointer points at. */
export class YamlSource {
	private constructor(
		readonly file: string,
		readonly value: unknown,
		private readonly doc: Document,
		private readonly lines: LineCounter,
	) {}

	static read(file: string, displayName = file): { source?: YamlSource; findings: Finding[] } {
		const text = readFileSync(file, 'utf8');
		const { LineCounter, parseDocument } = yaml();
		const lines = new LineCounter();
		const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
		const findings: Finding[] = doc.errors.map((e) => {
			const pos = lines.linePos(e.pos[0]);
			return {
				file: displayName,
				pointer: '',
				line: pos.line,
				column: pos.col,
				severity: 'error' as const,
				rule: 'yaml-syntax',
				message: e.message.split('\n')[0],
				fix: 'Fix the YAML syntax at this line (indentation, quoting, duplicate keys).',
			};
		});
		if (findings.length) return { findings };
		return { source: new YamlSource(displayName, doc.toJS({ maxAliasCount: 1000 }), doc, lines), findings };
	}

	/** Line and column of the deepest node that exists on the pointer's path. */
	locate(pointer: string): { line?: number; column?: number } {
		const segments = segmentsOf(pointer);
		for (let n = segments.length; n >= 0; n--) {
			const node = this.doc.getIn(segments.slice(0, n).map(keyOf), true);
			if (yaml().isNode(node) && node.range) {
				const pos = this.lines.linePos(node.range[0]);
				return { line: pos.line, column: pos.col };
			}
		}
		return {};
	}
}

function keyOf(segment: string): string | number {
	return /^\d+$/.test(segment) ? Number(segment) : segment;
}
