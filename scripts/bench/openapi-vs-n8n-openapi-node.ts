/**
 * Benchmark (not a test): GitHub's REST spec through our importer and emitters versus
 * @devlikeapro/n8n-openapi-node building its node properties from the same file, in one run.
 *   npx tsx scripts/bench/openapi-vs-n8n-openapi-node.ts [spec.json] [runs per process] [processes per side]
 *
 * Like with like: each side starts from the file's path and ends with what it makes of it, in
 * memory. Theirs reads and parses the file and builds the node's properties (what their node does
 * when n8n loads it). Ours reads, parses, checks for external refs, applies the lint fixes, maps to
 * the model and writes the complete node and credential sources as text (more than theirs: the
 * operation table and the TypeScript rendering). Neither side writes files, formats or type-checks.
 *
 * Each side runs in fresh processes of its own, the two sides' processes alternating, so neither
 * pays for the other's garbage or inherits its compiled code; before timing, a process loads only
 * what its side's generation needs (the heap it starts with decides which collections the first
 * run meets). Two figures come out of them:
 * - first run: each process's first generation, with the code just loaded (not timed) and the JIT
 *   and heap cold. This is what one `n8n-rills generate`, or one n8n start with their node, pays.
 * - steady state: the later runs of each process, back to back. No forced collection between runs:
 *   a forced one discards the optimised code of both sides ("weak objects"), so every run would be
 *   half a first run again.
 * Medians are compared (this machine varies by ±10 % from run to run); best runs are shown too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { median } from './median';

type Side = 'ours' | 'theirs';

interface Run {
	ms: number;
	/** CPU time of the process (all threads: also background compilation and parallel GC). */
	cpuMs: number;
	/** Ours only: up to the integration model; the rest is emitting. */
	importMs?: number;
}

interface ProcessResult {
	runs: Run[];
	/** The node description as JSON. */
	descriptionBytes: number;
	/** Ours only: the TypeScript written. */
	sourceBytes?: number;
}

const [, , first, ...rest] = process.argv;
if (first === '--side') {
	const [side, spec, runs] = rest;
	void measure(side as Side, spec, Number(runs)).then((result) => process.stdout.write(JSON.stringify(result)));
} else {
	const spec = first ?? require.resolve('@octokit/openapi/generated/api.github.com.json');
	report(spec, Number(rest[0] ?? 11), Number(rest[1] ?? 5));
}

/** In a child process: `runs` generations of one side, timed one by one. */
async function measure(side: Side, spec: string, runs: number): Promise<ProcessResult> {
	const generate = side === 'ours' ? await oursGenerator(spec) : await theirsGenerator(spec);
	const timed: Run[] = [];
	let sizes: Sizes | undefined;
	for (let i = 0; i < runs; i++) {
		const cpu = process.cpuUsage();
		const start = process.hrtime.bigint();
		const generated = await generate();
		const ms = Number(process.hrtime.bigint() - start) / 1e6;
		const used = process.cpuUsage(cpu);
		timed.push({ ms, cpuMs: (used.user + used.system) / 1000, importMs: generated.importMs });
		sizes = generated.sizes;
	}
	return { runs: timed, ...(await sizes!()) };
}

/**
 * Measured after the timed runs: what it loads (TypeScript, to evaluate our node) is no part of either side's
 * generation.
 */
type Sizes = () => Promise<{ descriptionBytes: number; sourceBytes?: number }>;
type Generation = () => Promise<{ importMs?: number; sizes: Sizes }>;

async function oursGenerator(spec: string): Promise<Generation> {
	const { importSpec } = await import('../openapi/import');
	const { emitNode } = await import('../emit/node');
	const { emitCredentials } = await import('../emit/credentials');
	const ns = (await import('../emit/names')).namespaceOf('n8n-nodes-bench');
	const icons = { light: 'x.svg', dark: 'x.svg' };
	return async () => {
		const start = process.hrtime.bigint();
		const integration = (await importSpec(spec)).integration!;
		const importMs = Number(process.hrtime.bigint() - start) / 1e6;
		const files = [emitNode(integration, spec, icons, ns), ...emitCredentials(integration, spec, icons, ns)];
		return {
			importMs,
			sizes: async () => {
				const { evaluateNode } = await import('../openapi/evaluate');
				return {
					descriptionBytes: Buffer.byteLength(JSON.stringify(evaluateNode(files[0].content))),
					sourceBytes: files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0),
				};
			},
		};
	};
}

