/**
 * The Custom API node inside a real n8n, as an admin and a user meet it: a credential holding a
 * pasted OpenAPI spec, the credential's Test, the Resource and Operation drop-downs loaded from the
 * spec, and workflows (a paginated list, a create with a nested JSON body, a delete) against a
 * loopback Prism that validates every request against that same spec, its security included.
 * The pack is packed and installed as "Install community node" does: n8n finds a node's credential
 * test (`testedBy`) only in installed packages, not in custom extension folders.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import type { Mock } from '../../scripts/roundtrip/mock';
import { n8nWithPackInstalled, SPEC_FILE, startNotesMock, SWAGGER_FILE } from './setup';

const SPEC = readFileSync(SPEC_FILE, 'utf8');
const SWAGGER = readFileSync(SWAGGER_FILE, 'utf8');
const API_KEY = 'notes-key-5f1c2e';

let mock: Mock;
/** The same API mocked from its Swagger 2.0 YAML: Prism validates against that file. */
let swaggerMock: Mock;
/** Serves the Swagger YAML for a credential that gives its URL; records what each request carried. */
let specServer: Server;
const specRequests: IncomingHttpHeaders[] = [];
let n8n: N8nInstance;
const logs: string[] = [];

const credential = (id: string, data: Record<string, unknown>) => ({
	id,
	name: `Notes ${id}`,
	type: 'rillsCustomApi',
	data: {
		spec: SPEC,
		baseUrl: `${mock.url}/v1`,
		authMethod: 'apiKey',
		apiKey: API_KEY,
		authHeader: 'X-Api-Key',
		authPreamble: '',
		...data,
	},
});

const notesNode = (parameters: Record<string, unknown>, credentialId = 'key'): WorkflowNode => ({
	name: 'Notes',
	type: 'n8n-nodes-rills.customApi',
	parameters,
	credentials: { rillsCustomApi: { id: credentialId, name: `Notes ${credentialId}` } },
});

const fields = (value: Record<string, unknown>) => ({ mappingMode: 'defineBelow', value });

async function run(node: WorkflowNode): Promise<Execution> {
	const execution = await n8n.run([node]);
	logs.push(execution.log);
	return execution;
}

beforeAll(async () => {
	mock = await startNotesMock();
	swaggerMock = await startNotesMock(SWAGGER_FILE);
	specServer = createServer((req, res) => {
		specRequests.push(req.headers);
		res.writeHead(200, { 'content-type': 'application/yaml' }).end(SWAGGER);
	});
	await new Promise<void>((resolve) => specServer.listen(0, '127.0.0.1', resolve));
	const specUrl = `http://127.0.0.1:${(specServer.address() as AddressInfo).port}/notes.yaml`;
	n8n = await n8nWithPackInstalled();
	await n8n.importCredentials([
		credential('key', {}),
		credential('noKey', { authMethod: 'none' }),
		// The spec allows at most 100 a page: the validating server refuses what the admin set.
		credential('paged', {
			paginationType: 'page',
			pageParam: 'page',
			pageSizeParam: 'per_page',
			pageSize: 500,
			resultsPath: 'data',
		}),
		credential('swagger', { spec: SWAGGER, baseUrl: `${swaggerMock.url}/v1` }),
		credential('fromUrl', { spec: '', specSource: 'url', specUrl, baseUrl: `${swaggerMock.url}/v1` }),
		credential('swaggerNoKey', { spec: SWAGGER, baseUrl: `${swaggerMock.url}/v1`, authMethod: 'none' }),
	]);
	// Runs go through one `n8n start` rather than an n8n boot per import and execute.
	await N8nServer.start(n8n);
}, 600_000);

afterAll(async () => {
	await n8n?.close();
	await mock?.close();
	await swaggerMock?.close();
	specServer?.close();
});

beforeEach(() => {
	for (const m of [mock, swaggerMock]) {
		m.violations.splice(0);
		m.failures.splice(0);
	}
});

it('Return All pages the list the spec declares (page, per_page) until a page comes back empty', async () => {
	const before = mock.requests;
	const execution = await run(
		notesNode({ resource: 'notes', operation: 'list:getAll', returnAll: true, fields: fields({ tag: 'work' }) }),
	);
	expect(execution.error).toBeUndefined();
	expect(execution.output.Notes.map((n) => n.id)).toEqual(['n1', 'n2']);
	// The first page, then the second, which the mock answers empty.
	expect(mock.requests - before).toBe(2);
	expect(mock.violations).toEqual([]);
	expect(mock.failures).toEqual([]);
});

