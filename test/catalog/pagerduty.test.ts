/**
 * PagerDuty inside a real n8n 2.41: every action with a REST API key (`Token token=`) and with a
 * scoped OAuth token, the v2 Accept header, the From header on writes, constant `type` fields,
 * offset pages ended by `more: false`, a 429 waited out, and the incident trigger: a v3 webhook
 * subscription created on publish whose PagerDuty-made secret verifies X-PagerDuty-Signature
 * (also during a secret rotation), deleted on unpublish.
 */
import { join } from 'node:path';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { pagerDutyThrottled, startPagerDuty, type PagerDutyFake } from '../fakes/pagerduty';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import {
	actionNodes,
	CatalogRun,
	type CredentialRef,
	importConnected,
	shutDown,
	triggerExecutions,
	webhookWorkflow,
} from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/PagerDuty/pagerDuty.integration.yaml'));
const CLIENT_SECRET = 'pagerduty-client-secret-0f4c';
const FROM = 'oncall@rills.example';

let pd: PagerDutyFake;
let catalog: CatalogRun;
let server: N8nServer | undefined;

const keyCredential = { rillsPagerDutyApi: { id: 'pdKey', name: 'PagerDuty key' } };
let readOnly: CredentialRef;
const node = actionNodes('CUSTOM.pagerDuty', { rillsPagerDutyApi: 'apiKey', rillsPagerDutyOAuth2Api: 'oAuth2' });
const pdNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = keyCredential) =>
	node(name, parameters, credentials);
const calls = (method: string, path: string) => pd.requests.filter((r) => r.method === method && r.path === path);

beforeAll(async () => {
	pd = await startPagerDuty();
	const token = pd.issueToken(['incidents.read']);
	catalog = await CatalogRun.create();
	catalog.secrets.push(pd.apiKey, token, CLIENT_SECRET);
	await catalog.n8n.importCredentials([
		{ id: 'pdKey', name: 'PagerDuty key', type: 'rillsPagerDutyApi', data: { apiUrl: pd.url, apiKey: pd.apiKey } },
	]);
	readOnly = await importConnected(catalog.n8n, {
		id: 'pdRead',
		type: 'rillsPagerDutyOAuth2Api',
		token,
		scopes: ['incidents.read'],
		data: { apiUrl: pd.url, clientId: 'rills-pd', clientSecret: CLIENT_SECRET },
	});
});

afterAll(() => shutDown(server, catalog, pd));