async function theirsGenerator(spec: string): Promise<Generation> {
	const { N8NPropertiesBuilder } = await import('@devlikeapro/n8n-openapi-node');
	const { default: pino } = await import('pino');
	const logger = pino({ level: 'silent' });
	return async () => {
		const properties = new N8NPropertiesBuilder(JSON.parse(readFileSync(spec, 'utf8')), { logger }).build();
		return { sizes: async () => ({ descriptionBytes: Buffer.byteLength(JSON.stringify(properties)) }) };
	};
}

function runChild(side: Side, spec: string, runs: number): ProcessResult {
	const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--side', side, spec, String(runs)], {
		encoding: 'utf8',
		maxBuffer: 1 << 20,
	});
	if (child.status !== 0)
		throw new Error(`the ${side} process failed: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
	return JSON.parse(child.stdout) as ProcessResult;
}

function report(spec: string, runs: number, processes: number): void {
	const results: Record<Side, ProcessResult[]> = { ours: [], theirs: [] };
	for (let p = 0; p < processes; p++) {
		// Who goes first alternates too: neither side always meets a machine just woken or just busy.
		const order: Side[] = p % 2 ? ['theirs', 'ours'] : ['ours', 'theirs'];
		for (const side of order) results[side].push(runChild(side, spec, runs));
	}
	const firsts = (side: Side) => results[side].map((r) => r.runs[0]);
	const later = (side: Side) => results[side].flatMap((r) => r.runs.slice(1));
	const ms = (list: Run[]) => median(list.map((r) => r.ms));
	const best = (list: Run[]) => Math.min(...list.map((r) => r.ms));
	const split = (list: Run[]) =>
		`import ${median(list.map((r) => r.importMs!)).toFixed(0)} ms, emit ${median(list.map((r) => r.ms - r.importMs!)).toFixed(0)} ms`;
	const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
	const fmt = (n: number) => n.toLocaleString('en');
	const ours = results.ours[0];
	const theirs = results.theirs[0];

	console.log(`spec: ${spec} (${processes} fresh processes per side, alternating; ${runs} runs in each)`);
	console.log(
		`first run   ours ${ms(firsts('ours')).toFixed(0)} ms (${split(firsts('ours'))})   theirs ${ms(firsts('theirs')).toFixed(0)} ms   ratio ${ratio(ms(firsts('ours')), ms(firsts('theirs')))} (medians of each process's first run: JIT and heap cold)`,
	);
	if (runs > 1) {
		console.log(
			`steady      ours ${ms(later('ours')).toFixed(0)} ms (${split(later('ours'))})   theirs ${ms(later('theirs')).toFixed(0)} ms   ratio ${ratio(ms(later('ours')), ms(later('theirs')))} (medians of runs 2–${runs}); best runs ${best(later('ours')).toFixed(0)} vs ${best(later('theirs')).toFixed(0)} ms, ${ratio(best(later('ours')), best(later('theirs')))}`,
		);
		const cpu = (side: Side) => median(later(side).map((r) => r.cpuMs));
		console.log(
			`cpu time    ours ${cpu('ours').toFixed(0)} ms   theirs ${cpu('theirs').toFixed(0)} ms   ratio ${ratio(cpu('ours'), cpu('theirs'))} (steady medians, all threads)`,
		);
	}
	console.log(`output      ours ${fmt(ours.sourceBytes!)} B of TypeScript (node + credentials)`);
	console.log(
		`description ours ${fmt(ours.descriptionBytes)} B   theirs ${fmt(theirs.descriptionBytes)} B (properties only)   ratio ${(ours.descriptionBytes / theirs.descriptionBytes).toFixed(3)}`,
	);
}
