/**
 * `npm run build:generator`: compiles the generator into scripts/package/lib/ so that the published
 * `n8n-rills` package runs as plain JavaScript. lib/ mirrors this repository's tree (scripts/…,
 * nodes/shared/…, tsconfig.json) because the generator finds what it copies into generated packages
 * relative to its own files (see generator-root.ts): the runtime's TypeScript sources and the tsconfig they are built
 * with. The official OpenAPI schemas are compiled here too, once, rather than at every `n8n-rills generate`.
 *
 * The TypeScript is type-checked by tsc and bundled by esbuild, one file per entry point (the command, and the lint
 * worker's script): requiring 60 modules cost every start 70–110 ms of CPU at a load of 20, one bundle 40 ms. The
 * packages the generator depends on stay outside the bundles, required from node_modules as before.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { MODES, precompiledValidator, validatorSource, VERSIONS } from '../openapi/official-schema';

const ROOT = join(__dirname, '..', '..');
const LIB = join(__dirname, 'lib');

export function buildGenerator(): void {
	rmSync(LIB, { recursive: true, force: true });
	const tsconfig = join(__dirname, 'tsconfig.json');
	const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig, '--noEmit'], {
		encoding: 'utf8',
	});
	if (tsc.status !== 0) throw new Error(`the generator does not compile:\n${tsc.stdout}${tsc.stderr}`);
	// Each bundle sits in lib/scripts/, the folder generator-root.ts is in: it finds the root from there.
	const bundle = (entry: string, name: string) =>
		buildSync({
			entryPoints: [join(ROOT, 'scripts', entry)],
			outfile: join(LIB, 'scripts', name),
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			packages: 'external',
			// `await import(pkg)` as tsc compiled it, a require: the packages load as CommonJS, as before the bundle.
			supported: { 'dynamic-import': false },
			logLevel: 'error',
		});
	bundle('cli.ts', 'cli.js');
	bundle(join('openapi', 'official-schema-beside.ts'), 'official-schema-beside.js');
	const runtimeSource = (path: string) => !/\.test\.ts$/.test(path) && (!/\.\w+$/.test(path) || path.endsWith('.ts'));
	cpSync(join(ROOT, 'nodes', 'shared'), join(LIB, 'nodes', 'shared'), { recursive: true, filter: runtimeSource });
	cpSync(join(ROOT, 'tsconfig.json'), join(LIB, 'tsconfig.json'));
	for (const version of VERSIONS)
		for (const mode of MODES) {
			const file = precompiledValidator(join(LIB, 'scripts', 'openapi'), version, mode);
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, validatorSource(version, mode));
		}
}

if (require.main === module) buildGenerator();
