/**
 * Definitions in, findings or generated code out: refusals list every problem with file, pointer,
 * line and fix; status, scopes and credentials come out as n8n expects them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namespaceOf } from '../../scripts/emit/names';
import { integrationFiles } from '../../scripts/generate';
import { loadDefinition } from '../../scripts/load/definition';
import { evaluateExports } from '../../scripts/openapi/evaluate';
import type { IntegrationTable } from '../../nodes/shared/types';

const ROOT = join(__dirname, '..', '..');
let folder: string;

beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'rills-defs-'))));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function write(name: string, yaml: string): string {
	const file = join(folder, `${name}.integration.yaml`);
	writeFileSync(file, yaml);
	return file;
}

const VALID = `name: demoApi
displayName: Demo API
description: A demo
baseUrl: https://{region}.demo.example/v1
config:
  - { name: region, displayName: Region, default: eu }
auth:
  type: oauth2
  grantType: authorizationCode
  authorizationUrl: https://demo.example/authorize
  tokenUrl: https://demo.example/token
  defaultScopes: [offline_access]
  scopes: { items.read: Read items, items.write: Write items, admin: Everything }
connectionTest: { path: /me }
resources:
  item:
    operations:
      getAll: { method: GET, path: /items, requiredScopes: [items.read] }
      create: { method: POST, path: /items, requiredScopes: [items.write], body: { fields: [{ name: title, required: true }] } }
`;

function generated(yaml: string): Map<string, string> {
	const { integration, findings } = loadDefinition(write('gen', yaml), folder);
	expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
	return new Map(
		integrationFiles(integration!, 'gen.integration.yaml', folder, namespaceOf('n8n-nodes-test')).map((f) => [
			f.path,
			f.content,
		]),
	);
}

it('a definition that breaks the schema is refused with every finding located', () => {
	const file = write(
		'broken',
		`name: broken
displayName: Broken
description: x
auth: { type: apiKey, in: body, name: X-Key }
pagination: { type: pages }
resources:
  item:
    operations:
      get: { method: FETCH, path: items }
`,
	);
	const { integration, findings } = loadDefinition(file, folder);
	expect(integration).toBeUndefined();
	const byPointer = Object.fromEntries(findings.map((f) => [f.pointer, f]));
	expect(Object.keys(byPointer)).toEqual(
		expect.arrayContaining([
			'/auth/in',
			'/pagination/type',
			'/resources/item/operations/get/method',
			'/resources/item/operations/get/path',
		]),
	);
	expect(findings.some((f) => f.message.includes('baseUrl'))).toBe(true);
	for (const f of findings) {
		expect(f).toMatchObject({ file: 'broken.integration.yaml', severity: 'error' });
		expect(f.fix).toBeTruthy();
	}
	expect(byPointer['/auth/in'].line).toBe(4);
	expect(byPointer['/auth/in'].fix).toMatch(/header.*query.*cookie/);
});

it('references to things that are not defined are refused with what to write instead', () => {
	const file = write(
		'dangling',
		VALID.replace('{region}', '{tenant}').replace(
			'path: /items, requiredScopes: [items.read]',
			'path: "/items/{id}", requiredScopes: [items.list]',
		),
	);
	const { integration, findings } = loadDefinition(file, folder);
	expect(integration).toBeUndefined();
	expect(findings.map((f) => [f.rule, f.pointer, f.line])).toEqual(
		expect.arrayContaining([
			['undefined-config-field', '/baseUrl', 4],
			['undefined-scope', '/resources/item/operations/getAll/requiredScopes/0', 18],
			['undefined-path-parameter', '/resources/item/operations/getAll/path', 18],
		]),
	);
	expect(findings.find((f) => f.rule === 'undefined-scope')?.fix).toBe(
		'add `items.list: <what it allows>` under auth.scopes',
	);
});

it('`n8n-rills lint --json` prints the findings and exits 1 on errors, 0 on a clean definition', () => {
	const cli = (file: string) =>
		spawnSync(process.execPath, [join(ROOT, 'scripts', 'n8n-rills.js'), 'lint', file, '--json'], {
			cwd: folder,
			encoding: 'utf8',
		});
	const bad = cli(write('dangling2', VALID.replace('{region}', '{tenant}')));
	expect(bad.status).toBe(1);
	expect(JSON.parse(bad.stdout).findings[0]).toMatchObject({
		rule: 'undefined-config-field',
		pointer: '/baseUrl',
		line: 4,
	});
	const good = cli(write('good', VALID));
	expect(good.status).toBe(0);
	expect(JSON.parse(good.stdout).findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
});

it('`n8n-rills lint <service folder>` lints the definitions in it', () => {
	const service = join(folder, 'nodes', 'Demo');
	mkdirSync(service, { recursive: true });
	writeFileSync(join(service, 'demo.integration.yaml'), VALID.replace('{region}', '{tenant}'));
	const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'n8n-rills.js'), 'lint', service, '--json'], {
		encoding: 'utf8',
	});
	expect(run.status).toBe(1);
	expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ rule: 'undefined-config-field', pointer: '/baseUrl' });
});

it('the OAuth2 credential asks for the union of the scopes the operations need, plus the default ones, and lists what each scope allows', () => {
	const credential = [...generated(VALID)].find(([path]) => path.endsWith('.credentials.ts'))![1];
	expect(credential).toContain('extends = ["oAuth2Api"]');
	expect(credential).toMatch(/name: "scope",\s+type: "string",\s+default: "offline_access items.read items.write",/);
	expect(credential).toContain(
		'What each allows: items.read (Read items); items.write (Write items); admin (Everything).',
	);
});

it('every node class gets a codex file beside it naming the node by its type: the action node and each trigger', () => {
	const polled = `${VALID}triggers:\n  - { type: polling, name: newItem, displayName: New Item, operation: 'item:getAll', dedupe: { strategy: id, idPath: id } }\n`;
	const codex = [...generated(polled)].filter(([path]) => path.endsWith('.node.json'));
	expect(codex.map(([path, content]) => [path, JSON.parse(content).node])).toEqual([
		['nodes/DemoApi/DemoApi.node.json', 'n8n-nodes-test.demoApi'],
		['nodes/DemoApi/DemoApiPollingTrigger.node.json', 'n8n-nodes-test.demoApiPollingTrigger'],
	]);
});

it('scopeIncludes: a broader scope covers narrower ones in the credential default, in the node table, and must name declared scopes', () => {
	const covering = VALID.replace(
		'  defaultScopes: [offline_access]\n',
		'  defaultScopes: [offline_access]\n  scopeIncludes: { items.write: [items.read] }\n',
	);
	const files = [...generated(covering)];
	const credential = files.find(([path]) => path.endsWith('.credentials.ts'))![1];
	expect(credential).toMatch(/name: "scope",\s+type: "string",\s+default: "offline_access items.write"/);
	const node = files.find(([path]) => path.endsWith('.node.ts'))![1];
	const table = evaluateExports(node).table as IntegrationTable;
	expect(table.auth[0].scopeIncludes).toEqual({ 'items.write': ['items.read'] });
	const { findings } = loadDefinition(
		write('covering-undeclared', covering.replace('[items.read] }', '[items.delete] }')),
		folder,
	);
	expect(findings.map((f) => [f.rule, f.pointer])).toContainEqual([
		'undefined-scope',
		'/auth/scopeIncludes/items.write',
	]);
});

it('status: deprecated adds a notice and "(Deprecated)"; inactive hides the node; draft writes nothing', () => {
	const node = (status: string) =>
		[...generated(`${VALID}status: ${status}\n`)].find(([path]) => path.endsWith('.node.ts'))![1];
	const deprecated = node('deprecated');
	expect(deprecated).toContain('displayName: "Demo API (Deprecated)"');
	expect(deprecated).toContain('type: "notice"');
	expect(node('inactive')).toContain('hidden: true');
	expect(node('active')).not.toMatch(/hidden: true|\(Deprecated\)/);
	const draft = write('draft', `${VALID}status: draft\n`);
	const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'n8n-rills.js'), 'generate', draft, '--json'], {
		cwd: folder,
		encoding: 'utf8',
	});
	expect(JSON.parse(result.stdout).findings).toEqual([expect.objectContaining({ rule: 'draft', severity: 'info' })]);
	expect(spawnSync('ls', ['-R', folder], { encoding: 'utf8' }).stdout).not.toMatch(/\.node\.ts/);
});

it('lookups: what they name must exist, their URL pattern has one capture group, and their text stays data', () => {
	const lookup = (text: string) =>
		VALID.replace(
			'body: { fields: [{ name: title, required: true }] }',
			`body: { fields: [{ name: title, required: true }, { name: owner, required: true, lookup: ${text} }] }`,
		);
	const { findings } = loadDefinition(
		write(
			'badLookup',
			lookup(
				'{ request: { path: "/teams/{team}/users", body: { all: true } }, label: name, parameters: { org: nowhere }, urlPattern: "^https://x/(a)/(b)", idPattern: "(" }',
			).replace('getAll: {', 'getAll: { list: false,'),
		),
		folder,
	);
	const at = '/resources/item/operations/create/body/fields/1/lookup';
	expect(findings.map((f) => [f.rule, f.pointer])).toEqual(
		expect.arrayContaining([
			['undefined-field', `${at}/parameters/org`],
			['undefined-path-parameter', `${at}/request/path`],
			['url-pattern-group', `${at}/urlPattern`],
			['invalid-pattern', `${at}/idPattern`],
			['body-on-get', `${at}/request/body`],
		]),
	);
	const missing = loadDefinition(write('noList', lookup('{ operation: item.nothing, label: name }')), folder);
	expect(missing.findings.find((f) => f.rule === 'undefined-operation')?.fix).toMatch(/item\.getAll/);
	const braces = loadDefinition(
		write('braces', lookup('{ operation: item.getAll, label: name, url: "https://x/{{ $env.HOME }}" }')),
		folder,
	);
	expect(braces.findings.map((f) => [f.rule, f.pointer])).toContainEqual(['schema', `${at}/url`]);

	const node = [
		...generated(
			lookup(
				'{ operation: item.getAll, label: name, url: "https://demo.example/items/{value}", urlPattern: "^https://demo\\\\.example/items/([^/]+)" }',
			),
		).values(),
	].find((text) => text.includes('class DemoApi implements INodeType'))!;
	expect(node).toContain('type: "resourceLocator"');
	expect(node).toContain('searchListMethod: "owner"');
	expect(node).toContain('regex: "^https://demo\\\\.example/items/([^/]+)"');
	// n8n tests a URL against `^…$` of the validation regex: a link with more after the ID still passes.
	const validation = /regex: "(\(\?:[^"]*\)\.\*)"/.exec(node)?.[1].replace(/\\\\/g, '\\');
	expect(new RegExp(`^${validation}$`).test('https://demo.example/items/7/edit?tab=1')).toBe(true);
	expect(new RegExp(`^${validation}$`).test('https://evil.example/items/7')).toBe(false);
	// The one expression: the generator's own, around the template's text.
	expect(node).toContain('url: "=https://demo.example/items/{{ $value }}"');
	expect(node).toContain('methods = lookupMethods(table);');
});
