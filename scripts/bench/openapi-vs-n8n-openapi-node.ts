/**
 * Benchmark (not a test): GitHub's REST spec through our importer and emitter versus
 * @devlikeapro/n8n-openapi-node building its node properties from the same file, in one run.
 * Prints each side's best time over N alternating runs (parse + build) and description size, and the ratios.
 *   npx tsx scripts/bench/openapi-vs-n8n-openapi-node.ts [spec.json] [runs]
 */
import { N8NPropertiesBuilder } from '@devlikeapro/n8n-openapi-node';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { emitNode } from '../emit/node';
import { evaluateNode } from '../openapi/evaluate';
import { importSpec } from '../openapi/import';

const spec = process.argv[2] ?? require.resolve('@octokit/openapi/generated/api.github.com.json');
const runs = Number(process.argv[3] ?? 5);

/** Times `fn` once; the caller alternates the two sides so neither gets a warmer process. */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
	const start = process.hrtime.bigint();
	const value = await fn();
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

(async () => {
	const runOurs = async () => emitNode((await importSpec(spec)).integration!, spec, { light: 'x.svg', dark: 'x.svg' });
	const runTheirs = () => new N8NPropertiesBuilder(JSON.parse(readFileSync(spec, 'utf8')), { logger: pino({ level: 'silent' }) }).build();
	let ours = await timed(runOurs);
	let theirs = await timed(runTheirs);
	for (let i = 1; i < runs; i++) {
		const o = await timed(runOurs);
		const t = await timed(runTheirs);
		if (o.ms < ours.ms) ours = o;
		if (t.ms < theirs.ms) theirs = t;
	}
	const ourBytes = Buffer.byteLength(JSON.stringify(evaluateNode(ours.value.content)));
	const theirBytes = Buffer.byteLength(JSON.stringify(theirs.value));
	const fmt = (n: number) => n.toLocaleString('en');
	console.log(`spec: ${spec} (best of ${runs} runs)`);
	console.log(`time        ours ${ours.ms.toFixed(0)} ms (load, lint, map, emit)   theirs ${theirs.ms.toFixed(0)} ms (parse, build properties)   ratio ${(ours.ms / theirs.ms).toFixed(2)}x`);
	console.log(`description ours ${fmt(ourBytes)} B   theirs ${fmt(theirBytes)} B (properties only)   ratio ${(ourBytes / theirBytes).toFixed(3)}`);
})();
