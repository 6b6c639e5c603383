/**
 * Benchmark (not a test): GitHub's REST spec through our importer and emitters versus
 * @devlikeapro/n8n-openapi-node building its node properties from the same file, in one run.
 * Prints each side's best and median time over N alternating runs (this machine varies by ±10 %
 * from run to run: compare medians when judging a change), our time split into import and emit,
 * and description sizes, with the ratios.
 *   npx tsx scripts/bench/openapi-vs-n8n-openapi-node.ts [spec.json] [runs]
 *
 * Like with like: each side starts from the file's path and ends with what it makes of it, in
 * memory. Theirs reads and parses the file and builds the node's properties (what their node does
 * when n8n loads it). Ours reads, parses, checks for external refs, applies the lint fixes, maps to
 * the model and writes the complete node and credential sources as text (more than theirs: the
 * operation table and the TypeScript rendering). Neither side writes files, formats or type-checks.
 * Every run starts from a collected heap, so neither pays for the other's garbage, and nothing is
 * carried from one run to the next (our name caches are emptied when an import starts).
 */
import { N8NPropertiesBuilder } from '@devlikeapro/n8n-openapi-node';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { emitCredentials } from '../emit/credentials';
import { emitNode } from '../emit/node';
import { evaluateNode } from '../openapi/evaluate';
import { importSpec } from '../openapi/import';
import { median } from './median';

const spec = process.argv[2] ?? require.resolve('@octokit/openapi/generated/api.github.com.json');
const runs = Number(process.argv[3] ?? 11);

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Timed<T> {
	ms: number;
	/** CPU time of the process (all its threads): steadier than wall time on a shared machine. */
	cpuMs: number;
	value: T;
}

/** Times `fn` once from a collected heap; the caller alternates the two sides so neither gets a warmer process. */
async function timed<T>(fn: () => Promise<T> | T): Promise<Timed<T>> {
	collectGarbage();
	const cpu = process.cpuUsage();
	const start = process.hrtime.bigint();
	const value = await fn();
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	const used = process.cpuUsage(cpu);
	return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

/** The run with the least wall time, and the least CPU time seen in any run. */
function best<T>(runs: Array<Timed<T>>): Timed<T> {
	const fastest = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
	return { ...fastest, cpuMs: Math.min(...runs.map((r) => r.cpuMs)) };
}

(async () => {
	const icons = { light: 'x.svg', dark: 'x.svg' };
	const runOurs = async () => {
		const start = process.hrtime.bigint();
		const integration = (await importSpec(spec)).integration!;
		const importMs = Number(process.hrtime.bigint() - start) / 1e6;
		return { importMs, node: emitNode(integration, spec, icons), credentials: emitCredentials(integration, spec, icons) };
	};
	const runTheirs = () => new N8NPropertiesBuilder(JSON.parse(readFileSync(spec, 'utf8')), { logger: pino({ level: 'silent' }) }).build();
	const ourRuns: Array<Timed<Awaited<ReturnType<typeof runOurs>>>> = [];
	const theirRuns: Array<Timed<ReturnType<typeof runTheirs>>> = [];
	for (let i = 0; i < runs; i++) {
		ourRuns.push(await timed(runOurs));
		theirRuns.push(await timed(runTheirs));
	}
	const ours = best(ourRuns);
	const theirs = best(theirRuns);
	const ourBytes = Buffer.byteLength(JSON.stringify(evaluateNode(ours.value.node.content)));
	const theirBytes = Buffer.byteLength(JSON.stringify(theirs.value));
	const sourceBytes = [ours.value.node, ...ours.value.credentials].reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
	const fmt = (n: number) => n.toLocaleString('en');
	const ourMedian = median(ourRuns.map((r) => r.ms));
	const theirMedian = median(theirRuns.map((r) => r.ms));
	const importMedian = median(ourRuns.map((r) => r.value.importMs));
	const emitMedian = median(ourRuns.map((r) => r.ms - r.value.importMs));
	console.log(`spec: ${spec} (${runs} runs each, alternating, each from a collected heap)`);
	console.log(`time        ours ${ours.ms.toFixed(0)} ms (read, parse, lint fixes, map, emit node + ${ours.value.credentials.length} credential(s): ${fmt(sourceBytes)} B of TypeScript)   theirs ${theirs.ms.toFixed(0)} ms (read, parse, build properties)   ratio ${(ours.ms / theirs.ms).toFixed(2)}x (best runs)`);
	console.log(`median      ours ${ourMedian.toFixed(0)} ms (import ${importMedian.toFixed(0)} ms, emit ${emitMedian.toFixed(0)} ms)   theirs ${theirMedian.toFixed(0)} ms   ratio ${(ourMedian / theirMedian).toFixed(2)}x`);
	console.log(`cpu time    ours ${ours.cpuMs.toFixed(0)} ms   theirs ${theirs.cpuMs.toFixed(0)} ms   ratio ${(ours.cpuMs / theirs.cpuMs).toFixed(2)}x`);
	console.log(`description ours ${fmt(ourBytes)} B   theirs ${fmt(theirBytes)} B (properties only)   ratio ${(ourBytes / theirBytes).toFixed(3)}`);
})();
