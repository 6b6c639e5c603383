/**
 * Generated packages: complete (manifest, runtime copy, icons), lean, type-checked by the real
 * compiler, and safe from hostile specs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { typecheckPackages } from '../../scripts/corpus/typecheck';
import { namespaceOf } from '../../scripts/emit/names';
import { emitNode } from '../../scripts/emit/node';
import { evaluateModule, evaluateNode } from '../../scripts/openapi/evaluate';
import { packageFiles, writeFiles } from '../../scripts/openapi/package';
import { description, FIXTURES, freshFolder, importFixture } from './helpers';
import { HOSTILE, hostileSpec } from './hostile';

const ROOT = join(__dirname, '..', '..');
const OUT = freshFolder('openapi-packages');
const FIXTURE_SPECS = [
	'shop.yaml',
	'petstore-swagger2.json',
	'modern-3.1.yaml',
	'multi/main.yaml',
	'bearer.yaml',
	'broken.yaml',
	'webhooks-only.yaml',
	'callbacks.yaml',
	'files.yaml',
];
const written = new Map<string, ReturnType<typeof packageFiles>>();

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

beforeAll(async () => {
	writeFileSync(join(OUT, 'hostile.json'), JSON.stringify(hostileSpec(), null, 2));
	for (const spec of [...FIXTURE_SPECS.map((s) => join(FIXTURES, s)), join(OUT, 'hostile.json')]) {
		const { integration } = await importFixture(spec);
		const name = spec.split('/').slice(-2).join('-').replace(/\W+/g, '-');
		const files = packageFiles(integration, `n8n-nodes-${name}`, spec.slice(ROOT.length + 1), '.', {
			author: 'Test Maintainers <maintainers@example.com>',
		});
		writeFiles(join(OUT, name), files);
		written.set(name, files);
	}
});

it('every generated package type-checks against n8n-workflow with the strict settings of the pack', () => {
	const errors = typecheckPackages(
		OUT,
		[...written.keys()].map((n) => join(OUT, n)),
	);
	expect(Object.fromEntries(errors)).toEqual({});
});

it('writes a complete community package: manifest with the n8n block, no dependencies, runtime, icons', () => {
	const files = new Map(written.get('fixtures-shop-yaml')!.map((f) => [f.path, f.content]));
	const manifest = JSON.parse(files.get('package.json')!);
	expect(manifest).toMatchObject({
		name: 'n8n-nodes-fixtures-shop-yaml',
		keywords: ['n8n-community-node-package'],
		peerDependencies: { 'n8n-workflow': '*' },
		n8n: {
			n8nNodesApiVersion: 1,
			// The polling trigger offers Connection Status Changed for the spec's credentials.
			nodes: ['dist/nodes/Shop/Shop.node.js', 'dist/nodes/Shop/ShopPollingTrigger.node.js'],
			credentials: [
				'dist/credentials/FixturesShopYamlShopApi.credentials.js',
				'dist/credentials/FixturesShopYamlShopBasicAuthApi.credentials.js',
				'dist/credentials/FixturesShopYamlShopClientCredentialsOAuth2Api.credentials.js',
				'dist/credentials/FixturesShopYamlShopOAuth2Api.credentials.js',
			],
		},
	});
	expect(manifest.dependencies).toBeUndefined();
	for (const path of [
		'tsconfig.json',
		'README.md',
		'copy-assets.js',
		'nodes/Shop/shop.svg',
		'nodes/Shop/Shop.node.json',
		'nodes/shared/execute.ts',
		'nodes/shared/request.ts',
	])
		expect(files.has(path)).toBe(true);
	for (const [path, content] of files)
		if (path.startsWith('nodes/shared/')) expect(content).toBe(readFileSync(join(ROOT, path), 'utf8'));
});

it('the package builds with its own build script: compiled nodes, credentials and assets in dist/', () => {
	const dir = join(OUT, 'fixtures-shop-yaml');
	const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
		cwd: dir,
		encoding: 'utf8',
	});
	expect(tsc.stdout + tsc.stderr).toBe('');
	expect(spawnSync(process.execPath, ['copy-assets.js'], { cwd: dir }).status).toBe(0);
	for (const f of JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).n8n.nodes.concat([
		'dist/nodes/Shop/shop.svg',
		'dist/nodes/Shop/Shop.node.json',
		'dist/nodes/shared/execute.js',
	]))
		expect(existsSync(join(dir, f))).toBe(true);
});

describe('lean descriptions', () => {
	let props: INodeProperties[];
	beforeAll(async () => {
		props = description((await importFixture('shop.yaml')).integration).properties;
	});

	it('a parameter several operations share is one property shown for all of them', () => {
		const petId = props.filter((p) => p.name === 'petId');
		expect(petId).toHaveLength(1);
		expect(petId[0].displayOptions?.show).toEqual({
			resource: ['pets'],
			operation: ['get', 'delete', 'update', 'uploadPetPhoto'],
		});
	});

	it('optional fields of a resource share one Additional Fields collection, each shown for its operations', () => {
		const collections = props.filter(
			(p) => p.name === 'additionalFields' && p.displayOptions?.show?.resource?.[0] === 'pets',
		);
		expect(collections).toHaveLength(1);
		const options = collections[0].options as INodeProperties[];
		expect(options.find((o) => o.name === 'status')?.displayOptions).toEqual({
			show: { '/operation': ['getAll'] },
		});
		expect(options.find((o) => o.name === 'bodyJson')?.displayOptions).toEqual({
			show: { '/operation': ['create', 'update'] },
		});
	});

	it('deprecated operations say so in their label and with a notice', () => {
		const operations = props.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'pets',
		)!;
		expect((operations.options as Array<{ name: string }>).map((o) => o.name)).toContain('Delete (Deprecated)');
		expect(props.find((p) => p.name === 'operationDeprecationNotice')?.displayOptions?.show).toEqual({
			resource: ['pets'],
			operation: ['delete'],
		});
	});
});

describe('a hostile spec', () => {
	it('cannot change the meaning of the generated code: it compiles, runs nothing, and keeps every string as data', async () => {
		const files = [...written].find(([name]) => name.endsWith('hostile-json'))![1];
		const node = files.find((f) => f.path.endsWith('.node.ts'))!;
		const g = globalThis as { __rillsPwned?: unknown };
		delete g.__rillsPwned;
		const loaded = evaluateNode(node.content);
		expect(g.__rillsPwned).toBeUndefined();
		expect(loaded.displayName).toBe(HOSTILE('Title').replace(/\s+/g, ' ').trim());
		const text = JSON.stringify(loaded);
		// Hints start with a capital (n8n's lint), so the texts are compared without case.
		for (const field of ['query param', 'summary', 'create summary', 'enumA', 'q1'])
			expect(text.toLowerCase()).toContain(
				JSON.stringify(HOSTILE(field).replace(/\s+/g, ' ').trim()).slice(1, -1).slice(0, 20).toLowerCase(),
			);
		// n8n evaluates values starting with "=": those may only be the generator's own expressions.
		const credentials = files
			.filter((x) => x.path.endsWith('.credentials.ts'))
			.map((f) => evaluateModule<ICredentialType>(f.content));
		expect(credentials).toHaveLength(2);
		// The API-key credential's authenticate function sends the spec's header name as it is, with the key alone as
		// its value.
		const signing = credentials.map((c) => c.authenticate).filter((a) => typeof a === 'function');
		expect(signing).toHaveLength(1);
		const signed = await signing[0]({ apiKey: 'K' }, { url: 'https://x.example/items' });
		expect(signed.headers).toEqual({ [HOSTILE('X-Key')]: 'K' });
		const expressions = [loaded, ...credentials].flatMap((v) => JSON.stringify(v).match(/"=(\\.|[^"\\])*"/g) ?? []);
		expect(expressions.length).toBeGreaterThanOrEqual(1);
		for (const e of expressions)
			expect(e).toMatch(
				/^"=((\{\{\$(credentials|self)\.[A-Za-z0-9]+\}\})|[^{}$])*"$|^"=\{\{\$parameter\[\\"operation\\"\] \+ \\": \\" \+ \$parameter\[\\"resource\\"\]\}\}"$/,
			);
	});
});

it('a spec with webhooks gets a trigger node beside the action node', () => {
	const paths = written.get('fixtures-webhooks-only-yaml')!.map((f) => f.path);
	expect(paths).toEqual(expect.arrayContaining(['nodes/Hooks/Hooks.node.ts', 'nodes/Hooks/HooksTrigger.node.ts']));
	expect(
		JSON.parse(written.get('fixtures-webhooks-only-yaml')!.find((f) => f.path === 'package.json')!.content).n8n
			.nodes,
	).toEqual(['dist/nodes/Hooks/Hooks.node.js', 'dist/nodes/Hooks/HooksTrigger.node.js']);
});

it("passes n8n's community-node lint (the action node, its credentials, package.json and the action runtime)", () => {
	const dir = join(OUT, 'fixtures-shop-yaml');
	const run = spawnSync(
		process.execPath,
		['--import', 'tsx', join(ROOT, 'scripts', 'openapi', 'community-lint.ts'), dir],
		{ encoding: 'utf8' },
	);
	const problems = JSON.parse(run.stdout) as string[];
	// The webhook-trigger runtime is linted with its own work; everything this generator writes must be clean.
	expect(problems.filter((p) => !p.startsWith('nodes/shared/triggers/'))).toEqual([]);
	expect(problems.length).toBeLessThan(3);
});

it('splits the properties of a very large node into several declarations, with nothing lost', async () => {
	const { integration } = await importFixture('bearer.yaml');
	const op = integration.resources[0].operations[0];
	op.parameters = Array.from({ length: 4500 }, (_, i) => ({
		name: `p${i}`,
		in: 'query' as const,
		displayName: `P ${i}`,
		type: 'string' as const,
		required: true,
	}));
	const content = emitNode(
		integration,
		'big.yaml',
		{ light: 'x.svg', dark: 'x.svg' },
		namespaceOf('n8n-nodes-big'),
	).content;
	expect(content.match(/^const properties\d+: INodeProperties\[\] = \[$/gm)).toHaveLength(3);
	const names = evaluateNode(content).properties.map((p) => p.name);
	expect(names.filter((n) => /^p\d+$/.test(n))).toEqual(op.parameters.map((p) => p.name));
});
