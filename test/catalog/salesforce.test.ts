/**
 * Salesforce inside a real n8n 2.41: every action through the OAuth2 credential (a stored token
 * with the `api` scope) and the client-credentials one, SOQL batches followed through the
 * relative nextRecordsUrl, Salesforce's error lists turned into n8n errors (daily limit), a
 * missing scope failing before any request, and both polling triggers — SOQL filtered on
 * CreatedDate from the stored watermark — across re-publishing.
 */
import { join } from 'node:path';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { API, BATCH, createdDate, startSalesforce, type SalesforceFake } from '../fakes/salesforce';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { actionNodes, CatalogRun, type CredentialRef, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Salesforce/salesforce.integration.yaml'));

let sf: SalesforceFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let token: { accessToken: string; refreshToken: string };
let runs: CatalogRun;

const oauth = { rillsSalesforceOAuth2Api: { id: 'sfOAuth', name: 'Salesforce OAuth' } };
const clientCredentials = { rillsSalesforceClientCredentialsOAuth2Api: { id: 'sfApp', name: 'Salesforce app' } };
const node = actionNodes('CUSTOM.salesforce', {
	rillsSalesforceOAuth2Api: 'oAuth2',
	rillsSalesforceClientCredentialsOAuth2Api: 'oAuth2ClientCredentials',
});
const sfNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = oauth) =>
	node(name, parameters, credentials);
const calls = (method: string, route: string) =>
	sf.requests.filter((r) => r.method === method && r.path === API + route);

const run = (...nodes: WorkflowNode[]): Promise<Execution> => runs.run(...nodes);

/** An authorization-code credential holding a token Salesforce issued with these scopes. */
function oauthCredential(id: string, grant: { accessToken: string; refreshToken: string }, scopes: string[]) {
	return {
		id,
		name: id,
		type: 'rillsSalesforceOAuth2Api',
		data: {
			instanceUrl: sf.url,
			loginUrl: sf.url,
			clientId: sf.client.id,
			clientSecret: sf.client.secret,
			oauthTokenData: {
				access_token: grant.accessToken,
				refresh_token: grant.refreshToken,
				instance_url: sf.url,
				token_type: 'Bearer',
				scope: scopes.join(' '),
			},
		},
	};
}

beforeAll(async () => {
	sf = await startSalesforce();
	token = sf.grant(['api', 'refresh_token']);
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	await n8n.importCredentials([
		{ ...oauthCredential('sfOAuth', token, ['refresh_token', 'api']), name: 'Salesforce OAuth' },
		oauthCredential('sfNoApi', sf.grant(['refresh_token']), ['refresh_token']),
		{
			id: 'sfApp',
			name: 'Salesforce app',
			type: 'rillsSalesforceClientCredentialsOAuth2Api',
			data: { instanceUrl: sf.url, clientId: sf.client.id, clientSecret: sf.client.secret },
		},
	]);
});

afterAll(() => shutDown(server, runs, sf));