describe('actions', () => {
	it('creates an incident, acknowledges it, adds a note, resolves it and lists incidents over offset pages', async () => {
		const execution = await catalog.run(
			pdNode('Create', {
				resource: 'incident',
				operation: 'create',
				from: FROM,
				incidentTitle: 'Checkout error rate above 10 %',
				incidentServiceId: 'PSVC001',
				additionalFields: {
					incidentUrgency: 'high',
					incidentBodyDetails: 'p99 2.4 s',
					incidentIncidentKey: 'checkout-errors',
				},
			}),
			pdNode('Acknowledge', {
				resource: 'incident',
				operation: 'acknowledge',
				id: "={{ $('Create').item.json.id }}",
				from: FROM,
			}),
			pdNode('Note', {
				resource: 'incident',
				operation: 'addNote',
				id: "={{ $('Create').item.json.id }}",
				from: FROM,
				noteContent: 'Rolled back release 1.4',
			}),
			pdNode('Resolve', {
				resource: 'incident',
				operation: 'resolve',
				id: "={{ $('Create').item.json.id }}",
				from: FROM,
				additionalFields: { incidentResolution: 'Rollback' },
			}),
			pdNode('Incidents', {
				resource: 'incident',
				operation: 'getAll',
				returnAll: true,
				additionalFields: { statuses: ['triggered', 'acknowledged', 'resolved'], urgencies: ['high', 'low'] },
			}),
			pdNode('On-Call', {
				resource: 'onCall',
				operation: 'getAll',
				returnAll: true,
				additionalFields: { escalationPolicyIds: 'PPOL001', escalationLevels: 1, earliest: true },
			}),
		);
		expect(execution.error).toBeUndefined();

		const [create] = calls('POST', '/incidents');
		expect(create.headers).toMatchObject({
			authorization: `Token token=${pd.apiKey}`,
			accept: 'application/vnd.pagerduty+json;version=2',
			from: FROM,
		});
		expect(create.body).toEqual({
			incident: {
				type: 'incident',
				title: 'Checkout error rate above 10 %',
				service: { id: 'PSVC001', type: 'service_reference' },
				urgency: 'high',
				incident_key: 'checkout-errors',
				body: { details: 'p99 2.4 s', type: 'incident_body' },
			},
		});
		expect(execution.output.Create[0]).toMatchObject({
			id: 'PNEW241',
			status: 'triggered',
			title: 'Checkout error rate above 10 %',
		});
		coverage.ran('incident:create');

		const [ack, resolve] = calls('PUT', '/incidents/PNEW241');
		expect(ack.body).toEqual({ incident: { type: 'incident_reference', status: 'acknowledged' } });
		expect(execution.output.Acknowledge[0]).toMatchObject({ id: 'PNEW241', status: 'acknowledged' });
		coverage.ran('incident:acknowledge');
		expect(calls('POST', '/incidents/PNEW241/notes')[0]).toMatchObject({
			body: { note: { content: 'Rolled back release 1.4' } },
			headers: expect.objectContaining({ from: FROM }),
		});
		expect(execution.output.Note[0]).toMatchObject({ content: 'Rolled back release 1.4', incident: 'PNEW241' });
		coverage.ran('incident:addNote');
		expect(resolve.body).toEqual({
			incident: { type: 'incident_reference', status: 'resolved', resolution: 'Rollback' },
		});
		expect(execution.output.Resolve[0]).toMatchObject({ status: 'resolved', resolution: 'Rollback' });
		coverage.ran('incident:resolve');

		const pages = calls('GET', '/incidents');
		// 241 incidents: pages at offsets 0, 100 and 200, the last one saying more: false.
		expect(
			pages.map((r) => [
				r.query.get('offset'),
				r.query.get('limit'),
				r.query.getAll('statuses[]'),
				r.query.getAll('urgencies[]'),
			]),
		).toEqual(
			['0', '100', '200'].map((offset) => [
				offset,
				'100',
				['triggered', 'acknowledged', 'resolved'],
				['high', 'low'],
			]),
		);
		expect(execution.output.Incidents.map((i) => i.id)).toEqual(pd.incidents.map((i) => i.id));
		coverage.ran('incident:getAll');

		const [onCalls] = calls('GET', '/oncalls');
		expect(Object.fromEntries(onCalls.query)).toEqual({
			offset: '0',
			limit: '100',
			'escalation_policy_ids[]': 'PPOL001',
			'escalation_levels[]': '1',
			earliest: 'true',
			'include[]': 'users',
		});
		expect(execution.output['On-Call']).toEqual([
			expect.objectContaining({
				escalation_policy: expect.objectContaining({ id: 'PPOL001', type: 'escalation_policy_reference' }),
				escalation_level: 1,
				user: expect.objectContaining({ id: 'PUSR001', type: 'user', email: pd.people[0].email }),
			}),
		]);
		coverage.ran('onCall:getAll');
	});

	it('OAuth2 sends a Bearer token; a token with incidents.read only fails a write before PagerDuty is called; a 429 waits for ratelimit-reset', async () => {
		pd.throttle.next(1, pagerDutyThrottled(1));
		const read = await catalog.run(
			pdNode(
				'Incidents',
				{
					resource: 'incident',
					operation: 'getAll',
					returnAll: false,
					limit: 3,
					// By URL: the ID is read from the service's page; Create above holds a plain ID.
					additionalFields: {
						serviceIds: {
							__rl: true,
							mode: 'url',
							value: 'https://rills.pagerduty.com/service-directory/PSVC002/activity',
						},
					},
				},
				readOnly,
			),
		);
		expect(read.error).toBeUndefined();
		expect(read.output.Incidents.map((i) => i.id)).toEqual(['PINC0001', 'PINC0005', 'PINC0009']);
		const [throttled, retried] = calls('GET', '/incidents').slice(-2);
		expect(retried.receivedAt - throttled.receivedAt).toBeGreaterThanOrEqual(950);
		expect(retried.headers.authorization).toMatch(/^Bearer pdus\+_/);
		expect(Object.fromEntries(retried.query)).toEqual({ offset: '0', limit: '3', 'service_ids[]': 'PSVC002' });
		const before = pd.requests.length;
		const denied = await catalog.run(
			pdNode(
				'Note',
				{ resource: 'incident', operation: 'addNote', id: 'PINC0001', from: FROM, noteContent: 'x' },
				readOnly,
			),
		);
		expect(denied.error?.message).toBe(
			'"pdRead" was not granted the scope incidents.write that this operation needs',
		);
		expect(pd.requests).toHaveLength(before);
		// PagerDuty's own refusal: From must be a user of the account.
		const stranger = await catalog.run(
			pdNode('Acknowledge', {
				resource: 'incident',
				operation: 'acknowledge',
				id: 'PINC0001',
				from: 'someone@else.example',
			}),
		);
		expect(stranger.error?.message).toBe('PagerDuty rejected the request (400)');
		expect(stranger.error?.description).toContain('Invalid Input Provided');
	});
});

