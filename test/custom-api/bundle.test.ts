/**
 * The parsing libraries as dist ships them (scripts/bundle/libraries.js): one file that n8n's
 * community scanner accepts (no process, console, timers or forbidden modules) and that still
 * parses YAML and converts Swagger 2.0 exactly as the libraries do. The same libraries bundled
 * without the shims are refused by the same scanner, so the check can fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import type { LintLeg } from '../../scripts/community-check';

const ROOT = join(__dirname, '..', '..');
const SWAGGER = readFileSync(join(__dirname, 'fixtures', 'notes.swagger.yaml'), 'utf8');
const { bundleLibraries } = require('../../scripts/bundle/libraries') as {
	bundleLibraries(outfile: string): Promise<void>;
};

let folder: string;
beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'rills-bundle-'));
	mkdirSync(join(folder, 'shimmed', 'nodes'), { recursive: true });
	mkdirSync(join(folder, 'raw', 'nodes'), { recursive: true });
	await bundleLibraries(join(folder, 'shimmed', 'nodes', 'libraries.js'));
	await build({
		entryPoints: [join(ROOT, 'scripts', 'load', 'libraries.ts')],
		outfile: join(folder, 'raw', 'nodes', 'libraries.js'),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		logLevel: 'error',
	});
}, 60_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * The scanner's lint (scripts/community-check), in its own process: it is an ES module, and jest's
 * NODE_ENV=test changes its rules.
 */
function scan(packageFolder: string): LintLeg {
	const script = `require('./scripts/community-check').scanSource(${JSON.stringify(packageFolder)}).then((r) => process.stdout.write(JSON.stringify(r)))`;
	const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
		cwd: ROOT,
		encoding: 'utf8',
		env: { ...process.env, NODE_ENV: 'production' },
	});
	if (run.status !== 0) throw new Error(run.stderr);
	return JSON.parse(run.stdout) as LintLeg;
}

it("passes n8n's community scanner, which refuses the same libraries bundled without the shims", () => {
	const shimmed = scan(join(folder, 'shimmed'));
	expect(shimmed.files).toBe(1);
	expect(shimmed.problems).toEqual([]);
	const raw = scan(join(folder, 'raw')).problems.join('\n');
	expect(raw).toMatch(/no-restricted-globals .*'process'/);
	expect(raw).toMatch(/no-console/);
	expect(raw).toMatch(/no-restricted-imports .*'fs'/);
}, 120_000);

it('parses YAML and converts Swagger 2.0 exactly as the libraries themselves do', async () => {
	type Libraries = typeof import('../../scripts/load/libraries');
	const bundled = require(join(folder, 'shimmed', 'nodes', 'libraries.js')) as Libraries;
	const library = require('../../scripts/load/libraries') as Libraries;
	expect(bundled.yaml().parse(SWAGGER)).toEqual(parse(SWAGGER));
	const options = () => ({ patch: true, warnOnly: true, resolveInternal: false, resolve: false }) as never;
	// An operation's scheme makes swagger2openapi rewrite a server URL: the one place it uses Node's url module.
	const spec = parse(SWAGGER) as { paths: Record<string, Record<string, Record<string, unknown>>> };
	spec.paths['/me'].get.schemes = ['http'];
	const ours = await bundled.swagger2openapi().convertObj(structuredClone(spec) as never, options());
	const theirs = await library.swagger2openapi().convertObj(structuredClone(spec) as never, options());
	expect(ours.openapi).toEqual(theirs.openapi);
	expect(JSON.stringify(ours.openapi)).toContain('"http://notes.example.com/v1"');
});

it('refuses, when asked, to read files or the network: the node turns resolving off', async () => {
	const bundled = require(
		join(folder, 'shimmed', 'nodes', 'libraries.js'),
	) as typeof import('../../scripts/load/libraries');
	await expect(bundled.swagger2openapi().convertFile('/etc/passwd', {} as never)).rejects.toThrow(
		/not available inside n8n/,
	);
});