describe('actions', () => {
	beforeEach(() => sf.requests.splice(0));

	it('creates a lead, logs a call on it, updates an account (204) and reads every lead by SOQL across batches', async () => {
		const soql = 'SELECT Id, LastName, Company FROM Lead ORDER BY CreatedDate ASC';
		const execution = await run(
			sfNode('Create Lead', {
				resource: 'lead',
				operation: 'create',
				lastName: 'Lovelace',
				company: 'Analytical Engines',
				additionalFields: { email: 'ada@example.com', leadSource: 'Web' },
			}),
			sfNode('Log Call', {
				resource: 'task',
				operation: 'create',
				subject: 'Intro call',
				additionalFields: {
					whoId: "={{ $('Create Lead').item.json.id }}",
					taskSubtype: 'Call',
					status: 'Completed',
				},
			}),
			sfNode('Update Account', {
				resource: 'account',
				operation: 'update',
				accountId: sf.accounts[0].Id,
				additionalFields: { industry: 'Technology', numberOfEmployees: 250 },
			}),
			sfNode('Query', { resource: 'record', operation: 'query', q: soql, returnAll: true }),
			sfNode('Get Account', {
				resource: 'record',
				operation: 'get',
				sobject: { __rl: true, mode: 'list', value: 'Account', cachedResultName: 'Account' },
				recordId: sf.accounts[0].Id,
				additionalFields: { fields: 'Id,Name,Industry' },
			}),
			sfNode('Get Lead', {
				resource: 'record',
				operation: 'get',
				sobject: { __rl: true, mode: 'id', value: 'Lead' },
				recordId: "={{ $('Create Lead').item.json.id }}",
			}),
		);
		expect(execution.error).toBeUndefined();

		const [lead] = calls('POST', '/sobjects/Lead');
		expect(lead.headers.authorization).toBe(`Bearer ${token.accessToken}`);
		expect(lead.headers['content-type']).toContain('application/json');
		expect(lead.body).toEqual({
			LastName: 'Lovelace',
			Company: 'Analytical Engines',
			Email: 'ada@example.com',
			LeadSource: 'Web',
		});
		const leadId = sf.leads[sf.leads.length - 1].Id;
		expect(execution.output['Create Lead']).toEqual([{ id: leadId, success: true, errors: [] }]);
		coverage.ran('lead:create');

		expect(calls('POST', '/sobjects/Task')[0].body).toEqual({
			Subject: 'Intro call',
			WhoId: leadId,
			TaskSubtype: 'Call',
			Status: 'Completed',
		});
		expect(execution.output['Log Call']).toEqual([{ id: sf.tasks[0].Id, success: true, errors: [] }]);
		coverage.ran('task:create');

		const [patch] = calls('PATCH', `/sobjects/Account/${sf.accounts[0].Id}`);
		expect(patch.body).toEqual({ Industry: 'Technology', NumberOfEmployees: 250 });
		expect(execution.output['Update Account']).toEqual([{ success: true, statusCode: 204 }]);
		expect(sf.accounts[0].Industry).toBe('Technology');
		coverage.ran('account:update');

		// 8 leads in batches of 3: the query, then two relative nextRecordsUrl locators.
		const pages = sf.requests.filter((r) => r.method === 'GET' && r.path.startsWith(`${API}/query`));
		expect(pages).toHaveLength(Math.ceil(sf.leads.length / BATCH));
		expect(pages[0].query.get('q')).toBe(soql);
		expect(
			pages
				.slice(1)
				.every(
					(p) =>
						/^\/services\/data\/v60\.0\/query\/01g\w+-\d+$/.test(p.path) &&
						p.headers.authorization === `Bearer ${token.accessToken}`,
				),
		).toBe(true);
		expect(execution.output.Query.map((r) => r.Id)).toEqual(sf.leads.map((l) => l.Id));
		coverage.ran('record:query');

		expect(calls('GET', `/sobjects/Account/${sf.accounts[0].Id}`)[0].query.get('fields')).toBe('Id,Name,Industry');
		expect(execution.output['Get Account']).toEqual([
			{
				attributes: { type: 'Account', url: `${API}/sobjects/Account/${sf.accounts[0].Id}` },
				Id: sf.accounts[0].Id,
				Name: 'Globex',
				Industry: 'Technology',
			},
		]);
		expect(execution.output['Get Lead']).toEqual([expect.objectContaining({ Id: leadId, LastName: 'Lovelace' })]);
		coverage.ran('record:get');
	});

	it('a credential without the api scope fails before any request; the daily limit (403 REQUEST_LIMIT_EXCEEDED) is reported with Salesforce’s words; client credentials get a token with the client in the body', async () => {
		sf.exhaust(true);
		const execution = await run(
			{
				...sfNode(
					'No Api Scope',
					{ resource: 'record', operation: 'query', q: 'SELECT Id FROM Lead ORDER BY CreatedDate ASC' },
					{ rillsSalesforceOAuth2Api: { id: 'sfNoApi', name: 'sfNoApi' } },
				),
				onError: 'continueRegularOutput',
			},
			{
				...sfNode('Over Limit', { resource: 'lead', operation: 'create', lastName: 'Hopper', company: 'Navy' }),
				onError: 'continueRegularOutput',
			},
		).finally(() => sf.exhaust(false));
		expect(execution.output['No Api Scope']).toEqual([
			expect.objectContaining({ error: '"sfNoApi" was not granted the scope api that this operation needs' }),
		]);
		expect(calls('GET', '/query')).toEqual([]);
		expect(execution.output['Over Limit']).toEqual([
			expect.objectContaining({
				error: expect.stringContaining('Salesforce refused access'),
				description: expect.stringContaining('TotalRequests Limit exceeded.'),
			}),
		]);
		// Not retried: waiting seconds does not bring back a daily allocation.
		expect(calls('POST', '/sobjects/Lead')).toHaveLength(1);

		const connected = await run(
			sfNode(
				'Query',
				{
					resource: 'record',
					operation: 'query',
					q: 'SELECT FIELDS(STANDARD) FROM Lead ORDER BY CreatedDate DESC LIMIT 200',
					returnAll: false,
					limit: 2,
				},
				clientCredentials,
			),
			sfNode('Check', { resource: 'connection', operation: 'check' }, clientCredentials),
		);
		expect(connected.error).toBeUndefined();
		expect(sf.tokenRequests.at(-1)).toMatchObject({ grant_type: 'client_credentials', client_id: sf.client.id });
		// Limit 2 stops within the first batch of 3.
		expect(connected.output.Query).toHaveLength(2);
		expect(calls('GET', '/query')).toHaveLength(1);
		expect(connected.output.Check[0]).toMatchObject({ status: 'ok', httpStatus: 200 });
		expect(calls('GET', '/limits')).toHaveLength(1);
	});
});

