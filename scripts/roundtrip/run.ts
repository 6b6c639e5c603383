/**
 * `npm run roundtrip [-- --only <id part>[,<id part>…]]`: the whole sweep (or the specs named);
 * prints the table and, for the whole sweep, writes it to docs/roundtrip.md (the rows also to
 * .test-output/roundtrip.json, which `-- --report` renders again after an explanation is added).
 * Exits non-zero when a violation is left unexplained.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { roundTrip, type RoundTripRow } from './roundtrip';
import { sweepSpecs } from './specs';
import { report, unexplained } from './table';

const ROOT = join(__dirname, '..', '..');
const SAVED = join(ROOT, '.test-output', 'roundtrip.json');

async function main(): Promise<void> {
	const only = process.argv.indexOf('--only');
	let rows: RoundTripRow[];
	let minutes: string;
	if (process.argv.includes('--report')) {
		({ rows, minutes } = JSON.parse(readFileSync(SAVED, 'utf8')) as { rows: RoundTripRow[]; minutes: string });
	} else {
		const parts = only === -1 ? [''] : process.argv[only + 1].split(',');
		const specs = sweepSpecs().filter((s) => parts.some((part) => s.id.includes(part)));
		const started = Date.now();
		rows = await roundTrip(specs, { log: (line) => process.stderr.write(`${line}\n`) });
		minutes = ((Date.now() - started) / 60000).toFixed(1);
		if (only === -1) writeFileSync(SAVED, JSON.stringify({ rows, minutes }));
	}
	const text = report(rows, minutes);
	process.stdout.write(text);
	if (only === -1) writeFileSync(join(ROOT, 'docs', 'roundtrip.md'), text);
	process.exitCode = unexplained(rows).length ? 1 : 0;
}

void main();
