/**
 * n8n's own checks on a community package, offline: the lint n8n's verification scan runs
 * (@n8n/scan-community-package: the community-nodes rules plus eslint-plugin-n8n-nodes-base's
 * community, credentials and nodes rules — the ones `n8n-node lint` applies — and no-console), over
 * the source as the scan lints the attested repository and over `npm pack` output as it lints the
 * published tarball. The scan fails on errors only; here warnings count too.
 *
 * `tsx scripts/community-check.ts [package folder]` prints a JSON report and exits 1 on any problem.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';

interface Scanner {
	buildScanConfig(): Promise<unknown>;
	SOURCE_FILE_PATTERNS: string[];
}

export interface LintLeg {
	files: number;
	/** `file:line severity rule message` */
	problems: string[];
}

// The scanner is an ES module without types; Node 20.19+ requires it synchronously.
const scanner = require('@n8n/scan-community-package/scanner/scanner.mjs') as Scanner;

async function lint(folder: string, patterns: string[]): Promise<LintLeg> {
	const eslint = new ESLint({
		cwd: folder,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: (await scanner.buildScanConfig()) as never,
		errorOnUnmatchedPattern: false,
	});
	const results = await eslint.lintFiles(patterns);
	const problems = results.flatMap((r) =>
		r.messages.map(
			(m) =>
				`${r.filePath.slice(folder.length + 1)}:${m.line} ${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId ?? 'parse'} ${m.message}`,
		),
	);
	return { files: results.length, problems };
}

/** Packs the folder as `npm publish` would and lints what the tarball holds. */
async function lintTarball(folder: string): Promise<LintLeg> {
	const work = mkdtempSync(join(tmpdir(), 'rills-scan-'));
	try {
		const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: folder,
			encoding: 'utf8',
		});
		if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
		const [{ filename }] = JSON.parse(pack.stdout) as Array<{ filename: string }>;
		const unpacked = join(work, 'package');
		mkdirSync(unpacked);
		const tar = spawnSync('tar', ['-xzf', join(work, filename), '-C', unpacked, '--strip-components=1'], {
			encoding: 'utf8',
		});
		if (tar.status !== 0) throw new Error(`tar failed:\n${tar.stderr}`);
		return await lint(unpacked, ['**/*.js', 'package.json']);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

/** The scan's lint over the sources, as it lints the attested repository. */
export function scanSource(folder: string): Promise<LintLeg> {
	return lint(folder, scanner.SOURCE_FILE_PATTERNS);
}

export async function communityCheck(folder: string): Promise<{ source: LintLeg; tarball: LintLeg }> {
	return { source: await scanSource(folder), tarball: await lintTarball(folder) };
}

if (require.main === module) {
	void communityCheck(resolve(process.argv[2] ?? '.')).then((report) => {
		process.stdout.write(JSON.stringify(report, null, 2) + '\n');
		process.exitCode = report.source.problems.length + report.tarball.problems.length > 0 ? 1 : 0;
	});
}
