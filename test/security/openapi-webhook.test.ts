/**
 * Webhook triggers generated from OpenAPI `webhooks` and callbacks (see SECURITY.md, "Webhook
 * caller"): the spec says neither how deliveries are signed nor how to subscribe, so the user
 * describes the signature in the node and keeps the secret in the signing-secret credential. The
 * trigger is generated from a spec here and its webhook called as n8n calls it.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { INodeType, INodeTypeDescription, IWebhookFunctions } from 'n8n-workflow';
import { namespaceOf } from '../../scripts/emit/names';
import { emitTriggers } from '../../scripts/emit/trigger';
import { evaluateModule } from '../../scripts/openapi/evaluate';
import { importSpec } from '../../scripts/openapi/import';
import { nodeContext, type Delivery } from './context';

const SECRET = 'orders-signing-secret-5f1c0a';
const NS = namespaceOf('n8n-nodes-orders');
const now = () => Math.floor(Date.now() / 1000);

async function generated(fixture: string) {
	const { integration } = await importSpec(fixture, {});
	const files = emitTriggers(integration!, 'spec.yaml', { light: 'a.svg', dark: 'a.svg' }, NS);
	const node = evaluateModule<INodeType>(files.find((f) => f.path.endsWith('Trigger.node.ts'))!.content);
	return { node, files };
}
let orders: Awaited<ReturnType<typeof generated>>;
let hooks: Awaited<ReturnType<typeof generated>>;
beforeAll(async () => {
	orders = await generated(join(__dirname, 'fixtures', 'order-webhooks.yaml'));
	hooks = await generated(join(__dirname, '..', 'openapi', 'fixtures', 'webhooks-only.yaml'));
});

/** The node's parameters as n8n hands them over: its defaults, then what the user set. */
function parameters(description: INodeTypeDescription, set: Record<string, unknown>) {
	return { ...Object.fromEntries(description.properties.map((p) => [p.name, p.default])), ...set };
}

