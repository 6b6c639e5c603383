/**
 * Benchmark (not a test): whole processes on GitHub's REST spec, as a user meets them.
 *   npx tsx scripts/bench/generate-process.ts [spec.json] [processes per side]
 *
 * Ours: `n8n-rills generate <spec> --package n8n-nodes-github --out <dir>`, the compiled CLI of the
 * generator package (what its bin runs) writing a whole community package. Theirs: a Node process
 * that loads @devlikeapro/n8n-openapi-node, reads the same file and builds the node's properties
 * (what their node does when n8n loads it). Each is timed from spawn to exit, start-up included; the
 * two sides alternate, and who goes first alternates too. Medians are compared.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGenerator } from '../package/build';
import { median } from './median';

type Side = 'ours' | 'theirs';

const CLI = join(__dirname, '..', 'package', 'lib', 'scripts', 'cli.js');
const THEIRS = `
const { N8NPropertiesBuilder } = require('@devlikeapro/n8n-openapi-node');
const logger = require('pino')({ level: 'silent' });
new N8NPropertiesBuilder(JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8')), { logger }).build();
`;

function timed(side: Side, spec: string, out: string): number {
	const ours = [CLI, 'generate', spec, '--package', 'n8n-nodes-github', '--out', out];
	const args = side === 'ours' ? ours : ['-e', THEIRS, spec];
	const start = process.hrtime.bigint();
	// Theirs resolves its package from this repository's node_modules, as ours resolves its dependencies.
	const child = spawnSync(process.execPath, args, { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	if (child.status !== 0) throw new Error(`the ${side} process failed: ${child.stderr.trim().split('\n').slice(-3)}`);
	return ms;
}

function main(spec: string, processes: number): void {
	buildGenerator();
	const out = mkdtempSync(join(tmpdir(), 'rills-bench-'));
	const times: Record<Side, number[]> = { ours: [], theirs: [] };
	try {
		for (let p = 0; p < processes; p++) {
			const order: Side[] = p % 2 ? ['theirs', 'ours'] : ['ours', 'theirs'];
			for (const side of order) times[side].push(timed(side, spec, join(out, String(p))));
		}
	} finally {
		rmSync(out, { recursive: true, force: true });
	}
	const [ours, theirs] = [median(times.ours), median(times.theirs)];
	const best = (side: Side) => Math.min(...times[side]).toFixed(0);
	console.log(`spec: ${spec} (${processes} whole processes per side, alternating)`);
	const ratio = (ours / theirs).toFixed(2);
	const [oursMs, theirsMs] = [ours.toFixed(0), theirs.toFixed(0)];
	console.log(`n8n-rills generate ${oursMs} ms   n8n-openapi-node ${theirsMs} ms   ratio ${ratio}x (medians)`);
	console.log(`best               ${best('ours')} ms   ${best('theirs')} ms`);
}

const GITHUB = '@octokit/openapi/generated/api.github.com.json';
main(process.argv[2] ?? require.resolve(GITHUB), Number(process.argv[3] ?? 11));