describe('trigger: v3 webhook subscription', () => {
	const webhookId = '9e3f0000-0000-4000-8000-0000000000d1';
	let workflow: string;

	beforeAll(async () => {
		workflow = await webhookWorkflow(catalog.n8n, 'PagerDuty incidents', {
			name: 'PagerDuty Trigger',
			type: 'CUSTOM.pagerDutyTrigger',
			webhookId,
			parameters: { authentication: 'apiKey', events: ['incident.triggered', 'incident.resolved'] },
			credentials: keyCredential,
		});
		server = await N8nServer.start(catalog.n8n);
	});

	it('publishing subscribes the account to the picked events; PagerDuty’s secret verifies signed deliveries, also during rotation; unsigned and wrongly signed ones get 401', async () => {
		await server!.activate(workflow);
		const subscription = await waitFor('the subscription', () => pd.created[0]);
		catalog.secrets.push(subscription.secret);
		expect(calls('POST', '/webhook_subscriptions')[0].body).toEqual({
			webhook_subscription: {
				type: 'webhook_subscription',
				description: 'n8n workflow',
				delivery_method: { type: 'http_delivery_method', url: `${server!.url}/webhook/${webhookId}/webhook` },
				events: ['incident.triggered', 'incident.resolved'],
				filter: { type: 'account_reference' },
			},
		});
		const triggered = {
			id: 'PNEW241',
			type: 'incident',
			title: 'Checkout error rate above 10 %',
			status: 'triggered',
			urgency: 'high',
		};
		const resolved = { ...triggered, status: 'resolved' };
		expect(await pd.deliver(subscription, 'incident.triggered', triggered, 'none')).toMatchObject({ status: 401 });
		expect(await pd.deliver(subscription, 'incident.triggered', triggered, 'wrong')).toMatchObject({ status: 401 });
		expect(await pd.deliver(subscription, 'incident.triggered', triggered)).toMatchObject({ status: 200 });
		expect(await pd.deliver(subscription, 'incident.acknowledged', triggered)).toBe('skipped');
		expect(await pd.deliver(subscription, 'incident.resolved', resolved, 'rotating')).toMatchObject({
			status: 200,
		});
		const executions = await triggerExecutions(server!, workflow, 2);
		expect(
			executions.map(
				(e) => (e.output['PagerDuty Trigger'][0].event as { event_type: string; data: unknown }).event_type,
			),
		).toEqual(['incident.triggered', 'incident.resolved']);
		expect((executions[0].output['PagerDuty Trigger'][0].event as { data: unknown }).data).toEqual(triggered);
		coverage.ran('trigger:incidentEvent');
	});

	it('unpublishing deletes the subscription; no key, token or secret appears in any log or execution', async () => {
		const id = pd.created[0].id;
		await server!.deactivate(workflow);
		await waitFor('the subscription to be deleted', () => (pd.subscriptions.size === 0 ? true : undefined));
		expect(calls('DELETE', `/webhook_subscriptions/${id}`)).toHaveLength(1);
		const stored = JSON.stringify(await server!.executions(workflow));
		expect(catalog.leaks([server!.log, stored])).toEqual([]);
	});
});

describe('pickers', () => {
	it('Service pages the account’s services by offset and searches them with PagerDuty’s query', async () => {
		server ??= await N8nServer.start(catalog.n8n);
		const services = (more: { filter?: string; paginationToken?: string } = {}) =>
			server!.listSearch({
				nodeType: 'CUSTOM.pagerDuty',
				methodName: 'incidentServiceId',
				path: 'incidentServiceId',
				parameters: { authentication: 'apiKey', resource: 'incident', operation: 'create' },
				credentials: keyCredential,
				...more,
			});
		const first = await services();
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({ name: 'Checkout API', value: 'PSVC001' });
		expect(first.paginationToken).toBe('100');
		const second = await services({ paginationToken: first.paginationToken });
		expect(second.results.map((s) => s.value)).toEqual(
			Array.from({ length: 20 }, (_, i) => `PSVC${String(i + 101).padStart(3, '0')}`),
		);
		expect(second.paginationToken).toBeUndefined();
		expect((await services({ filter: 'pay' })).results).toEqual([{ name: 'Payments', value: 'PSVC002' }]);
		const listed = calls('GET', '/services');
		expect(listed.map((r) => [r.query.get('offset'), r.query.get('limit'), r.query.get('query')])).toEqual([
			['0', '100', null],
			['100', '100', null],
			['0', '100', 'pay'],
		]);
		expect(listed.every((r) => r.headers.authorization === `Token token=${pd.apiKey}`)).toBe(true);
		expect(listed.every((r) => r.headers.accept === 'application/vnd.pagerduty+json;version=2')).toBe(true);
	});
});

it('ran every action and trigger of the definition', () => {
	expect(coverage.missing()).toEqual([]);
});
