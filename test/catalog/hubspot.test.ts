/**
 * HubSpot inside a real n8n 2.41: every action through a private app token and through OAuth2,
 * CRM v3 `{ properties }` bodies, `paging.next.after` cursors over three pages, HubSpot's
 * 429 without Retry-After backed off and retried, its MISSING_SCOPES answer, and the three
 * webhook triggers verifying X-HubSpot-Signature-v3 (method + URL + body + timestamp, keyed with
 * the client secret on the credential) over batched deliveries.
 */
import { join } from 'node:path';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startHubSpot, type HubSpotFake } from '../fakes/hubspot';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { actionNodes, CatalogRun, type CredentialRef, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/HubSpot/hubSpot.integration.yaml'));
const ALL_SCOPES = [
	'crm.objects.contacts.read',
	'crm.objects.contacts.write',
	'crm.objects.deals.read',
	'crm.objects.deals.write',
	'transactional-email',
];

let hs: HubSpotFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let appToken: string;
let oauthToken: string;
let narrowToken: string;
let runs: CatalogRun;

const privateApp = { rillsHubSpotApi: { id: 'hsApp', name: 'HubSpot private app' } };
const oauth = { rillsHubSpotOAuth2Api: { id: 'hsOAuth', name: 'HubSpot OAuth' } };
const node = actionNodes('CUSTOM.hubSpot', { rillsHubSpotApi: 'apiKey', rillsHubSpotOAuth2Api: 'oAuth2' });
const hsNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = privateApp) =>
	node(name, parameters, credentials);
const calls = (method: string, path: string) => hs.requests.filter((r) => r.method === method && r.path === path);

const run = (...nodes: WorkflowNode[]): Promise<Execution> => runs.run(...nodes);

beforeAll(async () => {
	hs = await startHubSpot({ contactCount: 230 });
	appToken = hs.issueToken(ALL_SCOPES);
	oauthToken = hs.issueToken(['oauth', ...ALL_SCOPES]);
	narrowToken = hs.issueToken(['crm.objects.contacts.read']);
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	await n8n.importCredentials([
		{
			id: 'hsApp',
			name: 'HubSpot private app',
			type: 'rillsHubSpotApi',
			data: { apiUrl: hs.url, apiKey: appToken, webhookSecret: hs.client.secret },
		},
		{
			id: 'hsNarrow',
			name: 'HubSpot narrow',
			type: 'rillsHubSpotApi',
			data: { apiUrl: hs.url, apiKey: narrowToken },
		},
		{
			id: 'hsOAuth',
			name: 'HubSpot OAuth',
			type: 'rillsHubSpotOAuth2Api',
			data: {
				apiUrl: hs.url,
				appUrl: hs.url,
				clientId: hs.client.id,
				clientSecret: hs.client.secret,
				// What HubSpot's token endpoint returns: no `scope` (the credential's Scope field is what was asked
				// for).
				oauthTokenData: { token_type: 'bearer', access_token: oauthToken, expires_in: 1800 },
			},
		},
	]);
});

afterAll(() => shutDown(server, runs, hs));

