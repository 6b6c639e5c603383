/**
 * The generator as a new user gets it: the n8n-rills package compiled and packed, its tarball
 * installed into an empty folder outside this repository (its dependencies from npm, so a missing
 * one fails here), and `npx n8n-rills generate` run there for a spec with every auth kind, one per
 * kind, one without auth and one with webhooks only. Each package is built by its own
 * `npm run build` from a clean folder (sharing this repository's TypeScript and n8n-workflow), then
 * linted by n8n's community lint and scanner, and loaded into a real n8n.
 */
import { spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installIntoUserFolder, pack, sh } from '../../scripts/harness/community-install';
import { N8nInstance } from '../../scripts/harness/n8n';
import { buildGenerator } from '../../scripts/package/build';

const ROOT = join(__dirname, '..', '..');
const GENERATOR = join(ROOT, 'scripts', 'package');
type Manifest = { version: string; dependencies: Record<string, string> };
const generator = JSON.parse(readFileSync(join(GENERATOR, 'package.json'), 'utf8')) as Manifest;
const tsx = require.resolve('tsx/cli');

const oauth2 = (flow: Record<string, unknown>) => ({ type: 'oauth2', flows: flow });
const API = 'https://api.example.com';
const TOKEN_URL = `${API}/oauth/token`;
/** One spec per kind of auth a generated credential has, and one without any. */
const AUTH_KINDS: Record<string, Record<string, unknown> | undefined> = {
	none: undefined,
	apikey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
	basic: { type: 'http', scheme: 'basic' },
	code: oauth2({
		authorizationCode: { authorizationUrl: `${API}/oauth/authorize`, tokenUrl: TOKEN_URL, scopes: {} },
	}),
	client: oauth2({ clientCredentials: { tokenUrl: TOKEN_URL, scopes: {} } }),
};

function spec(kind: string, scheme: Record<string, unknown> | undefined): unknown {
	const title = `Items ${kind}`;
	const list = { operationId: 'listItems', summary: 'List items', responses: { 200: { description: 'ok' } } };
	const auth = scheme && { components: { securitySchemes: { [kind]: scheme } }, security: [{ [kind]: [] }] };
	const info = { title, version: '1', description: `${title}.` };
	return { openapi: '3.0.3', info, servers: [{ url: API }], paths: { '/items': { get: list } }, ...auth };
}

let work: string;
let install: string;
/** Package folder name → spec file. */
const specs = new Map<string, string>();
const AUTHOR = 'Jane Doe <jane@example.com>';
const REPOSITORY = 'git+https://github.com/jane/n8n-nodes-items.git';

beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), 'rills-generator-'));
	install = join(work, 'install');
	mkdirSync(install);
	buildGenerator();
	const tarball = pack(GENERATOR, work);
	writeFileSync(join(install, 'package.json'), JSON.stringify({ name: 'empty', private: true }));
	sh('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], install);

	specs.set('shop', join(ROOT, 'test', 'openapi', 'fixtures', 'shop.yaml'));
	specs.set('hooks', join(ROOT, 'test', 'openapi', 'fixtures', 'webhooks-only.yaml'));
	for (const [kind, scheme] of Object.entries(AUTH_KINDS)) {
		specs.set(kind, join(work, `${kind}.json`));
		writeFileSync(specs.get(kind)!, JSON.stringify(spec(kind, scheme)));
	}
	for (const [name, file] of specs) {
		const metadata = ['--author', AUTHOR, '--repository', REPOSITORY, '--license', 'Apache-2.0'];
		const generate = ['generate', file, '--package', `n8n-nodes-${name}`, '--out', name, ...metadata];
		sh('npx', ['--no-install', 'n8n-rills', ...generate], install);
		// One shared install of the build tools: this repository's, which the package's own devDependencies name.
		symlinkSync(join(ROOT, 'node_modules'), join(install, name, 'node_modules'));
		sh('npm', ['run', 'build'], join(install, name));
	}
}, 10 * 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = (name: string) => JSON.parse(readFileSync(join(install, name, 'package.json'), 'utf8'));

it('installs the compiled generator with its declared dependencies and no TypeScript tooling', () => {
	const installed = join(install, 'node_modules');
	expect(existsSync(join(installed, 'n8n-rills', 'lib', 'scripts', 'cli.js'))).toBe(true);
	expect(existsSync(join(installed, 'n8n-rills', 'lib', 'nodes', 'shared', 'request.ts'))).toBe(true);
	for (const name of Object.keys(generator.dependencies)) expect(existsSync(join(installed, name))).toBe(true);
	for (const tool of ['tsx', 'typescript', 'n8n-workflow']) expect(existsSync(join(installed, tool))).toBe(false);
});

it('every package builds with its own npm run build: each node and credential of its manifest is in dist/', () => {
	for (const name of specs.keys()) {
		const { n8n } = manifest(name) as { n8n: { nodes: string[]; credentials: string[] } };
		expect(n8n.nodes.length).toBeGreaterThan(0);
		for (const file of [...n8n.nodes, ...n8n.credentials]) expect(existsSync(join(install, name, file))).toBe(true);
	}
	expect(manifest('hooks').n8n.nodes).toEqual([
		'dist/nodes/Hooks/Hooks.node.js',
		'dist/nodes/Hooks/HooksTrigger.node.js',
	]);
	// Every package has one credential; without auth it holds only the editable Base URL.
	for (const kind of Object.keys(AUTH_KINDS)) {
		expect(manifest(kind).n8n.credentials).toHaveLength(1);
	}
});