it('a create sends the nested JSON body the spec describes, with the key in its header', async () => {
	const execution = await run(
		notesNode({
			resource: 'notes',
			operation: 'create',
			fields: fields({ title: 'Plan', metaAuthor: '{"name": "Ada"}', metaTags: '["work", "q3"]' }),
		}),
	);
	expect(execution.error).toBeUndefined();
	expect(execution.output.Notes[0]).toMatchObject({ id: 'n3', title: 'Plan' });
	expect(mock.violations).toEqual([]);
	expect(mock.failures).toEqual([]);
});

it("the admin's pagination replaces the spec's: its page size reaches the server", async () => {
	const execution = await run(
		notesNode({ resource: 'notes', operation: 'list:getAll', returnAll: true, fields: fields({}) }, 'paged'),
	);
	expect(execution.error).toBeDefined();
	expect(mock.violations.flatMap((v) => v.messages).join(' ')).toMatch(/per_page.*100/);
});

it('a body the spec refuses is caught by the validating server (the test can fail)', async () => {
	const execution = await run(
		notesNode({
			resource: 'notes',
			operation: 'create',
			fields: fields({ title: 'Plan', metaAuthor: '{"nick": 1}' }),
		}),
	);
	expect(execution.error).toBeDefined();
	expect(mock.violations.map((v) => v.messages.join(' ')).join(' ')).toMatch(/name|additional/);
});

it('a delete fills the path parameter; without the key the server refuses the request', async () => {
	const deleted = await run(notesNode({ resource: 'notes', operation: 'delete', fields: fields({ noteId: 'n1' }) }));
	expect(deleted.error).toBeUndefined();
	expect(deleted.output.Notes).toEqual([{ success: true, statusCode: 204 }]);
	expect(mock.violations).toEqual([]);
	const refused = await run(
		notesNode({ resource: 'notes', operation: 'delete', fields: fields({ noteId: 'n1' }) }, 'noKey'),
	);
	expect(refused.error?.message).toMatch(/rejected "Notes noKey"/);
	expect(mock.violations).toHaveLength(1);
});

describe('a Swagger 2.0 YAML spec pasted into the credential', () => {
	it('Return All pages its list until a page comes back empty', async () => {
		const before = swaggerMock.requests;
		const execution = await run(
			notesNode(
				{ resource: 'notes', operation: 'list:getAll', returnAll: true, fields: fields({ tag: 'work' }) },
				'swagger',
			),
		);
		expect(execution.error).toBeUndefined();
		expect(execution.output.Notes.map((n) => n.id)).toEqual(['n1', 'n2']);
		expect(swaggerMock.requests - before).toBe(2);
		expect(swaggerMock.violations).toEqual([]);
		expect(swaggerMock.failures).toEqual([]);
	});

	it('a create sends the nested JSON body its body parameter describes; a wrong one is refused', async () => {
		const created = await run(
			notesNode(
				{
					resource: 'notes',
					operation: 'create',
					fields: fields({ title: 'Plan', metaAuthor: '{"name": "Ada"}', metaTags: '["work"]' }),
				},
				'swagger',
			),
		);
		expect(created.error).toBeUndefined();
		expect(created.output.Notes[0]).toMatchObject({ id: 'n3', title: 'Plan' });
		expect(swaggerMock.violations).toEqual([]);
		const refused = await run(
			notesNode(
				{
					resource: 'notes',
					operation: 'create',
					fields: fields({ title: 'Plan', metaAuthor: '{"nick": 1}' }),
				},
				'swagger',
			),
		);
		expect(refused.error).toBeDefined();
		expect(swaggerMock.violations.map((v) => v.messages.join(' ')).join(' ')).toMatch(/name|additional/);
	});

	it('a delete fills the path parameter and sends the key the spec declares', async () => {
		const deleted = await run(
			notesNode({ resource: 'notes', operation: 'delete', fields: fields({ noteId: 'n1' }) }, 'swagger'),
		);
		expect(deleted.error).toBeUndefined();
		expect(deleted.output.Notes).toEqual([{ success: true, statusCode: 204 }]);
		expect(swaggerMock.violations).toEqual([]);
		const refused = await run(
			notesNode({ resource: 'notes', operation: 'delete', fields: fields({ noteId: 'n1' }) }, 'swaggerNoKey'),
		);
		expect(refused.error).toBeDefined();
		expect(swaggerMock.violations).toHaveLength(1);
	});
});