describe('actions', () => {
	beforeEach(() => hs.requests.splice(0));

	it('creates a contact, reads it back, lists every contact over three cursor pages, and creates, moves, reads and lists deals, then sends a transactional email', async () => {
		hs.associate('9001', '101');
		const execution = await run(
			hsNode('Create Contact', {
				resource: 'contact',
				operation: 'create',
				propertiesEmail: 'ada@example.com',
				additionalFields: { propertiesFirstname: 'Ada', propertiesLifecyclestage: 'lead' },
			}),
			hsNode('Get Contact', {
				resource: 'contact',
				operation: 'get',
				contactId: "={{ $('Create Contact').item.json.id }}",
				additionalFields: { properties: 'email,firstname' },
			}),
			hsNode('All Contacts', { resource: 'contact', operation: 'getAll', returnAll: true }),
			hsNode('Create Deal', {
				resource: 'deal',
				operation: 'create',
				propertiesDealname: 'Analytical Engine',
				additionalFields: {
					propertiesAmount: '5000',
					propertiesPipeline: 'default',
					propertiesDealstage: 'appointmentscheduled',
				},
			}),
			hsNode('Update Deal', {
				resource: 'deal',
				operation: 'update',
				dealId: "={{ $('Create Deal').item.json.id }}",
				additionalFields: { propertiesDealstage: 'closedwon' },
			}),
			hsNode('All Deals', { resource: 'deal', operation: 'getAll', returnAll: false, limit: 1 }),
			hsNode('Get Deal', {
				resource: 'deal',
				operation: 'get',
				dealId: '9001',
				additionalFields: { properties: 'dealname,amount', associations: 'contacts' },
			}),
			hsNode('Send Email', {
				resource: 'email',
				operation: 'send',
				emailId: 4711,
				messageTo: "={{ $('Create Contact').item.json.properties.email }}",
				additionalFields: { customProperties: '{"deal": "Analytical Engine"}' },
			}),
		);
		expect(execution.error).toBeUndefined();

		const [create] = calls('POST', '/crm/v3/objects/contacts');
		expect(create.headers.authorization).toBe(`Bearer ${appToken}`);
		expect(create.body).toEqual({
			properties: { email: 'ada@example.com', firstname: 'Ada', lifecyclestage: 'lead' },
		});
		const contact = hs.contacts.at(-1)!;
		expect(execution.output['Create Contact']).toEqual([
			expect.objectContaining({
				id: contact.id,
				properties: expect.objectContaining({ email: 'ada@example.com' }),
			}),
		]);
		coverage.ran('contact:create');

		const [get] = calls('GET', `/crm/v3/objects/contacts/${contact.id}`);
		expect(get.query.get('properties')).toBe('email,firstname');
		expect(execution.output['Get Contact']).toEqual([
			{ ...contact, properties: { email: 'ada@example.com', firstname: 'Ada', hs_object_id: contact.id } },
		]);
		coverage.ran('contact:get');

		const pages = calls('GET', '/crm/v3/objects/contacts');
		expect(pages.map((p) => [p.query.get('limit'), p.query.get('after')])).toEqual([
			['100', null],
			['100', Buffer.from('100').toString('base64')],
			['100', Buffer.from('200').toString('base64')],
		]);
		expect(execution.output['All Contacts'].map((c) => c.id)).toEqual(hs.contacts.map((c) => c.id));
		coverage.ran('contact:getAll');

		expect(calls('POST', '/crm/v3/objects/deals')[0].body).toEqual({
			properties: {
				dealname: 'Analytical Engine',
				amount: '5000',
				pipeline: 'default',
				dealstage: 'appointmentscheduled',
			},
		});
		const deal = hs.deals.at(-1)!;
		coverage.ran('deal:create');
		expect(calls('PATCH', `/crm/v3/objects/deals/${deal.id}`)[0].body).toEqual({
			properties: { dealstage: 'closedwon' },
		});
		expect(execution.output['Update Deal']).toEqual([
			expect.objectContaining({
				id: deal.id,
				properties: expect.objectContaining({ dealstage: 'closedwon', dealname: 'Analytical Engine' }),
			}),
		]);
		coverage.ran('deal:update');
		expect(calls('GET', '/crm/v3/objects/deals').map((r) => r.query.get('limit'))).toEqual(['1']);
		expect(execution.output['All Deals']).toEqual([expect.objectContaining({ id: hs.deals[0].id })]);
		coverage.ran('deal:getAll');
		expect(
			calls('GET', '/crm/v3/objects/deals/9001').map((r) => [
				r.query.get('properties'),
				r.query.get('associations'),
			]),
		).toEqual([['dealname,amount', 'contacts']]);
		expect(execution.output['Get Deal']).toEqual([
			expect.objectContaining({
				id: '9001',
				properties: { dealname: 'Initech renewal', amount: '1200' },
				associations: { contacts: { results: [{ id: '101', type: 'deal_to_contact' }] } },
			}),
		]);
		coverage.ran('deal:get');

		expect(calls('POST', '/marketing/v3/transactional/single-email/send')[0].body).toEqual({
			emailId: 4711,
			message: { to: 'ada@example.com' },
			customProperties: { deal: 'Analytical Engine' },
		});
		expect(execution.output['Send Email']).toEqual([expect.objectContaining({ status: 'PENDING' })]);
		coverage.ran('email:send');
	});

	it("OAuth2: the stored token is sent as Bearer and a 429 without Retry-After is backed off and retried; a token without the scope gets HubSpot's MISSING_SCOPES answer", async () => {
		hs.throttleNext(1);
		const execution = await run(
			hsNode('Get Contact', { resource: 'contact', operation: 'get', contactId: hs.contacts[0].id }, oauth),
			{
				...hsNode(
					'Create Deal',
					{ resource: 'deal', operation: 'create', propertiesDealname: 'No access' },
					{ rillsHubSpotApi: { id: 'hsNarrow', name: 'HubSpot narrow' } },
				),
				onError: 'continueRegularOutput',
			},
		);
		expect(execution.error).toBeUndefined();
		expect(execution.output['Get Contact']).toEqual([hs.contacts[0]]);
		const attempts = calls('GET', `/crm/v3/objects/contacts/${hs.contacts[0].id}`);
		expect(attempts).toHaveLength(2);
		expect(attempts.every((r) => r.headers.authorization === `Bearer ${oauthToken}`)).toBe(true);
		// The retry waited out the 2 s backoff instead of hammering the rolling window.
		expect(hs.violations).toEqual([]);

		expect(execution.output['Create Deal']).toEqual([
			{
				error: 'HubSpot refused access: "HubSpot narrow" lacks the permission or scope this operation needs',
				description: expect.stringContaining("This app hasn't been granted all required scopes"),
			},
		]);
		const [denied] = calls('POST', '/crm/v3/objects/deals');
		expect(denied.headers.authorization).toBe(`Bearer ${narrowToken}`);
	});
});

