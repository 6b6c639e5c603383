/**
 * `npm run build:generator`: compiles the generator into scripts/package/lib/ so that the published
 * `n8n-rills` package runs as plain JavaScript. lib/ mirrors this repository's tree (scripts/…,
 * nodes/shared/…, tsconfig.json) because the generator finds what it copies into generated packages
 * relative to its own files: the runtime's TypeScript sources and the tsconfig they are built with. The
 * official OpenAPI schemas are compiled here too, once, rather than at every `n8n-rills generate`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { precompiledValidator, validatorSource, VERSIONS } from '../openapi/official-schema';

const ROOT = join(__dirname, '..', '..');
const LIB = join(__dirname, 'lib');

export function buildGenerator(): void {
	rmSync(LIB, { recursive: true, force: true });
	const tsconfig = join(__dirname, 'tsconfig.json');
	const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], {
		encoding: 'utf8',
	});
	if (tsc.status !== 0) throw new Error(`the generator does not compile:\n${tsc.stdout}${tsc.stderr}`);
	const runtimeSource = (path: string) => !/\.test\.ts$/.test(path) && (!/\.\w+$/.test(path) || path.endsWith('.ts'));
	cpSync(join(ROOT, 'nodes', 'shared'), join(LIB, 'nodes', 'shared'), { recursive: true, filter: runtimeSource });
	cpSync(join(ROOT, 'tsconfig.json'), join(LIB, 'tsconfig.json'));
	for (const version of VERSIONS) {
		const file = precompiledValidator(join(LIB, 'scripts', 'openapi'), version);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, validatorSource(version));
	}
}

if (require.main === module) buildGenerator();
