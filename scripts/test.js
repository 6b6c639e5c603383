#!/usr/bin/env node
// `npm test`: build the pack (the real-n8n tests load dist/), run n8n's community lint, install n8n,
// run every jest suite, and close with the line CI reads: "N passed, N failed[, N skipped]". A suite
// that cannot run counts as a failure, so a broken file never reads as green, and so does a lint
// finding. Extra arguments go to jest: `npm test -- test/unit`.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const results = join(root, '.test-output', 'jest.json');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

function finish(passed, failed, skipped, status) {
	process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
	process.exit(status);
}

if (run('npm', ['run', '--silent', 'build']) !== 0) finish(0, 1, 0, 1);
const lintFailed = run('npm', ['run', '--silent', 'lint']) === 0 ? 0 : 1;
// The real-n8n tests need n8n; installing it once here (minutes on a fresh machine, cached after)
// keeps that time out of any one test.
if (run('bash', [join(root, 'scripts', 'harness', 'install-n8n.sh')]) !== 0) finish(0, 1, 0, 1);
mkdirSync(join(root, '.test-output'), { recursive: true });
rmSync(results, { force: true });
const status = run(process.execPath, [
	require.resolve('jest/bin/jest'),
	'--json',
	`--outputFile=${results}`,
	...process.argv.slice(2),
]);
if (!existsSync(results)) finish(0, 1 + lintFailed, 0, status || 1);
const r = JSON.parse(readFileSync(results, 'utf8'));
const failed = r.numFailedTests + r.numRuntimeErrorTestSuites + lintFailed;
finish(r.numPassedTests, failed, r.numPendingTests + r.numTodoTests, status || (failed ? 1 : 0));