describe('webhook triggers', () => {
	const ids = {
		contactCreated: '0000c0c0c0c1',
		dealCreated: '0000c0c0c0c2',
		dealStageChanged: '0000c0c0c0c3',
	} as const;
	const events = {
		contactCreated: 'contact.creation',
		dealCreated: 'deal.creation',
		dealStageChanged: 'deal.dealstageChange',
	} as const;
	const workflows: Record<string, string> = {};
	const hook = (trigger: keyof typeof ids) =>
		`${server!.url}/webhook/4b5d0000-0000-4000-8000-${ids[trigger]}/webhook`;
	const executions = (trigger: string, count: number) => triggerExecutions(server!, workflows[trigger], count);
	const event = (subscriptionType: string, objectId: number, extra: Record<string, unknown> = {}) => ({
		eventId: objectId * 10,
		subscriptionId: 2201,
		portalId: 62515,
		appId: 1160452,
		occurredAt: Date.now(),
		subscriptionType,
		attemptNumber: 0,
		objectId,
		changeSource: 'CRM',
		...extra,
	});

	beforeAll(async () => {
		for (const trigger of Object.keys(ids) as Array<keyof typeof ids>) {
			workflows[trigger] = await n8n.importWorkflow({
				name: trigger,
				nodes: [
					{
						name: 'HubSpot Trigger',
						type: 'CUSTOM.hubSpotTrigger',
						webhookId: `4b5d0000-0000-4000-8000-${ids[trigger]}`,
						parameters: { authentication: 'apiKey', trigger, events: [events[trigger]] },
						credentials: privateApp,
					},
				],
				connections: {},
			});
		}
		server = await N8nServer.start(n8n);
		for (const workflow of Object.values(workflows)) await server.activate(workflow);
	});

	it('unsigned, wrongly signed and stale deliveries get 401 and start nothing', async () => {
		const batch = [event('contact.creation', 501)];
		// n8n registers a published workflow's webhooks in the background: 404 until then.
		await waitFor('the registered webhook', async () =>
			(await hs.deliver(hook('contactCreated'), batch, { signature: 'none' })).status === 401 ? true : undefined,
		);
		expect((await hs.deliver(hook('contactCreated'), batch, { signature: 'wrong' })).status).toBe(401);
		const stale = await hs.deliver(hook('contactCreated'), batch, { timestampMs: Date.now() - 10 * 60_000 });
		expect(stale.status).toBe(401);
		expect(stale.body).toContain('tolerance');
		expect(await server!.executions(workflows.contactCreated)).toEqual([]);
	});

	it('a signed batch starts each trigger with only the events it listens to, one item per event', async () => {
		const contact = event('contact.creation', 601);
		const deal = event('deal.creation', 9101);
		const stage = event('deal.propertyChange', 9001, { propertyName: 'dealstage', propertyValue: 'closedwon' });
		expect((await hs.deliver(hook('contactCreated'), [contact, deal])).status).toBe(200);
		expect((await hs.deliver(hook('dealCreated'), [deal, contact])).status).toBe(200);
		const amount = event('deal.propertyChange', 9001, { propertyName: 'amount', propertyValue: '7000' });
		expect((await hs.deliver(hook('dealStageChanged'), [amount, stage])).status).toBe(200);
		// A batch with nothing this trigger listens to (another property's change) is acknowledged and starts nothing.
		expect(JSON.parse((await hs.deliver(hook('dealStageChanged'), [amount, contact])).body)).toEqual({
			received: true,
			ignored: 2,
		});

		expect((await executions('contactCreated', 1)).map((e) => e.output['HubSpot Trigger'])).toEqual([[contact]]);
		coverage.ran('trigger:contactCreated');
		expect((await executions('dealCreated', 1)).map((e) => e.output['HubSpot Trigger'])).toEqual([[deal]]);
		coverage.ran('trigger:dealCreated');
		const stageRuns = await executions('dealStageChanged', 1);
		expect(stageRuns.map((e) => e.output['HubSpot Trigger'])).toEqual([[stage]]);
		coverage.ran('trigger:dealStageChanged');
	});

	it('no token or client secret appears in any log or execution', async () => {
		const stored = JSON.stringify(await Promise.all(Object.values(workflows).map((w) => server!.executions(w))));
		const all = [...runs.logs, server!.log, stored].join('\n');
		expect(runs.logs.length).toBe(2);
		for (const secret of [appToken, oauthToken, narrowToken, hs.client.secret]) expect(all).not.toContain(secret);
	});
});

