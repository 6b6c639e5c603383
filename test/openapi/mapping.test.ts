/** OpenAPI → integration model, one mapping rule per test, on hand-made specs in fixtures/. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Integration, Operation } from '../../scripts/model/types';
import { resolveBaseUrl } from '../../nodes/shared/session';
import type { IntegrationTable } from '../../nodes/shared/types';
import { operationNames } from '../../scripts/openapi/names';
import { importSpec } from '../../scripts/openapi/import';
import { freshFolder, importFixture, operation } from './helpers';
import { namespaceOf } from '../../scripts/emit/names';
import { operationTable } from '../../scripts/emit/table';

let shop: Integration;
beforeAll(async () => {
	shop = (await importFixture('shop.yaml')).integration;
});

describe('resources and operations', () => {
	it('turns tags into resources and untagged paths into a resource named for their first segment', () => {
		expect(shop.resources.map((r) => [r.name, r.displayName, r.description])).toEqual([
			['pets', 'Pets', 'Animals for sale'],
			['orders', 'Orders', undefined],
			['owners', 'Owners', undefined],
		]);
	});

	it('names operations the n8n way from their operationId', () => {
		const pets = shop.resources[0].operations.map((o) => [o.name, o.displayName, o.method]);
		expect(pets).toEqual([
			['getAll', 'Get Many', 'GET'],
			['create', 'Create', 'POST'],
			['get', 'Get', 'GET'],
			['delete', 'Delete', 'DELETE'],
			['update', 'Update', 'PATCH'],
			['uploadPetPhoto', 'Upload Pet Photo', 'POST'],
		]);
		expect(operation(shop, 'pets', 'create').action).toBe('Create a pet');
		expect(operation(shop, 'pets', 'get').action).toBe('Get pets');
		expect(operation(shop, 'owners', 'listOwnerPets').displayName).toBe('Get Many Owner Pets');
	});

	it('reads only its own verbs from an operationId, never a name every object has', () => {
		expect(operationNames('constructorCall', 'pets')).toEqual({
			name: 'constructorCall',
			displayName: 'Constructor Call',
			action: 'Constructor call',
			full: { name: 'constructorCall', displayName: 'Constructor Call' },
		});
		expect(operationNames('pets/list-pets', 'pets', true)).toMatchObject({
			name: 'getAll',
			displayName: 'Get Many',
			action: 'Get many pets',
		});
	});

	it('keeps deprecated operations and marks them', () => {
		expect(operation(shop, 'pets', 'delete').deprecated).toBe(true);
		expect(operation(shop, 'pets', 'get').deprecated).toBe(false);
	});
});

describe('parameters', () => {
	it('maps path, query, header and cookie parameters, path-level ones included, and leaves managed headers to n8n', () => {
		const list = operation(shop, 'pets', 'getAll').parameters.map((p) => [p.name, p.in, p.required]);
		expect(list).toEqual([
			['status', 'query', false],
			['tags', 'query', false],
			['X-Request-Id', 'header', false],
			['session', 'cookie', false],
		]);
		expect(operation(shop, 'pets', 'get').parameters.map((p) => [p.name, p.in, p.required])).toEqual([
			['petId', 'path', true],
		]);
	});

	it('turns enums into options and enum arrays into multi-options, with the spec default only', () => {
		const [status, tags, header] = operation(shop, 'pets', 'getAll').parameters;
		expect(status).toMatchObject({
			type: 'options',
			options: [{ value: 'available' }, { value: 'sold' }],
			default: 'available',
		});
		expect(tags).toMatchObject({
			type: 'multiOptions',
			options: [{ value: 'cat' }, { value: 'dog' }],
			arrayFormat: 'csv',
		});
		expect(tags.default).toBeUndefined();
		expect(header.default).toBeUndefined();
	});

	it('sends exploded form arrays as repeated keys and deep objects as JSON', async () => {
		const petstore = (await importFixture('petstore-swagger2.json')).integration;
		expect(operation(petstore, 'pet', 'find').parameters[0]).toMatchObject({
			name: 'ids',
			type: 'json',
			arrayFormat: 'form',
		});
		const modern = (await importFixture('modern-3.1.yaml')).integration;
		expect(operation(modern, 'things', 'get').parameters[1]).toMatchObject({
			name: 'filter',
			in: 'query',
			type: 'json',
		});
	});
});

describe('request bodies', () => {
	it('offers JSON body properties as fields, nested objects by dotted name to depth 2, plus the raw body', () => {
		const fields = operation(shop, 'pets', 'create').parameters.map((p) => [p.name, p.type, p.required]);
		expect(fields).toEqual([
			['', 'json', false],
			['name', 'string', true],
			['kind', 'options', true],
			['born', 'dateTime', false],
			['vaccinated', 'boolean', false],
			['owner.email', 'string', false],
			['owner.address', 'json', false],
			['toys', 'json', false],
			['parent.name', 'string', false],
			['parent.children', 'json', false],
			['parent.parent', 'json', false],
		]);
		expect(operation(shop, 'pets', 'create').bodyType).toBe('json');
	});

	it('merges allOf, skips readOnly properties and stops at a circular $ref with a JSON field', () => {
		const names = operation(shop, 'pets', 'create').parameters.map((p) => p.name);
		expect(names).not.toContain('id');
		expect(names).toContain('name');
		expect(operation(shop, 'pets', 'create').parameters.find((p) => p.name === 'parent.parent')?.type).toBe('json');
	});

	it('sends form bodies as application/x-www-form-urlencoded fields', () => {
		const update = operation(shop, 'pets', 'update');
		expect(update.bodyType).toBe('form');
		expect(update.parameters.map((p) => [p.name, p.in, p.type])).toEqual([
			['petId', 'path', 'string'],
			['', 'body', 'json'],
			['name', 'body', 'string'],
			['age', 'body', 'number'],
		]);
	});

	it('reads 3.1 type arrays, leaves null out and offers oneOf and mixed types as JSON', async () => {
		const modern = (await importFixture('modern-3.1.yaml')).integration;
		expect(operation(modern, 'things', 'create').parameters.map((p) => [p.name, p.type])).toEqual([
			['', 'json'],
			['label', 'string'],
			['weight', 'number'],
			['mixed', 'json'],
			['choice', 'json'],
		]);
	});

	it('gives every parameter of an operation its own node property', () => {
		const props = operation(shop, 'pets', 'create').parameters.map((p) => p.property);
		expect(new Set(props).size).toBe(props.length);
		expect(props[0]).toBe('bodyJson');
	});
});

describe('servers and auth', () => {
	it('turns the server URL into an editable Base URL field and its variables into fields the URL reads', () => {
		expect(shop.baseUrl).toBe('{baseUrl}');
		expect(shop.config).toEqual([
			{
				name: 'baseUrl',
				displayName: 'Base URL',
				description: expect.stringContaining('region, proxy, mock'),
				default: 'https://{region}.shop.example/{apiVersion}',
				required: true,
			},
			{
				name: 'region',
				displayName: 'Region',
				description: 'Data centre (one of: eu, us)',
				default: 'eu',
				required: true,
			},
			{ name: 'apiVersion', displayName: 'Api Version', description: undefined, default: 'v2', required: true },
		]);
	});

	it('fills the Base URL field and then its variables, from config fields only', () => {
		const configDefaults = {
			baseUrl: 'https://{region}.shop.example/{apiVersion}',
			region: 'eu',
			apiVersion: 'v2',
		};
		const table = { configDefaults } as unknown as IntegrationTable;
		expect(resolveBaseUrl(table, '{baseUrl}', { region: 'us' })).toBe('https://us.shop.example/v2');
		const leaking = { baseUrl: 'https://{apiKey}.evil.example', apiKey: 'secret' };
		expect(resolveBaseUrl(table, '{baseUrl}', leaking)).toBe('https://{apiKey}.evil.example');
	});

	it('asks for the server when the spec gives only a relative URL', async () => {
		const modern = (await importFixture('modern-3.1.yaml')).integration;
		expect(modern.baseUrl).toBe('{server}/api');
		expect(modern.config[0]).toMatchObject({ name: 'server', required: true });
	});

	it('maps apiKey, basic and each OAuth2 flow with its scopes', () => {
		expect(shop.auth.map((a) => (a.type === 'oauth2' ? `oauth2:${a.grantType}` : a.type))).toEqual([
			'apiKey',
			'basic',
			'oauth2:authorizationCode',
			'oauth2:clientCredentials',
		]);
		expect(shop.auth[0]).toMatchObject({ in: 'header', name: 'X-Api-Key' });
		expect(shop.auth[2]).toMatchObject({
			authorizationUrl: 'https://shop.example/oauth/authorize',
			tokenUrl: 'https://shop.example/oauth/token',
			scopes: { 'pets:read': 'Read pets', 'pets:write': 'Change pets' },
		});
	});

	it('maps query and cookie API keys, and OpenID Connect as OAuth2 whose endpoints the credential holds', async () => {
		const petstore = (await importFixture('petstore-swagger2.json')).integration;
		expect(petstore.auth[1]).toMatchObject({ type: 'apiKey', in: 'query', name: 'api_key' });
		const modern = (await importFixture('modern-3.1.yaml')).integration;
		expect(modern.auth[0]).toMatchObject({
			type: 'oauth2',
			grantType: 'authorizationCode',
			authorizationUrl: '{oidcAuthorizationUrl}',
			tokenUrl: '{oidcTokenUrl}',
		});
		expect(modern.auth[1]).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'sid' });
		expect(modern.config.map((c) => c.name)).toEqual(['server', 'oidcAuthorizationUrl', 'oidcTokenUrl']);
	});

	it('maps bearer tokens to an Authorization header with its preamble', async () => {
		const bearer = await importFixture('bearer.yaml');
		expect(bearer.integration.auth).toEqual([
			{
				type: 'apiKey',
				displayName: 'Bearer Token',
				extraHeaders: {},
				in: 'header',
				name: 'Authorization',
				preamble: 'Bearer',
			},
		]);
	});

	it("takes each operation's OAuth2 scopes from its security, or the spec's", async () => {
		expect(operation(shop, 'pets', 'create').requiredScopes).toEqual(['pets:write']);
		expect(operation(shop, 'pets', 'getAll').requiredScopes).toEqual([]);
		const modern = (await importFixture('modern-3.1.yaml')).integration;
		expect(operation(modern, 'things', 'get').requiredScopes).toEqual(['openid', 'profile']);
	});
});

describe('pagination', () => {
	it('detects offset/limit with the total, capped at the maximum page size', () => {
		const op = operation(shop, 'pets', 'getAll');
		expect(op).toMatchObject({
			list: true,
			output: 'items',
			pagination: {
				type: 'offset',
				offsetParam: 'offset',
				pageSizeParam: 'limit',
				pageSize: 50,
				totalPath: 'total',
			},
		});
		expect(op.parameters.map((p) => p.name)).not.toContain('offset');
	});

	it('detects page/per_page with the page count, asking for the maximum page size on Return All', () => {
		expect(operation(shop, 'orders', 'getAll')).toMatchObject({
			list: true,
			output: 'data',
			pagination: {
				type: 'page',
				pageParam: 'page',
				pageSizeParam: 'per_page',
				totalPagesPath: 'total_pages',
				pageSize: 100,
				maxPageSize: 1000,
			},
		});
		expect(operation(shop, 'pets', 'getAll').pagination).not.toHaveProperty('maxPageSize');
	});

	it('detects cursors handed back in the body', () => {
		expect(operation(shop, 'owners', 'getAll')).toMatchObject({
			output: 'results',
			pagination: {
				type: 'cursor',
				cursorParam: 'cursor',
				cursorPath: 'meta.next_cursor',
				pageSizeParam: 'page_size',
			},
		});
	});

	it('detects Link headers and next URLs in the body', () => {
		expect(operation(shop, 'owners', 'listOwnerPets')).toMatchObject({
			list: true,
			output: undefined,
			pagination: { type: 'link', location: 'header' },
		});
		expect(operation(shop, 'owners', 'listOwnerVisits')).toMatchObject({
			output: 'visits',
			pagination: { type: 'link', location: 'body', nextUrlPath: 'links.next' },
		});
	});

	it('leaves a page number beside a next link to the user: only what the pagination sets is its own', async () => {
		const page = { name: 'page', in: 'query', required: true, schema: { type: 'integer', default: 1 } };
		const size = { name: 'pageSize', in: 'query', schema: { type: 'integer' } };
		const listed = {
			type: 'object',
			properties: {
				results: { type: 'array', items: { type: 'object' } },
				_links: { type: 'object', properties: { next: { type: 'string' } } },
			},
		};
		const op = await onlyOperation({
			get: {
				parameters: [page, size],
				responses: { '200': { description: 'ok', content: { 'application/json': { schema: listed } } } },
			},
		});
		expect(op.pagination).toMatchObject({ type: 'link', location: 'body', pageSizeParam: 'pageSize' });
		expect(op.parameters.map((p) => [p.name, p.required])).toEqual([['page', true]]);
	});

	it('reads an offset typed as a string as a token the answer hands back (Asana, Airtable), a number as a count', async () => {
		const list = (offset: object) => ({
			get: {
				parameters: [
					{ name: 'offset', in: 'query', schema: offset },
					{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
				],
				responses: {
					'200': {
						description: 'ok',
						content: {
							'application/json': {
								schema: {
									type: 'object',
									properties: {
										data: { type: 'array', items: { type: 'object' } },
										next_page: {
											type: 'object',
											nullable: true,
											properties: { offset: { type: 'string' }, uri: { type: 'string' } },
										},
									},
								},
							},
						},
					},
				},
			},
		});
		expect((await onlyOperation(list({ type: 'string' }))).pagination).toMatchObject({
			type: 'cursor',
			cursorParam: 'offset',
			cursorPath: 'next_page.offset',
			pageSizeParam: 'limit',
		});
		expect((await onlyOperation(list({ type: 'integer' }))).pagination).toMatchObject({
			type: 'offset',
			offsetParam: 'offset',
		});
	});

	it('treats a GET returning a bare array as a list without pagination, and single gets as single', async () => {
		const petstore = (await importFixture('petstore-swagger2.json')).integration;
		expect(operation(petstore, 'pet', 'find')).toMatchObject({ list: true, pagination: { type: 'none' } });
		expect(operation(shop, 'pets', 'get').list).toBe(false);
	});
});

describe('webhooks and callbacks', () => {
	it('turns 3.1 webhooks into the events of a webhook trigger; a webhook-only spec still generates', async () => {
		const hooks = (await importFixture('webhooks-only.yaml')).integration;
		expect(hooks.resources).toEqual([]);
		expect(hooks.triggers).toEqual([
			{
				type: 'webhook',
				name: 'events',
				displayName: 'Hooks Events',
				events: [
					{ name: 'An order was placed', value: 'order.created' },
					{ name: 'Order Cancelled', value: 'order.cancelled' },
				],
				parameters: [],
				filters: [],
			},
		]);
	});

	it('turns operation callbacks into events too', async () => {
		const callbacks = (await importFixture('callbacks.yaml')).integration;
		expect(callbacks.triggers[0].type === 'webhook' && callbacks.triggers[0].events).toEqual([
			{ name: 'The status changed', value: 'statusChanged' },
		]);
	});
});

describe('files', () => {
	it('sends multipart/form-data with files taken from binary properties of the input item', async () => {
		const files = (await importFixture('files.yaml')).integration;
		const upload = operation(files, 'documents', 'uploadDocument');
		expect(upload.bodyType).toBe('multipart');
		expect(upload.parameters.map((p) => [p.name, p.type, p.required, p.binary ?? false, p.default])).toEqual([
			['file', 'string', true, true, 'data'],
			['title', 'string', false, false, undefined],
			['pages', 'number', false, false, undefined],
		]);
	});

	it('sends a file as the whole body for binary media types', async () => {
		const files = (await importFixture('files.yaml')).integration;
		const avatar = operation(files, 'avatars', 'setAvatar');
		expect(avatar.bodyType).toBe('binary');
		expect(avatar.parameters.map((p) => [p.name, p.in, p.property, p.binary ?? false])).toEqual([
			['userId', 'path', 'userId', false],
			['', 'body', 'binaryPropertyName', true],
		]);
	});
});

it('x-n8n-pagination on an operation overrides what detection would find', async () => {
	const ext = (await importFixture('extension.yaml')).integration;
	expect(operation(ext, 'events', 'getAll')).toMatchObject({
		list: true,
		parameters: [],
		pagination: {
			type: 'cursor',
			cursorParam: 'from',
			cursorPath: 'paging.after',
			resultsKey: 'entries',
			pageSize: 25,
			maxPages: 10_000,
		},
	});
});

it('marks operations whose response is a file, not JSON', async () => {
	const files = (await importFixture('files.yaml')).integration;
	expect(operation(files, 'documents', 'downloadDocument').binaryResponse).toBe(true);
	expect(operation(files, 'documents', 'uploadDocument').binaryResponse).toBeUndefined();
});

/** The one operation of a spec with one path, `/things`, whose path item is `pathItem`. */
async function onlyOperation(pathItem: Record<string, unknown>): Promise<Operation> {
	const file = join(freshFolder('inline'), 'spec.json');
	const info = { title: 'Things', version: '1' };
	writeFileSync(file, JSON.stringify({ openapi: '3.0.3', info, paths: { '/things': pathItem } }));
	const { integration } = await importSpec(file);
	return integration!.resources[0].operations[0];
}

