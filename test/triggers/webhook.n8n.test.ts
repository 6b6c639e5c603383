/**
 * Webhook triggers inside a real n8n (`n8n start`): the Acme Tasks Trigger subscribes on
 * activation and unsubscribes on deactivation; only correctly signed, fresh deliveries of picked
 * events start executions. The Custom Webhook trigger verifies a Stripe-style signature.
 */
import { createHmac } from 'node:crypto';
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startAcmeEvents, type AcmeEvents } from './acme-events';
import { waitFor } from './wait';

const CUSTOM_SECRET = 'custom-signing-secret-7d21e9';

let acme: AcmeEvents;
let instance: N8nInstance;
let n8n: N8nServer;
let acmeWorkflow: string;
let customWorkflow: string;
let projectWorkflow: string;

beforeAll(async () => {
	acme = await startAcmeEvents();
	instance = await N8nInstance.create();
	await instance.importCredentials([
		{ id: 'acmeKey', name: 'Acme key', type: 'rillsAcmeTasksApi', data: { server: acme.url, apiKey: acme.apiKey } },
		{
			id: 'customSecret',
			name: 'Custom secret',
			type: 'rillsWebhookSigningSecretApi',
			data: { secret: CUSTOM_SECRET },
		},
	]);
	acmeWorkflow = await instance.importWorkflow({
		name: 'Acme task events',
		nodes: [
			{
				name: 'Acme Trigger',
				type: 'CUSTOM.acmeTasksTrigger',
				webhookId: '3f6d2a0e-1c4b-4b8e-9a57-acme00000001',
				parameters: { events: ['task.created', 'task.completed'] },
				credentials: { rillsAcmeTasksApi: { id: 'acmeKey', name: 'Acme key' } },
			},
		],
		connections: {},
	});
	projectWorkflow = await instance.importWorkflow({
		name: 'Acme project events',
		nodes: [
			{
				name: 'Project Trigger',
				type: 'CUSTOM.acmeTasksTrigger',
				webhookId: '3f6d2a0e-1c4b-4b8e-9a57-acme00000002',
				parameters: { trigger: 'projectEvent', events: ['project.created'] },
				credentials: { rillsAcmeTasksApi: { id: 'acmeKey', name: 'Acme key' } },
			},
		],
		connections: {},
	});
	customWorkflow = await instance.importWorkflow({
		name: 'Custom webhook',
		nodes: [
			{
				name: 'Custom Webhook',
				type: 'CUSTOM.customWebhookTrigger',
				webhookId: '3f6d2a0e-1c4b-4b8e-9a57-custom000001',
				parameters: {
					verification: 'hmac',
					signatureHeader: 'Stripe-Signature',
					headerFormat: 'keyValue',
					signedPayload: '{timestamp}.{body}',
				},
				credentials: { rillsWebhookSigningSecretApi: { id: 'customSecret', name: 'Custom secret' } },
			},
		],
		connections: {},
	});
	n8n = await N8nServer.start(instance);
});

afterAll(async () => {
	await n8n?.stop();
	instance?.dispose();
	await acme?.close();
});

const subscription = () => [...acme.subscriptions.values()][0];
/**
 * All of the workflow's executions, once there are at least `count` and none is still running (a running one has no
 * output yet).
 */
const settled = (workflowId: string, count: number) =>
	waitFor(`${count} finished execution(s)`, async () => {
		const all = await n8n.executions(workflowId);
		return all.length >= count && all.every((e) => e.status !== 'running' && e.status !== 'new') ? all : undefined;
	});