it('a spec given by URL is fetched without the credential, and its actions run', async () => {
	const execution = await run(
		notesNode({ resource: 'notes', operation: 'list:getAll', returnAll: true, fields: fields({}) }, 'fromUrl'),
	);
	expect(execution.error).toBeUndefined();
	expect(execution.output.Notes.map((n) => n.id)).toEqual(['n1', 'n2']);
	expect(swaggerMock.violations).toEqual([]);
	expect(specRequests.length).toBeGreaterThan(0);
	for (const headers of specRequests) expect(JSON.stringify(headers)).not.toContain(API_KEY);
});

it('no output or log carries the API key', () => {
	for (const log of logs) expect(log).not.toContain(API_KEY);
});

describe('in the editor (n8n start)', () => {
	let server: N8nServer;
	beforeAll(async () => {
		server = await N8nServer.start(n8n);
	}, 300_000);

	const dynamic = (methodName: string, path: string, parameters: Record<string, unknown>) => ({
		nodeType: 'n8n-nodes-rills.customApi',
		methodName,
		path,
		// The editor sends every parameter, defaults included: n8n shows a credential by Authentication.
		parameters: { authentication: 'customApi', ...parameters },
		credentials: { rillsCustomApi: { id: 'key', name: 'Notes key' } },
	});

	it('Resource and Operation list the spec tags and its operations, named as the catalog names them', async () => {
		const resources = await server.loadOptions(dynamic('getResources', 'resource', {}));
		expect(resources.map((r) => [r.name, r.value])).toEqual([
			['Account', 'account'],
			['Notes', 'notes'],
		]);
		const operations = await server.loadOptions(dynamic('getOperations', 'operation', { resource: 'notes' }));
		expect(operations.map((o) => [o.name, o.value])).toEqual([
			['Create', 'create'],
			['Delete', 'delete'],
			['Get Many', 'list:getAll'],
		]);
	});

	it('Test passes with the key and fails, naming the status, when the API refuses it', async () => {
		const ok = await server.testCredential(credential('key', {}));
		expect(ok.status).toBe('OK');
		const wrong = await server.testCredential(credential('key', { authMethod: 'none' }));
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(/refused the credential .*401/);
	});

	it('a Swagger 2.0 YAML spec: Test passes, and the drop-downs list what its OpenAPI 3 twin lists', async () => {
		const ok = await server.testCredential(
			credential('swagger', { spec: SWAGGER, baseUrl: `${swaggerMock.url}/v1` }),
		);
		expect(ok.status).toBe('OK');
		const swagger = { ...dynamic('getOperations', 'operation', { resource: 'notes' }) };
		swagger.credentials = { rillsCustomApi: { id: 'swagger', name: 'Notes swagger' } };
		const operations = await server.loadOptions(swagger);
		expect(operations.map((o) => [o.name, o.value])).toEqual([
			['Create', 'create'],
			['Delete', 'delete'],
			['Get Many', 'list:getAll'],
		]);
	});

	it('Test lists what is wrong with a spec at its JSON pointer, with what to do', async () => {
		const refused = await server.testCredential(credential('key', { spec: SPEC.replace('"3.0.3"', '"4.0.0"') }));
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(
			/^The spec cannot be used: \/openapi: OpenAPI version 4\.0\.0 is not supported \(give/,
		);
		// Fixable findings do not fail the test; they are listed beside the verdict.
		const spec = JSON.parse(SPEC) as { paths: Record<string, Record<string, { operationId?: string }>> };
		spec.paths['/notes'].post.operationId = 'listNotes';
		const fixed = await server.testCredential(credential('key', { spec: JSON.stringify(spec) }));
		expect(fixed.status).toBe('OK');
		expect(fixed.message).toContain(
			'/paths/~1notes/post/operationId: operationId "listNotes" is used by another operation',
		);
		const regex = await server.testCredential(credential('key', { renamePattern: '[z-a]' }));
		expect(regex.status).toBe('Error');
		expect(regex.message).toMatch(/rename pattern is not a valid regular expression/);
	});
});