it('asks for the media types of an answer that has no JSON type, not the JSON n8n asks for (406 otherwise)', async () => {
	const files = (await importFixture('files.yaml')).integration;
	expect(operation(files, 'documents', 'downloadDocument').accept).toBe('application/pdf');
	expect(operation(shop, 'pets', 'getAll').accept).toBeUndefined();
	const accept = async (types: string[]) =>
		(
			await onlyOperation({
				get: {
					responses: { '200': { description: 'ok', content: Object.fromEntries(types.map((t) => [t, {}])) } },
				},
			})
		).accept;
	expect(await accept(['text/html', 'text/plain; charset=utf-8'])).toBe('text/html, text/plain; charset=utf-8');
	expect(await accept(['*/*'])).toBe('application/json, */*');
	expect(await accept(['application/vnd.api+json', 'text/csv'])).toBeUndefined();
	// A media type is spec text: one a header cannot carry as it is does not become one.
	expect(await accept(['text/html\r\nX-Injected: 1'])).toBeUndefined();
});

it('keeps the style of a path parameter that is not simple, for the runtime to write it', async () => {
	const id = (style: string, explode: boolean) => ({ name: 'id', in: 'path', required: true, style, explode });
	const op = await onlyOperation({
		parameters: [id('matrix', true)],
		get: { responses: { '200': { description: 'ok' } } },
	});
	expect(op.parameters).toMatchObject([{ name: 'id', style: 'matrix', explode: true }]);
	const simple = await onlyOperation({
		parameters: [id('simple', false)],
		get: { responses: { '200': { description: 'ok' } } },
	});
	expect(simple.parameters[0]).not.toHaveProperty('style');
	expect(simple.parameters[0]).not.toHaveProperty('explode');
});

