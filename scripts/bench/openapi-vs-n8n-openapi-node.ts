/**
 * Benchmark (not a test): GitHub's REST spec through our importer and emitter versus
 * @devlikeapro/n8n-openapi-node building its node properties from the same file, in one run.
 * Prints each side's time (parse + build, best of N) and description size, and the ratios.
 *   npx tsx scripts/bench/openapi-vs-n8n-openapi-node.ts [spec.json] [runs]
 */
import { N8NPropertiesBuilder } from '@devlikeapro/n8n-openapi-node';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { emitNode } from '../emit/node';
import { evaluateNode } from '../openapi/evaluate';
import { importSpec } from '../openapi/import';

const spec = process.argv[2] ?? require.resolve('@octokit/openapi/generated/api.github.com.json');
const runs = Number(process.argv[3] ?? 3);

async function best<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
	let out: { ms: number; value: T } | undefined;
	for (let i = 0; i < runs; i++) {
		const start = process.hrtime.bigint();
		const value = await fn();
		const ms = Number(process.hrtime.bigint() - start) / 1e6;
		if (!out || ms < out.ms) out = { ms, value };
	}
	return out!;
}

(async () => {
	const ours = await best(async () => {
		const imported = await importSpec(spec);
		return emitNode(imported.integration!, spec, { light: 'x.svg', dark: 'x.svg' });
	});
	const theirs = await best(() => new N8NPropertiesBuilder(JSON.parse(readFileSync(spec, 'utf8')), { logger: pino({ level: 'silent' }) }).build());
	const ourBytes = Buffer.byteLength(JSON.stringify(evaluateNode(ours.value.content)));
	const theirBytes = Buffer.byteLength(JSON.stringify(theirs.value));
	const fmt = (n: number) => n.toLocaleString('en');
	console.log(`spec: ${spec} (best of ${runs} runs)`);
	console.log(`time        ours ${ours.ms.toFixed(0)} ms (load, lint, map, emit)   theirs ${theirs.ms.toFixed(0)} ms (parse, build properties)   ratio ${(ours.ms / theirs.ms).toFixed(2)}x`);
	console.log(`description ours ${fmt(ourBytes)} B   theirs ${fmt(theirBytes)} B (properties only)   ratio ${(ourBytes / theirBytes).toFixed(3)}`);
})();