describe('loaded options', () => {
	it('Pipeline loads the portal’s deal pipelines; Deal Stage loads the stages of the pipeline chosen', async () => {
		server ??= await N8nServer.start(n8n);
		const options = (methodName: string, additionalFields: Record<string, unknown> = {}, operation = 'create') =>
			server!.loadOptions({
				nodeType: 'CUSTOM.hubSpot',
				methodName,
				path: `additionalFields.${methodName}`,
				parameters: { authentication: 'apiKey', resource: 'deal', operation, additionalFields },
				credentials: privateApp,
			});
		expect(await options('propertiesPipeline')).toEqual([
			{ name: 'Sales Pipeline', value: 'default' },
			{ name: 'Renewals', value: '7654321' },
		]);
		expect(await options('propertiesDealstage', { propertiesPipeline: '7654321' }, 'update')).toEqual([
			{ name: 'Up for renewal', value: '1111' },
			{ name: 'Renewed', value: '2222' },
		]);
		expect((await options('propertiesDealstage', { propertiesPipeline: 'default' })).map((o) => o.value)).toEqual([
			'appointmentscheduled',
			'qualifiedtobuy',
			'closedwon',
			'closedlost',
		]);
		await expect(options('propertiesDealstage')).rejects.toThrow(/Choose \\"propertiesPipeline\\" first/);
		const reads = hs.requests.filter((r) => r.path.startsWith('/crm/v3/pipelines/deals'));
		expect(reads.map((r) => r.path)).toEqual([
			'/crm/v3/pipelines/deals',
			'/crm/v3/pipelines/deals/7654321/stages',
			'/crm/v3/pipelines/deals/default/stages',
		]);
		expect(reads.every((r) => r.headers.authorization === `Bearer ${appToken}`)).toBe(true);
	});
});

it('every action and trigger of the definition ran in n8n', () => {
	expect(coverage.missing()).toEqual([]);
});