const SIGNED = { signatureHeader: 'X-Order-Signature', signaturePrefix: 'sha256=' };
const sign = (text: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;
const json = (value: unknown) => ({ body: value, rawBody: Buffer.from(JSON.stringify(value)) });
const created = { type: 'order.created', order: { id: 'o1' } };

async function deliver(
	node: INodeType,
	set: Record<string, unknown>,
	delivery: Delivery,
	staticData: Record<string, unknown> = {},
) {
	const options = {
		parameters: parameters(node.description, set),
		credentials: { secret: SECRET },
		staticData,
		webhookUrl: 'https://n8n.example/webhook/orders',
		delivery,
	};
	const { context, sent } = nodeContext<IWebhookFunctions>(options);
	const result = await node.webhook!.call(context);
	return { started: result.workflowData !== undefined, result, sent };
}

describe('an OpenAPI webhook trigger verifies the signature the user configures', () => {
	it('an unsigned delivery gets 401 and starts nothing', async () => {
		const { started, sent } = await deliver(orders.node, SIGNED, json(created));
		expect(started).toBe(false);
		expect(sent.status).toBe(401);
	});

	it('a wrongly signed delivery gets 401 and starts nothing', async () => {
		const delivery = json(created);
		const headers = { 'X-Order-Signature': sign(delivery.rawBody.toString(), 'not-the-secret-0000') };
		const { started, sent } = await deliver(orders.node, SIGNED, { ...delivery, headers });
		expect(started).toBe(false);
		expect(sent.status).toBe(401);
	});

	it('a correctly signed delivery starts the workflow, whatever algorithm, encoding and prefix the user sets', async () => {
		for (const [algorithm, encoding, prefix] of [
			['sha256', 'hex', 'sha256='],
			['sha1', 'hex', 'sha1='],
			['sha512', 'base64', ''],
		] as const) {
			const delivery = json(created);
			const mac = createHmac(algorithm, SECRET).update(delivery.rawBody).digest(encoding);
			const set = { signatureHeader: 'X-Sig', signaturePrefix: prefix, algorithm, encoding };
			const signed = await deliver(orders.node, set, { ...delivery, headers: { 'X-Sig': prefix + mac } });
			expect(signed.started).toBe(true);
			const wrongAlgorithm = { ...set, algorithm: algorithm === 'sha1' ? 'sha256' : 'sha1' };
			const mismatch = await deliver(orders.node, wrongAlgorithm, {
				...delivery,
				headers: { 'X-Sig': prefix + mac },
			});
			expect([mismatch.started, mismatch.sent.status]).toEqual([false, 401]);
		}
	});

	it('a delivery replayed outside the timestamp window gets 401', async () => {
		const set = { ...SIGNED, timestampHeader: 'X-Order-Timestamp', signedPayload: '{timestamp}.{body}' };
		const delivery = json(created);
		const at = (t: number) => ({
			...delivery,
			headers: { 'X-Order-Timestamp': String(t), 'X-Order-Signature': sign(`${t}.${delivery.rawBody}`) },
		});
		expect((await deliver(orders.node, set, at(now()))).started).toBe(true);
		const stale = await deliver(orders.node, set, at(now() - 3600));
		expect([stale.started, stale.sent.status]).toEqual([false, 401]);
		expect(stale.sent.body).toMatchObject({ reason: expect.stringContaining('tolerance') });
	});

	it('a delivery id seen before gets 401 (services that sign no timestamp)', async () => {
		const set = { ...SIGNED, deliveryHeader: 'X-Delivery' };
		const delivery = json(created);
		const headers = { 'X-Order-Signature': sign(delivery.rawBody.toString()), 'X-Delivery': 'd-1' };
		const staticData = {};
		expect((await deliver(orders.node, set, { ...delivery, headers }, staticData)).started).toBe(true);
		const replay = await deliver(orders.node, set, { ...delivery, headers }, staticData);
		expect([replay.started, replay.sent.status]).toEqual([false, 401]);
	});

	it('a callback trigger alike: an unsigned delivery gets 401', async () => {
		const callbacks = await generated(join(__dirname, '..', 'openapi', 'fixtures', 'callbacks.yaml'));
		const { started, sent } = await deliver(callbacks.node, {}, json({ status: 'done' }));
		expect([started, sent.status]).toEqual([false, 401]);
	});

	it('running unsigned is an explicit choice, with a warning in the node panel', async () => {
		const props = orders.node.description.properties;
		expect(props.find((p) => p.name === 'verification')).toMatchObject({
			displayName: 'Verify Signature',
			default: 'hmac',
		});
		const notice = props.find((p) => p.type === 'notice');
		expect(notice?.displayOptions?.show).toEqual({ verification: ['none'] });
		const unsigned = await deliver(orders.node, { verification: 'none' }, json(created));
		expect(unsigned.started).toBe(true);
	});
});

describe('an OpenAPI webhook trigger honours the events the user picked', () => {
	const signed = (value: unknown, headers: Record<string, string> = {}) => {
		const delivery = json(value);
		return { ...delivery, headers: { ...headers, 'X-Order-Signature': sign(delivery.rawBody.toString()) } };
	};

	it('where the spec names the event (a constant `type`), an event not picked is acknowledged and starts nothing', async () => {
		const set = { ...SIGNED, events: ['orderCreated'] };
		const cancelled = await deliver(orders.node, set, signed({ type: 'order.cancelled', order: { id: 'o1' } }));
		expect(cancelled.started).toBe(false);
		expect(cancelled.result.webhookResponse).toMatchObject({ received: true });
		expect((await deliver(orders.node, set, signed(created))).started).toBe(true);
	});

	it('where it does not, the user says where deliveries name their event (a header here)', async () => {
		const set = { ...SIGNED, events: ['order.created'], eventIn: 'header', eventName: 'X-Event' };
		const cancelled = await deliver(hooks.node, set, signed({ id: 'o1' }, { 'X-Event': 'order.cancelled' }));
		expect(cancelled.started).toBe(false);
		expect(cancelled.result.webhookResponse).toMatchObject({ received: true });
		expect((await deliver(hooks.node, set, signed({ id: 'o1' }, { 'X-Event': 'order.created' }))).started).toBe(
			true,
		);
	});
});

describe('the signing secret lives in a credential, not in workflow static data', () => {
	it('the trigger asks for the namespaced signing-secret credential, and the package has its class', () => {
		const credentials = orders.node.description.credentials?.map((c) => c.name);
		expect(credentials).toContain('ordersWebhookSigningSecretApi');
		const credential = orders.files.find(
			(f) => f.path === 'credentials/OrdersWebhookSigningSecretApi.credentials.ts',
		);
		expect(credential?.content).toContain('password: true');
	});

	it('a verified delivery leaves no secret in static data', async () => {
		const staticData: Record<string, unknown> = {};
		const delivery = json(created);
		const headers = { 'X-Order-Signature': sign(delivery.rawBody.toString()), 'X-Delivery': 'd-2' };
		const set = { ...SIGNED, deliveryHeader: 'X-Delivery' };
		expect((await deliver(orders.node, set, { ...delivery, headers }, staticData)).started).toBe(true);
		expect(JSON.stringify(staticData)).not.toContain(SECRET);
	});
});
