/**
 * Benchmark (not a test): whole processes on GitHub's REST spec, as a user meets them.
 *   npx tsx scripts/bench/generate-process.ts [spec.json | ""] [processes per side]
 *
 * Ours: `n8n-rills generate <spec> --package n8n-nodes-github --out <dir>`, the compiled CLI of the
 * generator package (what its bin runs) writing a whole community package. Theirs: a Node process
 * that loads @devlikeapro/n8n-openapi-node, reads the same file and builds the node's properties
 * (what their node does when n8n loads it). Each is timed from spawn to exit, start-up included; the
 * sides alternate, and who goes first rotates. Medians are compared.
 *
 * A third side is theirs followed by the check `generate` makes first (issue 24): the spec against
 * its version's official schema, with the same precompiled Ajv validator ours runs. It is the
 * baseline doing that much of our work, for reading the ratio, not a target. Where /proc is
 * readable, each side's CPU time (user and system, all threads) is printed too: half of it is the
 * least wall time two processors could give.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGenerator } from '../package/build';
import { versionOf, type Json } from '../openapi/document';
import { precompiledValidator } from '../openapi/official-schema';
import { median } from './median';

type Side = 'ours' | 'theirs' | 'checked';
const SIDES: Side[] = ['ours', 'theirs', 'checked'];
const LABELS: Record<Side, string> = {
	ours: 'n8n-rills generate',
	theirs: 'n8n-openapi-node',
	checked: 'n8n-openapi-node + official-schema check',
};

const LIB = join(__dirname, '..', 'package', 'lib', 'scripts');
const CLI = join(LIB, 'cli.js');
const THEIRS = `
const { N8NPropertiesBuilder } = require('@devlikeapro/n8n-openapi-node');
const logger = require('pino')({ level: 'silent' });
const doc = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
new N8NPropertiesBuilder(doc, { logger }).build();
if (process.argv[2] && !require(process.argv[2])(doc)) process.exitCode = 3;
`;

/** The quick validator of the spec's version, as the compiled generator keeps it. */
function validatorFor(spec: string): string {
	const version = versionOf(JSON.parse(readFileSync(spec, 'utf8')) as Json);
	if (!version) throw new Error(`${spec} is not an OpenAPI 3.x or Swagger 2.0 document`);
	return precompiledValidator(join(LIB, 'openapi'), version, 'quick');
}

/** CPU seconds of this process's waited-for children, user and system (Linux), or undefined elsewhere. */
function childrenCpu(ticksPerSecond: number | undefined): number | undefined {
	if (!ticksPerSecond) return undefined;
	try {
		// Fields 16 and 17 of /proc/self/stat, counted after the parenthesised command name (which may hold spaces).
		const stat = readFileSync('/proc/self/stat', 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
	} catch {
		return undefined;
	}
}

function clockTicks(): number | undefined {
	const getconf = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
	const ticks = Number(getconf.stdout?.trim());
	return getconf.status === 0 && ticks > 0 ? ticks : undefined;
}

/** One process: its wall time, and its CPU time where the system says. */
type Run = { ms: number; cpu?: number };

function timed(side: Side, spec: string, out: string, validator: string, ticks?: number): Run {
	const ours = [CLI, 'generate', spec, '--package', 'n8n-nodes-github', '--out', out];
	const args = side === 'ours' ? ours : ['-e', THEIRS, spec, ...(side === 'checked' ? [validator] : [])];
	const cpuBefore = childrenCpu(ticks);
	const start = process.hrtime.bigint();
	// Theirs resolves its package from this repository's node_modules, as ours resolves its dependencies.
	const child = spawnSync(process.execPath, args, { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	const cpuAfter = childrenCpu(ticks);
	if (child.status !== 0) throw new Error(`the ${side} process failed: ${child.stderr.trim().split('\n').slice(-3)}`);
	const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) * 1000;
	return { ms, cpu };
}

function main(spec: string, processes: number): void {
	buildGenerator();
	const validator = validatorFor(spec);
	const ticks = clockTicks();
	const out = mkdtempSync(join(tmpdir(), 'rills-bench-'));
	const runs = Object.fromEntries(SIDES.map((s) => [s, [] as Run[]])) as Record<Side, Run[]>;
	try {
		for (let p = 0; p < processes; p++) {
			const order = [...SIDES.slice(p % SIDES.length), ...SIDES.slice(0, p % SIDES.length)];
			for (const side of order) runs[side].push(timed(side, spec, join(out, String(p)), validator, ticks));
		}
	} finally {
		rmSync(out, { recursive: true, force: true });
	}
	const wallOf = (side: Side) => runs[side].map((run) => run.ms);
	const theirs = median(wallOf('theirs'));
	console.log(`spec: ${spec} (${processes} whole processes per side, alternating)`);
	for (const side of SIDES) {
		const wall = median(wallOf(side));
		const best = Math.min(...wallOf(side));
		const cpu = runs[side].flatMap((run) => (run.cpu === undefined ? [] : [run.cpu]));
		const used = cpu.length ? `   CPU ${median(cpu).toFixed(0)} ms` : '';
		const line = `${LABELS[side].padEnd(42)} ${wall.toFixed(0)} ms   ratio ${(wall / theirs).toFixed(2)}x`;
		console.log(`${line}   best ${best.toFixed(0)} ms${used}`);
	}
	console.log('(medians; ratios against n8n-openapi-node; CPU: user + system time of all threads, in clock ticks)');
}

const GITHUB = '@octokit/openapi/generated/api.github.com.json';
main(process.argv[2] || require.resolve(GITHUB), Number(process.argv[3] ?? 11));
