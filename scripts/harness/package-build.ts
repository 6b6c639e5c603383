/** Generated packages compiled for a real n8n to load, as tests, the soak and benchmarks need them. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Integration } from '../model/types';
import { packageFiles, writeFiles } from '../openapi/package';

/**
 * A folder of its own under .test-output (where generated packages still resolve n8n-workflow and
 * lodash from the project): runs in the same checkout never share or delete each other's.
 */
export function freshFolder(name: string): string {
	const parent = join(__dirname, '..', '..', '.test-output');
	mkdirSync(parent, { recursive: true });
	return mkdtempSync(join(parent, `${name}-`));
}

/** `tsc -p tsconfig.json` in a package folder; throws with the compiler's output when it fails. */
export function compilePackage(folder: string): void {
	const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
		cwd: folder,
		encoding: 'utf8',
	});
	if (tsc.status !== 0) throw new Error(`the package in ${folder} does not compile:\n${tsc.stdout}${tsc.stderr}`);
}

/**
 * Writes the community package of an integration into `out` and compiles it; its dist/ loads as an n8n extension.
 * `definitionFolder`: where the definition's icons and hooks are.
 */
export function buildPackage(
	out: string,
	integration: Integration,
	packageName: string,
	source: string,
	definitionFolder = '.',
): void {
	writeFiles(out, packageFiles(integration, packageName, source, definitionFolder));
	compilePackage(out);
}
