import { readFileSync } from 'node:fs';
import type { Document, LineCounter } from 'yaml';
import { segmentsOf, type Finding } from '../validate/finding';
import { yaml } from './libraries';
import { MAX_ALIAS_COUNT, yamlTooLarge } from './yaml';

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
		const at = (offset: number, message: string, fix: string): Finding => {
			const pos = lines.linePos(offset);
			return {
				file: displayName,
				pointer: '',
				line: pos.line,
				column: pos.col,
				severity: 'error',
				rule: 'yaml-syntax',
				message,
				fix,
			};
		};
		const lines = new LineCounter();
		const tooLarge = yamlTooLarge(Buffer.byteLength(text));
		if (tooLarge) return { findings: [at(0, tooLarge, 'Split the definition or shorten its texts.')] };
		const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
		const fix = 'Fix the YAML syntax at this line (indentation, quoting, duplicate keys).';
		const findings = doc.errors.map((e) => at(e.pos[0], e.message.split('\n')[0], fix));
		if (findings.length) return { findings };
		try {
			return {
				source: new YamlSource(displayName, doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), doc, lines),
				findings,
			};
		} catch (e) {
			// An alias bomb: the yaml library counts what the aliases expand to and stops early.
			return { findings: [at(0, (e as Error).message, 'Use fewer aliases (`*name`), or write the values out.')] };
		}
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
