import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { camelCase, pascalCase, titleCase } from './model/naming';

/**
 * `n8n-rills new <service>`: the files a contributor starts a catalog service from. A definition
 * that generates as it is (API key, one paged list, one get), placeholder icons, a loopback fake
 * that enforces the key and pages, and a test that runs the node in n8n against the fake. Every
 * file is the contributor's to change; none is generated again.
 */
export function scaffoldService(root: string, service: string): string[] {
	const name = camelCase(service);
	if (!/^[a-z][A-Za-z0-9]*$/.test(name))
		throw new Error(`"${service}" makes no service name: use letters and digits, e.g. "pet-shop"`);
	const folder = pascalCase(name);
	const kebab = titleCase(name).toLowerCase().replace(/ /g, '-');
	const display = titleCase(name);
	const files: Record<string, string> = {
		[`nodes/${folder}/${name}.integration.yaml`]: definition(name, display),
		[`nodes/${folder}/${name}.svg`]: icon(display, '#5c7cfa', '#fff'),
		[`nodes/${folder}/${name}.dark.svg`]: icon(display, '#91a7ff', '#111'),
		[`test/fakes/${kebab}.ts`]: fake(folder, display),
		[`test/catalog/${kebab}.test.ts`]: catalogTest(name, folder, kebab, display),
	};
	const taken = Object.keys(files).filter((path) => existsSync(join(root, path)));
	if (taken.length) throw new Error(`not overwriting what is there: ${taken.join(', ')}`);
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), content);
	}
	return Object.keys(files);
}

function definition(name: string, display: string): string {
	return `# yaml-language-server: $schema=../../scripts/model/integration.schema.json
# ${display}: link the vendor's API reference here and say what this definition covers.
name: ${name}
displayName: ${display}
description: Work with items in ${display}
category: other
status: active
icon:
  light: ${name}.svg
  dark: ${name}.dark.svg
documentationUrl: https://example.com/docs/api
baseUrl: "{apiUrl}"
config:
  - name: apiUrl
    displayName: API URL
    description: The API's base URL; change it only for a proxy or a test server
    default: https://api.example.com/v1
auth:
  - type: apiKey
    in: header
    name: Authorization
    preamble: Bearer
connectionTest:
  path: /me
pagination:
  type: cursor
  cursorParam: cursor
  cursorPath: next_cursor
  itemsPath: items
  pageSizeParam: limit
  pageSize: 100
resources:
  item:
    operations:
      getAll:
        method: GET
        path: /items
      get:
        method: GET
        path: /items/{id}
        parameters:
          - { name: id, in: path, displayName: Item ID }
`;
}

function icon(display: string, fill: string, text: string): string {
	return `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60" viewBox="0 0 60 60"><rect width="60" height="60" rx="12" fill="${fill}"/><text x="30" y="39" font-family="sans-serif" font-size="26" text-anchor="middle" fill="${text}">${display[0]}</text></svg>\n`;
}

function fake(folder: string, display: string): string {
	return `/**
 * ${display} as a loopback service: a bearer API key, /me for the credential test, and cursor-paged
 * items. Make it enforce what the real API enforces (auth form, required fields, page tokens,
 * rate limits), from the vendor's reference, not from what the node sends.
 */
import { randomBytes } from 'node:crypto';
import { json, startFake, type FakeService } from './server';

export interface ${folder}Fake extends FakeService {
	apiKey: string;
	items: Array<{ id: string; name: string }>;
}

export async function start${folder}(itemCount = 250): Promise<${folder}Fake> {
	const apiKey = \`key-\${randomBytes(8).toString('hex')}\`;
	const items = Array.from({ length: itemCount }, (_, i) => ({ id: String(i + 1), name: \`Item \${i + 1}\` }));
	const service = await startFake((req) => {
		if (req.headers.authorization !== \`Bearer \${apiKey}\`) return json(401, { error: 'invalid_api_key' });
		if (req.path === '/me') return json(200, { id: 'me' });
		if (req.path === '/items') {
			const start = Number(req.query.get('cursor') ?? 0);
			const limit = Math.min(Number(req.query.get('limit') ?? 100), 100);
			const end = start + limit;
			return json(200, { items: items.slice(start, end), next_cursor: end < items.length ? String(end) : null });
		}
		const item = items.find((i) => req.path === \`/items/\${i.id}\`);
		return item ? json(200, item) : json(404, { error: 'not_found' });
	});
	return { ...service, apiKey, items };
}
`;
}

function catalogTest(name: string, folder: string, kebab: string, display: string): string {
	return `/**
 * ${display} in a real n8n against its loopback fake: every action, with the API key.
 */
import { N8nInstance } from '../../scripts/harness/n8n';
import { start${folder}, type ${folder}Fake } from '../fakes/${kebab}';

let n8n: N8nInstance;
let service: ${folder}Fake;
const credentials = { rills${folder}Api: { id: '${name}Key', name: '${display} key' } };

beforeAll(async () => {
	service = await start${folder}();
	n8n = await N8nInstance.create();
	await n8n.importCredentials([{ id: '${name}Key', name: '${display} key', type: 'rills${folder}Api', data: { apiUrl: service.url, apiKey: service.apiKey } }]);
});

afterAll(async () => {
	n8n?.dispose();
	await service?.close();
});

it('gets every item over the cursor pages, and one item', async () => {
	const execution = await n8n.run([
		{ name: 'All', type: 'CUSTOM.${name}', credentials, parameters: { resource: 'item', operation: 'getAll', returnAll: true } },
		{ name: 'One', type: 'CUSTOM.${name}', credentials, parameters: { resource: 'item', operation: 'get', id: '7' }, executeOnce: true },
	]);
	expect(execution.error).toBeUndefined();
	expect(execution.output.All).toHaveLength(service.items.length);
	expect(execution.output.One).toEqual([{ id: '7', name: 'Item 7' }]);
});
`;
}