it('records the generator and runtime that wrote it, and the author, repository and license it was given', () => {
	expect(manifest('shop')).toMatchObject({
		generatedBy: { generator: `n8n-rills@${generator.version}`, runtime: `n8n-nodes-rills@${generator.version}` },
		author: { name: 'Jane Doe', email: 'jane@example.com' },
		repository: { type: 'git', url: REPOSITORY },
		license: 'Apache-2.0',
	});
	const readme = readFileSync(join(install, 'shop', 'README.md'), 'utf8');
	expect(readme).toContain(`Generated by n8n-rills@${generator.version}`);
	for (const name of specs.keys()) expect(JSON.stringify(manifest(name))).not.toMatch(/\.invalid\b/);
});

it("refuses a spec that breaks the official OpenAPI schema, showing where, with lint's findings", () => {
	const precompiled = join(install, 'node_modules', 'n8n-rills', 'lib', 'scripts', 'openapi', 'official-schemas');
	expect(readdirSync(precompiled).sort()).toEqual(
		['2.0', '3.0', '3.1'].flatMap((v) => [`openapi-${v}.js`, `openapi-${v}.quick.js`]),
	);
	const broken = spec('broken', undefined) as {
		paths: { '/items': { get: { responses: Record<string, unknown> } } };
	};
	broken.paths['/items'].get.responses[200] = { description: 5 };
	const file = join(work, 'broken.json');
	writeFileSync(file, JSON.stringify(broken));
	const rills = (...args: string[]) =>
		spawnSync('npx', ['--no-install', 'n8n-rills', ...args], { cwd: install, encoding: 'utf8' });
	const generate = rills('generate', file, '--package', 'n8n-nodes-broken', '--out', 'broken');
	expect(generate.status).toBe(1);
	expect(generate.stderr).toContain(
		'error [schema] /paths/~1items/get/responses/200/description: must be a text (OpenAPI 3.0 schema)',
	);
	expect(generate.stderr).toContain('not generated: lint found errors');
	expect(existsSync(join(install, 'broken'))).toBe(false);
	const generated = JSON.parse(rills('generate', file, '--out', 'broken', '--json').stdout) as { findings: unknown };
	expect(generated.findings).toEqual(JSON.parse(rills('lint', file, '--json').stdout).findings);
});

it("passes n8n's community lint, and the scanner finds nothing in the tarball it would publish", () => {
	for (const name of ['shop', 'none']) {
		const folder = join(install, name);
		const lint = sh(process.execPath, [tsx, join(ROOT, 'scripts', 'openapi', 'community-lint.ts'), folder], ROOT);
		expect({ name, problems: JSON.parse(lint) }).toEqual({ name, problems: [] });
		const check = spawnSync(process.execPath, [tsx, join(ROOT, 'scripts', 'community-check.ts'), folder], {
			cwd: ROOT,
		});
		const { tarball } = JSON.parse(String(check.stdout)) as { tarball: { problems: string[] } };
		expect({ name, problems: tarball.problems }).toEqual({ name, problems: [] });
	}
});

function codexFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((d) => {
		if (d.isDirectory()) return codexFiles(join(folder, d.name));
		return d.name.endsWith('.node.json') ? [join(folder, d.name)] : [];
	});
}

/** A node's type as n8n names it in an installed package: `<package>.<node>`, as its codex says. */
function nodeType(codexFile: string): string {
	return (JSON.parse(readFileSync(codexFile, 'utf8')) as { node: string }).node;
}

describe('in a real n8n', () => {
	let n8n: N8nInstance;
	beforeAll(async () => {
		n8n = await N8nInstance.create({ extensions: [] });
		const tarballs = [...specs.keys()].map((name) => pack(join(install, name), work));
		installIntoUserFolder(n8n.userFolder, tarballs);
	}, 20 * 60_000);
	afterAll(() => n8n?.dispose());

	it('loads every node of every package installed as community packages: a workflow of them all runs', async () => {
		const types = [...specs.keys()].flatMap((name) =>
			codexFiles(join(install, name, 'dist', 'nodes')).map(nodeType),
		);
		// Hooks has an action and a trigger node; every other package one action node; and each package with a
		// credential a polling trigger that watches the connection (Connection Status Changed).
		const polling = types.filter((t) => t.endsWith('PollingTrigger'));
		expect(polling.map((t) => t.split('.')[0])).toEqual(
			['shop', 'apikey', 'basic', 'code', 'client'].map((name) => `n8n-nodes-${name}`),
		);
		expect(types).toHaveLength(specs.size + 1 + polling.length);
		const placed = types.map((type, i) => ({ name: `Node ${i}`, type, parameters: {}, position: [i * 200, 300] }));
		const nodes = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, ...placed];
		const execution = await n8n.execute(await n8n.importWorkflow({ nodes, connections: {} }));
		expect(execution.error).toBeUndefined();
		expect(execution.status).toBe('success');
	});
});
