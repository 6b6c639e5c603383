/**
 * What a generated node sends for a vendor-style spec (fixtures/vendor.yaml, the shapes issue 24 met
 * in large public specs): the import, the emitted node and credential, and the node run in memory
 * against a recording stand-in for n8n's request helper.
 */
import type { ICredentialType, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { emitCredentials } from '../../scripts/emit/credentials';
import { credentialNames, namespaceOf } from '../../scripts/emit/names';
import { emitNode } from '../../scripts/emit/node';
import { evaluateExports, evaluateModule } from '../../scripts/openapi/evaluate';
import type { Integration } from '../../scripts/model/types';
import { runOperations } from '../../nodes/shared/execute';
import type { IntegrationTable } from '../../nodes/shared/types';
import { description, importFixture, operation } from './helpers';

const ICONS = { light: 'x.svg', dark: 'x.svg' };
const BASE = 'https://api.vendor.example/v2';
let vendor: Integration;
beforeAll(async () => {
	vendor = (await importFixture('vendor.yaml')).integration;
});

const wire = (op: { parameters: Array<{ name: string; in: string; required: boolean; const?: unknown }> }) =>
	op.parameters.map((p) => [p.name, p.in, p.required, p.const]);

describe('required headers', () => {
	it('sends a required managed header with one value as a constant and asks for the others', () => {
		expect(wire(operation(vendor, 'droplets', 'getAll'))).toEqual([
			['Content-Type', 'header', true, 'application/json'],
			['Accept', 'header', true, 'application/vnd.vendor.v2+json'],
			['X-Request-Id', 'header', true, undefined],
			['User-Agent', 'header', true, undefined],
			// Pages follow `links.pages.next`; the page to start from stays the user's.
			['page', 'query', false, undefined],
		]);
	});

	it('shows no field for a constant, and the other required headers as required fields', () => {
		const fields = description(vendor).properties.filter((p) =>
			p.displayOptions?.show?.operation?.includes('getAll'),
		);
		const names = fields.map((p) => p.name);
		expect(names).toEqual(expect.arrayContaining(['xRequestId', 'userAgent']));
		expect(names).not.toEqual(expect.arrayContaining(['accept']));
		expect(names).not.toContain('contentType');
		expect(fields.find((p) => p.name === 'xRequestId')?.required).toBe(true);
	});
});

describe('parameters that are the credential', () => {
	it('leaves a token query, header or form parameter beside the security scheme to the credential', () => {
		expect(operation(vendor, 'droplets', 'getAll').parameters.map((p) => p.name)).not.toContain('token');
		expect(operation(vendor, 'chat', 'searchMessages').parameters.map((p) => p.name)).not.toContain('access_token');
		expect(wire(operation(vendor, 'chat', 'postMessage'))).toEqual([
			['', 'body', false, undefined],
			['channel', 'body', true, undefined],
			['text', 'body', false, undefined],
		]);
	});

	it("leaves an apiKey scheme's own parameter to the credential wherever it is declared", async () => {
		const petstore = (await importFixture('petstore-swagger2.json')).integration;
		const all = petstore.resources.flatMap((r) => r.operations.flatMap((o) => o.parameters));
		expect(all.filter((p) => p.name === 'api_key')).toEqual([]);
	});
});

describe('scopes of a spec nobody curated', () => {
	it('asks by default for what the read operations need, never an admin scope', () => {
		const oauth = vendor.auth[0];
		expect(oauth).toMatchObject({ type: 'oauth2', scopesFromSpec: true, defaultScopes: ['droplet:read'] });
	});

	it('lists every scope with what it grants in the scope field', () => {
		const [credential] = emitCredentials(vendor, 'vendor.yaml', ICONS, namespaceOf('n8n-nodes-test'));
		const scope = evaluateModule<ICredentialType>(credential.content).properties.find((p) => p.name === 'scope')!;
		expect(scope.default).toBe('droplet:read');
		expect(scope.description).toContain('droplet:admin (Administer every droplet of the team); chat:write (Post');
	});
});

describe('pagination checked against the response schema', () => {
	it('follows the next link of an object of page links rather than reading it as a page count', () => {
		const pages = operation(vendor, 'droplets', 'getAll').pagination;
		expect(pages).toMatchObject({ type: 'link', location: 'body', nextUrlPath: 'links.pages.next' });
	});

	it('follows a next URL string, and reads a page count only from a number', () => {
		const next = operation(vendor, 'chat', 'searchMessages').pagination;
		expect(next).toMatchObject({ type: 'link', location: 'body', nextUrlPath: 'next' });
		const count = operation(vendor, 'regions', 'getAll').pagination;
		expect(count).toMatchObject({ type: 'page', pageParam: 'page', totalPagesPath: 'meta.pages' });
	});
});

describe('servers', () => {
	it('sends operations with their own path- or operation-level server there, variables as credential fields', () => {
		expect(operation(vendor, 'uploads', 'create').baseUrl).toBe('https://uploads.vendor.example/v2');
		expect(operation(vendor, 'reports', 'get').baseUrl).toBe('https://{region}.reports.vendor.example');
		expect(operation(vendor, 'droplets', 'getAll').baseUrl).toBeUndefined();
		const region = vendor.config.find((c) => c.name === 'region');
		expect(region).toMatchObject({ default: 'eu', description: '(one of: eu, us)' });
	});

	it('gives the credential an editable Base URL holding the spec’s server', () => {
		expect(vendor.baseUrl).toBe('{baseUrl}');
		const [field] = vendor.config;
		expect(field).toMatchObject({ name: 'baseUrl', displayName: 'Base URL', default: BASE, required: true });
	});

	it("tests the credential on the Base URL with the server's variables filled, as the runtime fills them", async () => {
		const shop = (await importFixture('shop.yaml')).integration;
		const [credential] = emitCredentials(shop, 'shop.yaml', ICONS, namespaceOf('n8n-nodes-test'));
		const { test } = evaluateModule<ICredentialType>(credential.content);
		const filled = "$credentials.baseUrl.split('{region}').join($credentials.region)";
		expect(test?.request.baseURL).toBe(`={{${filled}.split('{apiVersion}').join($credentials.apiVersion)}}`);
	});
});

describe('names', () => {
	it('names credentials without saying API twice, a version after the word included', () => {
		const names = (displayName: string) =>
			credentialNames({ ...vendor, displayName }, vendor.auth[0], namespaceOf('n8n-nodes-test')).displayName;
		expect(names('Vendor API')).toBe('Vendor OAuth2 API');
		expect(names('Vendor API v2.1')).toBe('Vendor v2.1 OAuth2 API');
		expect(names('Vendor API (2024-01-01)')).toBe('Vendor (2024-01-01) OAuth2 API');
		expect(names('API Gateway')).toBe('API Gateway OAuth2 API');
	});
});

describe('required body fields', () => {
	it('keeps the fields the schema requires required, unless the body itself is optional', () => {
		expect(wire(operation(vendor, 'droplets', 'create')).filter(([, where]) => where === 'body')).toEqual([
			['', 'body', false, undefined],
			['name', 'body', true, undefined],
			['region', 'body', true, undefined],
			['size', 'body', false, undefined],
		]);
		expect(operation(vendor, 'droplets', 'update').parameters.find((p) => p.name === 'name')?.required).toBe(false);
	});
});

describe('the generated node, run', () => {
	const sent: IHttpRequestOptions[] = [];
	let table: IntegrationTable;
	beforeAll(() => {
		const node = emitNode(vendor, 'vendor.yaml', ICONS, namespaceOf('n8n-nodes-test'));
		table = evaluateExports(node.content).table as IntegrationTable;
	});
	beforeEach(() => sent.splice(0));

	/** n8n's side of one run: the node's parameters, the credential, and a request helper answering `status`. */
	function run(parameters: IDataObject, status = 200, answer: unknown = {}) {
		const credentials = { baseUrl: BASE, region: 'us', oauthTokenData: { scope: 'droplet:read' } };
		const request = async (_type: string, options: IHttpRequestOptions) => {
			sent.push(options);
			const response = { status, headers: {}, data: { message: 'no' } };
			if (status >= 400)
				throw Object.assign(new Error(`Request failed with status code ${status}`), { response });
			return { statusCode: status, headers: {}, body: answer };
		};
		const context = {
			getInputData: () => [{ json: {} }],
			getNodeParameter: (name: string, _i: number, fallback?: unknown) => {
				if (name in parameters) return parameters[name];
				if (fallback !== undefined) return fallback;
				throw new Error(`no parameter ${name}`);
			},
			getNode: () => ({ name: 'Vendor', credentials: {} }),
			// Where operations record the connection's health.
			getWorkflowStaticData: () => ({}),
			getCredentials: async () => credentials,
			continueOnFail: () => false,
			helpers: {
				httpRequestWithAuthentication: request,
				httpRequest: (o: IHttpRequestOptions) => request('', o),
			},
		} as unknown as IExecuteFunctions;
		return runOperations.call(context, table);
	}

	it('sends the constant headers and the required header fields', async () => {
		const fields = { resource: 'droplets', operation: 'getAll', xRequestId: 'r-1', userAgent: 'n8n' };
		await run(fields, 200, { droplets: [{ id: 1 }], links: {} });
		expect(sent[0].url).toBe(`${BASE}/droplets`);
		expect(sent[0].headers).toMatchObject({
			'Content-Type': 'application/json',
			Accept: 'application/vnd.vendor.v2+json',
			'X-Request-Id': 'r-1',
			'User-Agent': 'n8n',
		});
		expect(sent[0].qs).not.toHaveProperty('token');
	});

	it('sends a request whose spec scopes the token lacks, and explains a 403 with them', async () => {
		const refused = run({ resource: 'admin', operation: 'getAudit' }, 403);
		const named = 'scopes droplet:admin, droplet:read for this operation; the credential was granted droplet:read';
		await expect(refused).rejects.toMatchObject({ httpCode: '403', description: expect.stringContaining(named) });
		expect(sent).toHaveLength(1);
	});

	it('sends an operation with its own server there, its variables filled from the credential', async () => {
		await run({ resource: 'reports', operation: 'get' });
		expect(sent[0].url).toBe('https://us.reports.vendor.example/reports');
	});
});
