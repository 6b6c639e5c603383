/**
 * n8n's community-node lint and the offline part of its verification scan
 * (scripts/community-check.ts) on this project: its source and what `npm pack` publishes, with
 * zero errors and zero warnings. Needs the build (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LintLeg } from '../../scripts/community-check';

const ROOT = join(__dirname, '..', '..');

it('passes with no errors or warnings, having linted every node and credential in both the source and the tarball', () => {
	// The scanner is an ES module: it runs in its own process. Without jest's NODE_ENV=test, which
	// switches eslint-plugin-n8n-nodes-base to its own fixtures' file names.
	const env = { ...process.env, NODE_ENV: 'production' };
	const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'community-check.ts'), ROOT], {
		encoding: 'utf8',
		env,
	});
	const report = JSON.parse(run.stdout) as { source: LintLeg; tarball: LintLeg };
	expect(report.source.problems).toEqual([]);
	expect(report.tarball.problems).toEqual([]);
	expect(run.status).toBe(0);
	const { n8n } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const shipped = n8n.nodes.length + n8n.credentials.length;
	expect(report.source.files).toBeGreaterThan(shipped);
	expect(report.tarball.files).toBeGreaterThan(shipped);
});