describe('Acme Tasks Trigger', () => {
	it('activating the workflow creates exactly one subscription, for the picked events, pointing at n8n', async () => {
		await n8n.activate(acmeWorkflow);
		await waitFor('the subscription', () => acme.created[0]);
		expect(acme.created).toHaveLength(1);
		expect(acme.subscriptions.size).toBe(1);
		expect(subscription().events).toEqual(['task.created', 'task.completed']);
		expect(subscription().url.startsWith(`${n8n.url}/webhook/`)).toBe(true);
		// The service's handshake was answered with its challenge and started no execution.
		expect(acme.challenges).toEqual([expect.objectContaining({ status: 200, echoed: true })]);
		expect(await n8n.executions(acmeWorkflow)).toEqual([]);
	});

	it('unsigned, wrongly signed and replayed deliveries get 401 and start nothing; a signed one starts exactly one execution', async () => {
		const event = { event: 'task.created', task: { id: 't9', title: 'Ship triggers' } };
		expect((await acme.deliver(subscription(), event, { signature: 'none' })).status).toBe(401);
		expect((await acme.deliver(subscription(), event, { signature: 'wrong' })).status).toBe(401);
		const replayed = await acme.deliver(subscription(), event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
		expect(replayed.status).toBe(401);
		expect(replayed.body).toContain('tolerance');
		expect((await acme.deliver(subscription(), event)).status).toBe(200);

		const executions = await settled(acmeWorkflow, 1);
		expect(executions).toHaveLength(1);
		expect(executions[0].output['Acme Trigger']).toEqual([event]);
	});

	it('a signed delivery of an event the user did not pick is acknowledged and starts nothing', async () => {
		const before = (await n8n.executions(acmeWorkflow)).length;
		const ignored = await acme.deliver(subscription(), { event: 'task.deleted', task: { id: 't1' } });
		expect(ignored.status).toBe(200);
		const picked = { event: 'task.completed', task: { id: 't2' } };
		expect((await acme.deliver(subscription(), picked)).status).toBe(200);
		const executions = await settled(acmeWorkflow, before + 1);
		expect(executions.slice(before).map((e) => e.output['Acme Trigger'])).toEqual([[picked]]);
	});

	it('renews the expiring subscription before it lapses: on deliveries within 10 minutes of expiry, and on Acme’s expiry notice, which starts nothing', async () => {
		// Acme subscriptions last 8 minutes, inside the definition's 10-minute renewal window, so the deliveries above
		// renewed.
		expect(acme.renewals.length).toBeGreaterThanOrEqual(1);
		const executions = (await n8n.executions(acmeWorkflow)).length;
		const renewals = acme.renewals.length;
		expect(
			(await acme.deliver(subscription(), { event: 'subscription.expiring', subscription: subscription().id }))
				.status,
		).toBe(200);
		expect(acme.renewals).toHaveLength(renewals + 1);
		expect(acme.renewals.every((r) => r.id === subscription().id && !r.lapsed)).toBe(true);
		expect(
			(await acme.deliver(subscription(), { event: 'subscription.expiring' }, { signature: 'wrong' })).status,
		).toBe(401);
		expect(acme.renewals).toHaveLength(renewals + 1);
		expect(await n8n.executions(acmeWorkflow)).toHaveLength(executions);
	});

	it('after an n8n restart the subscription is neither lost nor duplicated: signed events still verify and renew it', async () => {
		const renewals = acme.renewals.length;
		const before = (await n8n.executions(acmeWorkflow)).length;
		await n8n.restart();
		const event = { event: 'task.completed', task: { id: 't3' } };
		const delivered = await waitFor('the webhook after the restart', async () => {
			const response = await acme.deliver(subscription(), event);
			return response.status === 404 ? undefined : response;
		});
		expect(delivered.status).toBe(200);
		const executions = await settled(acmeWorkflow, before + 1);
		expect(executions.slice(before).map((e) => e.output['Acme Trigger'])).toEqual([[event]]);
		expect(acme.created).toHaveLength(1);
		expect(acme.renewals.length).toBeGreaterThan(renewals);
		expect(acme.renewals.every((r) => !r.lapsed)).toBe(true);
	});

	it('deactivating the workflow deletes the subscription', async () => {
		const id = subscription().id;
		await n8n.deactivate(acmeWorkflow);
		await waitFor('the unsubscribe', () => (acme.subscriptions.size === 0 ? true : undefined));
		expect(acme.created).toHaveLength(1);
		expect(acme.requests.some((r) => r.method === 'DELETE' && r.path === `/api/v1/webhooks/${id}`)).toBe(true);
	});

	it('no webhook secret, API key or signing secret appears in n8n’s log or the executions', async () => {
		const stored = JSON.stringify(await n8n.executions(acmeWorkflow));
		for (const secret of [acme.created[0].secret, acme.apiKey]) {
			expect(n8n.log).not.toContain(secret);
			expect(stored).not.toContain(secret);
		}
	});
});

describe('Acme Tasks Trigger, second trigger: a signing secret the service makes', () => {
	it('subscribes, reads the secret from the response, verifies t=…,v1=… SHA-512/base64 signatures with it, and unsubscribes', async () => {
		await n8n.activate(projectWorkflow);
		const hook = await waitFor('the project hook', () => [...acme.projectHooks.values()][0]);
		expect(hook.events).toEqual(['project.created']);
		const event = { event: 'project.created', project: { id: 'p1', name: 'Launch' } };
		expect((await acme.deliverProject(hook, event, 'a-secret-acme-never-issued')).status).toBe(401);
		expect((await acme.deliverProject(hook, event)).status).toBe(200);
		const executions = await settled(projectWorkflow, 1);
		expect(executions.map((e) => e.output['Project Trigger'])).toEqual([[event]]);
		await n8n.deactivate(projectWorkflow);
		await waitFor('the project hook to be deleted', () => (acme.projectHooks.size === 0 ? true : undefined));
		expect(n8n.log).not.toContain(hook.secret);
	});
});

describe('Custom Webhook Trigger', () => {
	const post = async (body: string, signature?: string) => {
		const response = await fetch(`${n8n.url}/webhook/3f6d2a0e-1c4b-4b8e-9a57-custom000001/events`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
			body,
		});
		return response.status;
	};

	it('receives and verifies a t=…,v1=… signed event; unsigned and stale ones get 401', async () => {
		await n8n.activate(customWorkflow);
		const body = JSON.stringify({ type: 'invoice.paid', amount: 4200 });
		// Publishing registers the webhook in the background; until then n8n answers 404.
		await waitFor('the webhook to be registered', async () => ((await post(body)) === 404 ? undefined : true));
		const now = Math.floor(Date.now() / 1000);
		const sign = (t: number) =>
			`t=${t},v1=${createHmac('sha256', CUSTOM_SECRET).update(`${t}.${body}`).digest('hex')}`;
		expect(await post(body)).toBe(401);
		expect(await post(body, sign(now - 900))).toBe(401);
		expect(await post(body, `t=${now},v1=${'0'.repeat(64)}`)).toBe(401);
		expect(await post(body, sign(now))).toBe(200);
		const executions = await settled(customWorkflow, 1);
		expect(executions).toHaveLength(1);
		expect(executions[0].output['Custom Webhook']).toEqual([{ type: 'invoice.paid', amount: 4200 }]);
	});
});
