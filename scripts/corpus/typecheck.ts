import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Type-checks many generated packages in one TypeScript program (one compiler start instead of
 * one per package) with the pack's own compiler settings. Returns the diagnostics per package
 * folder; an empty map means every package compiles.
 */
export function typecheckPackages(folder: string, packages: string[]): Map<string, string[]> {
	const config = join(folder, 'tsconfig.typecheck.json');
	const include = packages.flatMap((p) => [
		`${relative(folder, p)}/nodes/**/*.ts`,
		`${relative(folder, p)}/credentials/**/*.ts`,
	]);
	writeFileSync(
		config,
		JSON.stringify(
			{
				extends: relative(folder, join(ROOT, 'tsconfig.json')),
				compilerOptions: { noEmit: true, rootDir: '/', types: [] },
				include,
				exclude: ['**/nodes/shared/**'],
			},
			null,
			2,
		),
	);
	const result = spawnSync(
		process.execPath,
		[require.resolve('typescript/bin/tsc'), '-p', config, '--pretty', 'false'],
		{ cwd: folder, encoding: 'utf8', maxBuffer: 1 << 28 },
	);
	const errors = new Map<string, string[]>();
	for (const line of (result.stdout + result.stderr).split('\n').filter((l) => / error TS\d+/.test(l))) {
		const pkg = packages.find((p) => join(folder, line.split('(')[0]).startsWith(p + '/')) ?? folder;
		errors.set(pkg, [...(errors.get(pkg) ?? []), line]);
	}
	if (result.status !== 0 && errors.size === 0)
		errors.set(folder, [`tsc exited ${result.status}: ${(result.stdout + result.stderr).slice(0, 2000)}`]);
	return errors;
}
