/**
 * `npm run roundtrip [-- --only <id part>]`: the whole sweep; prints the table and writes it to
 * docs/roundtrip.md. Exits non-zero when a violation is left that docs/roundtrip.md does not explain.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { roundTrip } from './roundtrip';
import { sweepSpecs } from './specs';
import { report, unexplained } from './table';

async function main(): Promise<void> {
	const only = process.argv.indexOf('--only');
	const specs = sweepSpecs().filter((s) => only === -1 || s.id.includes(process.argv[only + 1]));
	const started = Date.now();
	const rows = await roundTrip(specs, { log: (line) => process.stderr.write(`${line}\n`) });
	const minutes = ((Date.now() - started) / 60000).toFixed(1);
	const text = report(rows, minutes);
	process.stdout.write(text);
	if (only === -1) writeFileSync(join(__dirname, '..', '..', 'docs', 'roundtrip.md'), text);
	process.exitCode = unexplained(rows).length ? 1 : 0;
}

void main();
