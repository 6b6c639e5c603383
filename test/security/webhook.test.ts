/**
 * Attacks by whoever calls a trigger's public webhook URL (see SECURITY.md, "Webhook caller").
 * The runtime's webhook handler is called directly; the Asana-style race runs create() against a
 * loopback service that sends its handshake while the subscription is being created.
 */
import { createHmac } from 'node:crypto';
import type { IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { receiveEvent, subscriptionMethods } from '../../nodes/shared/triggers/webhook';
import type { WebhookTriggerSpec } from '../../nodes/shared/triggers/types';
import { startFake, type FakeService } from '../fakes/server';
import { nodeContext, table, type Delivery, type Sent } from './context';

const SECRET = 'slack-signing-secret-0123456789';
const XSS = '<script>alert(document.cookie)</script>';
const now = () => Math.floor(Date.now() / 1000);

const slack: WebhookTriggerSpec = {
	displayName: 'Message',
	events: ['message'],
	eventPath: 'event.type',
	challenge: { path: 'challenge', typePath: 'type', type: 'url_verification' },
	signature: {
		...{ secret: 'credential', algorithm: 'sha256', encoding: 'hex', header: 'X-Slack-Signature', prefix: 'v0=' },
		...{ payload: 'v0:{timestamp}:{body}', timestampHeader: 'X-Slack-Request-Timestamp', toleranceSeconds: 300 },
	},
};
const slackSigned = (body: string, timestamp = now(), secret = SECRET) => ({
	'X-Slack-Request-Timestamp': String(timestamp),
	'X-Slack-Signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
});

const subscribe = {
	create: { method: 'POST' as const, path: '/webhooks', body: { target: '{url}', secret: '{secret}' }, idPath: 'id' },
	delete: { method: 'DELETE' as const, path: '/webhooks/{id}' },
};
const hmac = { algorithm: 'sha256', encoding: 'hex', payload: '{body}', toleranceSeconds: 300 } as const;
const acme: WebhookTriggerSpec = {
	displayName: 'Task',
	events: ['task.created'],
	eventPath: 'event',
	subscribe,
	challenge: { path: 'challenge', typePath: 'event', type: 'url_verification' },
	signature: { ...hmac, secret: 'generated', header: 'X-Acme-Signature', prefix: 'sha256=' },
};
const asana: WebhookTriggerSpec = {
	displayName: 'Task',
	events: ['changed'],
	subscribe: { ...subscribe, create: { ...subscribe.create, body: { target: '{url}' } } },
	challenge: { header: 'X-Hook-Secret' },
	signature: { ...hmac, secret: 'handshake', header: 'X-Hook-Signature' },
};
const GUID = 'X-GitHub-Delivery';
const github: WebhookTriggerSpec = {
	displayName: 'Push',
	events: ['push'],
	eventHeader: 'X-GitHub-Event',
	subscribe,
	signature: { ...hmac, secret: 'generated', header: 'X-Hub-Signature-256', prefix: 'sha256=', deliveryHeader: GUID },
};

const URL_ = 'https://n8n.example/webhook/abc';

async function deliver(trigger: WebhookTriggerSpec, delivery: Delivery, staticData: Record<string, unknown> = {}) {
	const credentials = { webhookSecret: SECRET };
	const options = { parameters: { events: ['*'] }, staticData, credentials, webhookUrl: URL_, delivery };
	const { context, sent } = nodeContext<IWebhookFunctions>(options);
	const result = await receiveEvent.call(context, table('http://127.0.0.1:9'), { t: trigger });
	return { result, sent };
}

const json = (value: unknown) => {
	const text = JSON.stringify(value);
	return { body: value, rawBody: Buffer.from(text), text };
};
const started = (result: IWebhookResponseData) => result.workflowData !== undefined;
/** What reaches the caller: the handler's own response, or the value n8n would send (a string as text/html). */
const answer = (result: IWebhookResponseData, sent: Sent): Sent =>
	result.noWebhookResponse ? sent : { body: result.webhookResponse, headers: { 'content-type': 'text/html' } };

describe('handshake challenges are never echoed as HTML', () => {
	it('a signed url_verification is answered as text/plain with nosniff', async () => {
		const { body, rawBody, text } = json({ type: 'url_verification', challenge: XSS });
		const { result, sent } = await deliver(slack, { body, rawBody, headers: slackSigned(text) });
		const got = answer(result, sent);
		expect(got.headers['content-type']).toMatch(/^text\/plain/);
		expect(got.headers['x-content-type-options']).toBe('nosniff');
		expect(got.body).toBe(XSS);
		expect(started(result)).toBe(false);
	});

	it('an unsigned url_verification of a service that signs its handshake (Slack) gets 401', async () => {
		const { body, rawBody } = json({ type: 'url_verification', challenge: XSS });
		const { result, sent } = await deliver(slack, { body, rawBody, headers: {} });
		expect(sent.status).toBe(401);
		expect(JSON.stringify(answer(result, sent).body)).not.toContain(XSS);
	});

	it('an unsigned handshake (Acme) outside a subscription in progress gets 401', async () => {
		const { body, rawBody } = json({ event: 'url_verification', challenge: XSS });
		const { result, sent } = await deliver(acme, { body, rawBody });
		expect(sent.status).toBe(401);
		expect(JSON.stringify(answer(result, sent).body)).not.toContain(XSS);
	});

	it('an Asana-style header handshake outside a subscription in progress gets 401 and no header back', async () => {
		const { result, sent } = await deliver(asana, { body: {}, headers: { 'X-Hook-Secret': 'attacker' } });
		expect(sent.status).toBe(401);
		expect(sent.headers['x-hook-secret']).toBeUndefined();
		expect(started(result)).toBe(false);
	});
});

describe('unsigned, wrongly signed and replayed deliveries get 401 and start nothing', () => {
	const event = json({ type: 'event_callback', event: { type: 'message', text: 'hi' } });

	it.each([
		['unsigned', {}],
		['wrongly signed', slackSigned(event.text, now(), 'not-the-secret')],
		['outside the timestamp window (a replay)', slackSigned(event.text, now() - 3600)],
	])('%s', async (_, headers) => {
		const { result, sent } = await deliver(slack, { body: event.body, rawBody: event.rawBody, headers });
		expect(sent.status).toBe(401);
		expect(started(result)).toBe(false);
	});

	it('a delivery id seen before (GitHub has no timestamp) is refused', async () => {
		const push = json({ ref: 'refs/heads/main' });
		const staticData = { secret: 'github-secret-0123456789' };
		const headers = {
			'X-GitHub-Event': 'push',
			'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
			'X-Hub-Signature-256': `sha256=${createHmac('sha256', staticData.secret).update(push.rawBody).digest('hex')}`,
		};
		const first = await deliver(github, { ...push, headers }, staticData);
		expect(started(first.result)).toBe(true);
		const replay = await deliver(github, { ...push, headers }, staticData);
		expect(replay.sent.status).toBe(401);
		expect(started(replay.result)).toBe(false);
		const withoutId = await deliver(
			github,
			{ ...push, headers: { ...headers, 'X-GitHub-Delivery': '' } },
			staticData,
		);
		expect(withoutId.sent.status).toBe(401);
	});
});

describe('the Asana-style header handshake during create()', () => {
	let service: FakeService;
	afterEach(() => service.close());

	it('cannot be raced by a second caller: the first secret is kept, the second caller gets 409', async () => {
		const staticData: Record<string, unknown> = {};
		const attempt = (secret: string) =>
			deliver(asana, { body: {}, headers: { 'X-Hook-Secret': secret } }, staticData);
		const answers: Array<number | undefined> = [];
		service = await startFake(async (req) => {
			if (req.method !== 'POST') return { status: 404 };
			// The service's handshake, then an attacker who saw the URL, both while the subscription is created.
			answers.push((await attempt('real-secret')).sent.status, (await attempt('attacker-secret')).sent.status);
			return { status: 201, body: { id: 'w1' } };
		});
		const options = { parameters: { events: ['changed'] }, staticData, webhookUrl: URL_ };
		const { context } = nodeContext<IHookFunctions>(options);
		await subscriptionMethods(table(service.url), { t: asana }).default.create.call(context);
		expect(answers).toEqual([200, 409]);
		expect(staticData.secret).toBe('real-secret');
	});
});