describe('polling triggers', () => {
	const workflows: Record<string, string> = {};
	const executions = (trigger: string, count: number) => triggerExecutions(server!, workflows[trigger], count);

	beforeAll(async () => {
		for (const [trigger, firstPoll] of [
			['newLead', 'none'],
			['opportunityStageChanged', 'latest'],
		]) {
			workflows[trigger] = await n8n.importWorkflow({
				name: trigger,
				nodes: [
					{
						name: 'Salesforce Poll',
						type: 'CUSTOM.salesforcePollingTrigger',
						parameters: {
							authentication: 'oAuth2',
							event: trigger,
							firstPoll,
							firstPollCount: 1,
							pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
						},
						credentials: oauth,
					},
				],
				connections: {},
			});
		}
		server = await N8nServer.start(n8n);
	});

	it('the first poll asks for the newest records only, and re-publishing asks SOQL for CreatedDate >= watermark minus the lookback: new lead and stage change emitted once', async () => {
		const queries = sf.queries.length;
		for (const workflow of Object.values(workflows)) await server!.activate(workflow);
		await waitFor('both first polls', () => (sf.queries.length >= queries + 2 ? true : undefined));
		expect(sf.queries.slice(queries).sort()).toEqual([
			'SELECT FIELDS(STANDARD) FROM Lead ORDER BY CreatedDate DESC LIMIT 200',
			"SELECT Id, OpportunityId, Opportunity.Name, Field, OldValue, NewValue, CreatedById, CreatedDate FROM OpportunityFieldHistory WHERE Field = 'StageName' ORDER BY CreatedDate DESC LIMIT 200",
		]);
		// "Emit the newest" on the stage trigger: the latest change; nothing for new leads.
		const [first] = await executions('opportunityStageChanged', 1);
		expect(first.output['Salesforce Poll']).toEqual([
			expect.objectContaining({
				Id: sf.stageHistory[1].Id,
				NewValue: 'Closed Won',
				Opportunity: { Name: 'Initech expansion' },
			}),
		]);
		expect(await server!.executions(workflows.newLead)).toEqual([]);

		const newestLead = sf.leads
			.map((l) => l.CreatedDate)
			.sort()
			.at(-1)!;
		const lead = {
			Id: '00Q000000000900',
			LastName: 'Turing',
			Company: 'Bletchley',
			CreatedDate: createdDate(1000),
		};
		const change = {
			Id: '008000000000900',
			OpportunityId: '006000000000001',
			Opportunity: { Name: 'Globex renewal' },
			Field: 'StageName',
			OldValue: 'Qualification',
			NewValue: 'Negotiation/Review',
			CreatedById: '005000000000001',
			CreatedDate: createdDate(1000),
		};
		sf.leads.push(lead);
		sf.stageHistory.push(change);

		const before = sf.queries.length;
		for (const workflow of Object.values(workflows)) {
			await server!.deactivate(workflow);
			await server!.activate(workflow);
		}
		const since = (created: string) =>
			new Date(Date.parse(created.replace('+0000', 'Z')) - 60_000).toISOString().replace('.000Z', 'Z');
		await waitFor('both second polls', () => (sf.queries.length >= before + 2 ? true : undefined));
		expect(sf.queries.slice(before).sort()).toEqual([
			`SELECT FIELDS(STANDARD) FROM Lead WHERE CreatedDate >= ${since(newestLead)} ORDER BY CreatedDate ASC`,
			`SELECT Id, OpportunityId, Opportunity.Name, Field, OldValue, NewValue, CreatedById, CreatedDate FROM OpportunityFieldHistory WHERE Field = 'StageName' AND CreatedDate >= ${since(sf.stageHistory[1].CreatedDate)} ORDER BY CreatedDate ASC`,
		]);
		const leads = await executions('newLead', 1);
		expect(leads.flatMap((e) => e.output['Salesforce Poll'].map((r) => r.Id))).toEqual([lead.Id]);
		coverage.ran('trigger:newLead');
		const changes = await executions('opportunityStageChanged', 2);
		expect(changes[1].output['Salesforce Poll'].map((r) => [r.Id, r.NewValue])).toEqual([
			[change.Id, 'Negotiation/Review'],
		]);
		coverage.ran('trigger:opportunityStageChanged');
	});

	it('Object lists the org’s objects that can be read by ID, from describe global, filtered by label', async () => {
		const before = calls('GET', '/sobjects').length;
		const picker = (filter?: string) =>
			server!.listSearch({
				nodeType: 'CUSTOM.salesforce',
				methodName: 'sobject',
				path: 'sobject',
				parameters: { authentication: 'oAuth2', resource: 'record', operation: 'get' },
				credentials: oauth,
				...(filter ? { filter } : {}),
			});
		expect(await picker()).toEqual({
			results: [
				{ name: 'Account', value: 'Account' },
				{ name: 'Invoice', value: 'Invoice__c' },
				{ name: 'Lead', value: 'Lead' },
				{ name: 'Opportunity Field History', value: 'OpportunityFieldHistory' },
				{ name: 'Task', value: 'Task' },
			],
		});
		expect(await picker('INVOICE')).toEqual({ results: [{ name: 'Invoice', value: 'Invoice__c' }] });
		const listed = calls('GET', '/sobjects').slice(before);
		expect(listed).toHaveLength(2);
		expect(listed.every((r) => r.headers.authorization === `Bearer ${token.accessToken}`)).toBe(true);
	});

	it('no token or client secret appears in any log or execution', async () => {
		const stored = JSON.stringify(await Promise.all(Object.values(workflows).map((w) => server!.executions(w))));
		const all = [...runs.logs, server!.log, stored].join('\n');
		for (const secret of [token.accessToken, token.refreshToken, sf.client.secret])
			expect(all).not.toContain(secret);
	});
});

it('every action and trigger of the definition ran in n8n', () => {
	expect(coverage.missing()).toEqual([]);
});