it('offers a text body (plain text, XML) as one text field sent with its media type', async () => {
	const op = await onlyOperation({
		put: {
			requestBody: { required: true, content: { 'text/plain': { schema: { type: 'string' } } } },
			responses: { '204': { description: 'ok' } },
		},
	});
	expect(op).toMatchObject({ bodyType: 'text', contentType: 'text/plain' });
	expect(op.parameters).toMatchObject([
		{ name: '', in: 'body', property: 'bodyText', type: 'string', required: true },
	]);
});

it('offers a list of flat objects as entries of named fields, and anything nested as JSON', async () => {
	const files = (await importFixture('files.yaml')).integration;
	const [, lines, notes] = operation(files, 'orders', 'create').parameters;
	expect(lines).toMatchObject({ name: 'lines', type: 'fixedCollection', required: true });
	expect(lines.entries!.map((e) => [e.name, e.property, e.type])).toEqual([
		['sku', 'sku', 'string'],
		['quantity', 'quantity', 'number'],
		['gift', 'gift', 'boolean'],
	]);
	expect(notes).toMatchObject({ name: 'notes', type: 'json' });
});

it('keeps the fields each entry requires, so the runtime sends them even when left empty', async () => {
	const tag = {
		type: 'object',
		required: ['Key', 'Value'],
		properties: { Key: { type: 'string' }, Value: { type: 'string' }, Note: { type: 'string' } },
	};
	const schema = { type: 'object', properties: { tags: { type: 'array', items: tag } } };
	const file = join(freshFolder('inline'), 'spec.json');
	const paths = {
		'/portals': { post: { requestBody: { content: { 'application/json': { schema } } }, responses: {} } },
	};
	writeFileSync(file, JSON.stringify({ openapi: '3.0.3', info: { title: 'Tags', version: '1' }, paths }));
	const integration = (await importSpec(file)).integration!;
	const tags = integration.resources[0].operations[0].parameters.find((p) => p.name === 'tags')!;
	expect(tags.entries!.map((e) => [e.name, e.required])).toEqual([
		['Key', true],
		['Value', true],
		['Note', false],
	]);
	const [spec] = Object.values(operationTable(integration, namespaceOf('n8n-nodes-x')).operations);
	expect(spec.parameters.find((p) => p.name === 'tags')!.requiredEntries).toEqual(['Key', 'Value']);
});

it('offers a list as JSON when its items require a name they never define (no entry field could hold it)', async () => {
	const line = { type: 'object', required: ['date'], properties: { amount: { type: 'number' } } };
	const op = await onlyOperation({
		post: {
			requestBody: {
				content: {
					'application/json': {
						schema: { type: 'object', properties: { lines: { type: 'array', items: line } } },
					},
				},
			},
			responses: { '201': { description: 'ok' } },
		},
	});
	expect(op.parameters.find((p) => p.name === 'lines')).toMatchObject({ type: 'json' });
});

it('offers the fields of every oneOf variant of a body, required only where all variants require them', async () => {
	const files = (await importFixture('files.yaml')).integration;
	expect(operation(files, 'payments', 'create').parameters.map((p) => [p.name, p.type, p.required])).toEqual([
		['', 'json', false],
		['amount', 'number', true],
		['card', 'string', false],
		['iban', 'string', false],
	]);
});
