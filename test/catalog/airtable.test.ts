/**
 * The Airtable nodes inside a real n8n against a loopback Airtable: a personal access token and
 * an OAuth2 (PKCE) token with scopes, create / update / search with the offset pages, the
 * 5-a-second limit per base, and both polling triggers with their filterByFormula windows.
 */
import { join } from 'node:path';
import type { WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startAirtable, type AirtableFake } from '../fakes/airtable';
import { Coverage } from './coverage';
import { CatalogRun, publishAndPoll, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Airtable/airtable.integration.yaml'));
const pat = { rillsAirtableApi: { id: 'airtablePat', name: 'Airtable PAT' } };
let airtable: AirtableFake;
let catalog: CatalogRun;

const node = (parameters: Record<string, unknown>, credentials: WorkflowNode['credentials'] = pat): WorkflowNode => ({
	name: 'Airtable',
	type: 'CUSTOM.airtable',
	parameters: {
		authentication: 'rillsAirtablePkceOAuth2Api' in (credentials ?? {}) ? 'oAuth2Pkce' : 'apiKey',
		resource: 'record',
		baseId: airtable.baseId,
		table: airtable.table,
		...parameters,
	},
	credentials,
});
const api = (method: string) =>
	airtable.requests.filter((r) => r.method === method && r.path.startsWith(`/v0/${airtable.baseId}/`));

beforeAll(async () => {
	airtable = await startAirtable({ recordCount: 250 });
	catalog = await CatalogRun.create();
	const readOnly = airtable.grant(['data.records:read']);
	catalog.secrets.push(airtable.pat, readOnly);
	await catalog.n8n.importCredentials([
		{
			id: 'airtablePat',
			name: 'Airtable PAT',
			type: 'rillsAirtableApi',
			data: { apiUrl: airtable.url, apiKey: airtable.pat },
		},
		{
			id: 'airtableOauth',
			name: 'Airtable read-only',
			type: 'rillsAirtablePkceOAuth2Api',
			data: {
				apiUrl: airtable.url,
				clientId: 'airtable-client',
				clientSecret: '',
				scope: 'data.records:read',
				oauthTokenData: {
					access_token: readOnly,
					refresh_token: 'unused-refresh',
					token_type: 'Bearer',
					scope: 'data.records:read',
				},
			},
		},
	]);
});

afterAll(() => shutDown(undefined, catalog, airtable));

beforeEach(() => airtable.requests.splice(0));

describe('actions', () => {
	it('create record, update record and search (Return All over three offset pages, within 5 requests a second) in one workflow', async () => {
		const execution = await catalog.run(
			{
				...node({
					operation: 'create',
					fields: '{"Name": "Write docs", "Status": "Todo"}',
					additionalFields: { typecast: true },
				}),
				name: 'Create',
			},
			{
				...node({ operation: 'update', recordId: '={{ $json.id }}', fields: '{"Status": "Done"}' }),
				name: 'Update',
			},
			{
				...node({
					operation: 'search',
					returnAll: true,
					additionalFields: {
						filterByFormula: "{Status} = 'Done'",
						sort0Field: 'Name',
						sort0Direction: 'desc',
					},
				}),
				name: 'Search',
			},
			{
				...node({
					operation: 'search',
					returnAll: true,
					// Picked From List (the table by its ID); the other nodes hold the plain IDs of saved workflows.
					baseId: { __rl: true, mode: 'list', value: airtable.baseId, cachedResultName: 'Launch tracker' },
					table: { __rl: true, mode: 'list', value: 'tblR1llsTasks001', cachedResultName: 'Tasks' },
				}),
				name: 'All',
				executeOnce: true,
			},
		);
		expect(execution.error).toBeUndefined();
		const [create] = api('POST');
		expect(create.path).toBe(`/v0/${airtable.baseId}/${airtable.table}`);
		expect(create.headers.authorization).toBe(`Bearer ${airtable.pat}`);
		expect(create.body).toEqual({ fields: { Name: 'Write docs', Status: 'Todo' }, typecast: true });
		const created = execution.output.Create[0] as { id: string; fields: unknown };
		expect(created).toMatchObject({
			id: expect.stringMatching(/^rec/),
			fields: { Name: 'Write docs', Status: 'Todo' },
		});
		coverage.ran('record:create');

		const [update] = api('PATCH');
		expect(update.path).toBe(`/v0/${airtable.baseId}/${airtable.table}/${created.id}`);
		expect(update.body).toEqual({ fields: { Status: 'Done' } });
		expect(execution.output.Update).toEqual([
			{ id: created.id, createdTime: expect.any(String), fields: { Name: 'Write docs', Status: 'Done' } },
		]);
		coverage.ran('record:update');

		const done = airtable.records.filter((r) => r.fields.Status === 'Done').map((r) => r.id);
		expect(execution.output.Search.map((r) => r.id)).toEqual(done);
		const searches = api('GET').filter((r) => r.query.get('filterByFormula') === "{Status} = 'Done'");
		expect(searches).toHaveLength(2);
		expect(
			searches.map((r) => [
				r.query.get('pageSize'),
				r.query.get('sort[0][field]'),
				r.query.get('sort[0][direction]'),
			]),
		).toEqual([
			['100', 'Name', 'desc'],
			['100', 'Name', 'desc'],
		]);
		expect(searches[0].query.has('offset')).toBe(false);
		expect(searches[1].query.get('offset')).toMatch(/^itr/);
		// Every record once, over three pages.
		expect(execution.output.All.map((r) => r.id)).toEqual(airtable.records.map((r) => r.id));
		expect(api('GET').filter((r) => !r.query.has('filterByFormula'))).toHaveLength(3);
		expect(airtable.violations).toEqual([]);
		coverage.ran('record:search');
	});

	it('an OAuth2 token without data.records:write fails create naming the scope; search works with the granted read scope', async () => {
		const oauth = { rillsAirtablePkceOAuth2Api: { id: 'airtableOauth', name: 'Airtable read-only' } };
		const denied = await catalog.run(node({ operation: 'create', fields: '{"Name": "x"}' }, oauth));
		expect(denied.error?.message).toBe(
			'"Airtable read-only" was not granted the scope data.records:write that this operation needs',
		);
		expect(api('POST')).toEqual([]);
		const allowed = await catalog.run(node({ operation: 'search', returnAll: false, limit: 3 }, oauth));
		expect(allowed.output.Airtable.map((r) => r.id)).toEqual(airtable.records.slice(0, 3).map((r) => r.id));
		expect(api('GET')[0].query.get('pageSize')).toBe('3');
	});

	it('an unknown field comes back as Airtable’s 422 message', async () => {
		const execution = await catalog.run(node({ operation: 'create', fields: '{"Nmae": "typo"}' }));
		expect(execution.error?.message).toBe('Airtable rejected the request (422)');
		expect(execution.error?.description).toContain('Airtable said: Unknown field name: "Nmae"');
	});
});

describe('polling triggers in n8n start', () => {
	let server: N8nServer;
	let newRecord: string;
	let recordUpdated: string;
	const lists = () => api('GET').length;

	beforeAll(async () => {
		const trigger = (event: string): WorkflowNode => ({
			name: '',
			type: 'CUSTOM.airtablePollingTrigger',
			parameters: { authentication: 'apiKey', event, baseId: airtable.baseId, table: airtable.table },
			credentials: pat,
		});
		newRecord = await catalog.pollingWorkflow('New Airtable Record', trigger('newRecord'));
		recordUpdated = await catalog.pollingWorkflow('Airtable Record Updated', trigger('recordUpdated'));
		server = await N8nServer.start(catalog.n8n);
	});

	afterAll(async () => {
		if (server) catalog.logs.push(server.log);
		await server?.stop();
	});

	it('the first polls read every record (TRUE()), emit nothing; the next ones ask by CREATED_TIME() / LAST_MODIFIED_TIME() and emit the new and the changed record once', async () => {
		await publishAndPoll(server, newRecord, lists, 3);
		await publishAndPoll(server, recordUpdated, lists, 3);
		expect(api('GET').every((r) => r.query.get('filterByFormula') === 'TRUE()')).toBe(true);
		const newest = Math.max(...airtable.records.map((r) => Date.parse(r.createdTime)));

		await new Promise((resolve) => setTimeout(resolve, 1100));
		const changed = airtable.records[3];
		airtable.modify(changed.id, { Status: 'Blocked' });
		const added = airtable.add({ Name: 'Fresh', Status: 'Todo' });
		airtable.requests.splice(0);

		await publishAndPoll(server, newRecord, lists, 1, true);
		const created = await triggerExecutions(server, newRecord, 1);
		expect(created.flatMap((e) => e.output['New Airtable Record'])).toEqual([
			{ id: added.id, createdTime: added.createdTime, fields: added.fields },
		]);
		expect(api('GET')[0].query.get('filterByFormula')).toBe(
			`IS_AFTER(CREATED_TIME(), DATETIME_PARSE('${new Date(newest - 60_000).toISOString()}'))`,
		);
		coverage.ran('trigger:newRecord');

		await publishAndPoll(server, recordUpdated, lists, 1, true);
		const updated = await triggerExecutions(server, recordUpdated, 1);
		expect(
			updated
				.flatMap((e) => e.output['Airtable Record Updated'])
				.map((r) => [r.id, (r.fields as { Status: string }).Status]),
		).toEqual([
			[changed.id, 'Blocked'],
			[added.id, 'Todo'],
		]);
		const formula = api('GET')
			.find((r) => r.query.get('filterByFormula')?.includes('LAST_MODIFIED_TIME'))!
			.query.get('filterByFormula')!;
		const since = Date.parse(/'([^']+)'/.exec(formula)![1]);
		// The previous poll's start minus the 60 s lookback: before the changes, not before the first poll.
		expect(since).toBeLessThan(Date.parse(changed.modifiedTime) - 59_000);
		expect(since).toBeGreaterThan(Date.parse(changed.modifiedTime) - 300_000);
		coverage.ran('trigger:recordUpdated');
		expect(airtable.violations).toEqual([]);

		// A third poll emits nothing again.
		await publishAndPoll(server, recordUpdated, lists, 1, true);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await triggerExecutions(server, recordUpdated, 1)).toHaveLength(1);
	});

	it('Base pages the token’s bases by offset; Table offers the chosen base’s tables, in the action and the trigger', async () => {
		const picker = (nodeType: string, methodName: string, parameters: Record<string, unknown>, more = {}) =>
			server.listSearch({
				nodeType,
				methodName,
				path: methodName,
				parameters: { authentication: 'apiKey', ...parameters },
				credentials: pat,
				...more,
			});
		const search = { resource: 'record', operation: 'search' };
		const first = await picker('CUSTOM.airtable', 'baseId', search);
		expect(first.results).toHaveLength(1000);
		expect(first.results[0]).toEqual({
			name: 'Launch tracker',
			value: airtable.baseId,
			url: `https://airtable.com/${airtable.baseId}`,
		});
		const second = await picker('CUSTOM.airtable', 'baseId', search, { paginationToken: first.paginationToken });
		expect(second.results.map((b) => b.name)).toEqual([
			'Base 1000',
			'Base 1001',
			'Base 1002',
			'Base 1003',
			'Base 1004',
		]);
		expect(second.paginationToken).toBeUndefined();
		expect((await picker('CUSTOM.airtable', 'baseId', search, { filter: 'launch' })).results).toHaveLength(1);
		const listed = airtable.requests.filter((r) => r.path === '/v0/meta/bases');
		expect(listed.map((r) => r.query.get('offset'))).toEqual([null, first.paginationToken, null]);
		expect(listed.every((r) => r.headers.authorization === `Bearer ${airtable.pat}`)).toBe(true);

		const base = {
			__rl: true,
			mode: 'url',
			value: `https://airtable.com/${airtable.baseId}/tblR1llsTasks001/viwGrid`,
		};
		const tables = await picker('CUSTOM.airtable', 'table', { ...search, baseId: base });
		expect(tables).toEqual({
			results: [
				{ name: 'Tasks', value: 'tblR1llsTasks001' },
				{ name: 'Archive', value: 'tblR1llsArchive1' },
			],
		});
		const polled = await picker('CUSTOM.airtablePollingTrigger', 'table', {
			event: 'newRecord',
			baseId: { __rl: true, mode: 'list', value: airtable.baseId, cachedResultName: 'Launch tracker' },
		});
		expect(polled).toEqual(tables);
		expect(airtable.requests.filter((r) => r.path.endsWith('/tables')).map((r) => r.path)).toEqual([
			`/v0/meta/bases/${airtable.baseId}/tables`,
			`/v0/meta/bases/${airtable.baseId}/tables`,
		]);
	});
});

it('every operation and trigger ran, and no token appeared in any log', () => {
	expect(catalog.leaks()).toEqual([]);
	expect(coverage.missing()).toEqual([]);
});
