/**
 * An OpenAPI webhook trigger inside a real n8n (see SECURITY.md, "Webhook caller"): a package
 * generated from a spec with 3.1 `webhooks`, loaded into n8n, its workflow published; deliveries
 * posted to n8n's webhook URL as an attacker and as the service would post them.
 */
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { buildPackage, freshFolder } from '../../scripts/harness/package-build';
import { importSpec } from '../../scripts/openapi/import';
import { waitFor } from '../triggers/wait';

const WEBHOOK_ID = '3f6d2a0e-1c4b-4b8e-9a57-0de000000001';
const SECRET = 'orders-signing-secret-5f1c0a';

let instance: N8nInstance;
let n8n: N8nServer;
let workflow: string;
let url: string;

beforeAll(async () => {
	const pkg = freshFolder('orders-webhooks');
	const spec = join(__dirname, 'fixtures', 'order-webhooks.yaml');
	buildPackage(pkg, (await importSpec(spec, {})).integration!, 'n8n-nodes-orders', 'order-webhooks.yaml');
	spawnSync(process.execPath, ['copy-assets.js'], { cwd: pkg });
	instance = await N8nInstance.create({ extensions: [join(pkg, 'dist')] });
	await instance.importCredentials([
		{ id: 'ordersApi', name: 'Orders', type: 'ordersOrdersApi', data: { server: 'http://127.0.0.1:9' } },
		{ id: 'ordersSecret', name: 'Orders secret', type: 'ordersWebhookSigningSecretApi', data: { secret: SECRET } },
	]);
	workflow = await instance.importWorkflow({
		name: 'Order events',
		nodes: [
			{
				name: 'Orders Trigger',
				type: 'CUSTOM.ordersTrigger',
				webhookId: WEBHOOK_ID,
				parameters: {
					events: ['orderCreated'],
					signatureHeader: 'X-Order-Signature',
					signaturePrefix: 'sha256=',
					timestampHeader: 'X-Order-Timestamp',
					signedPayload: '{timestamp}.{body}',
				},
				credentials: {
					ordersOrdersApi: { id: 'ordersApi', name: 'Orders' },
					ordersWebhookSigningSecretApi: { id: 'ordersSecret', name: 'Orders secret' },
				},
			},
		],
		connections: {},
	});
	n8n = await N8nServer.start(instance);
	await n8n.activate(workflow);
	url = `${n8n.url}/webhook/${WEBHOOK_ID}/webhook`;
	// Published once n8n serves the URL: until then it answers 404.
	await waitFor('the webhook', async () => ((await post(created, 'none')).status === 404 ? undefined : true));
});

afterAll(async () => {
	await n8n?.stop();
	instance?.dispose();
});

const now = () => Math.floor(Date.now() / 1000);
async function post(event: unknown, sign: { timestamp?: number; secret?: string } | 'none' = {}) {
	const body = JSON.stringify(event);
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (sign !== 'none') {
		const timestamp = String(sign.timestamp ?? now());
		const mac = createHmac('sha256', sign.secret ?? SECRET)
			.update(`${timestamp}.${body}`)
			.digest('hex');
		Object.assign(headers, { 'X-Order-Timestamp': timestamp, 'X-Order-Signature': `sha256=${mac}` });
	}
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, text: await response.text() };
}
const created = { type: 'order.created', order: { id: 'o1' } };

it('unsigned, wrongly signed and stale deliveries get 401; an event not picked is acknowledged; only a signed, picked one starts a run', async () => {
	expect((await post(created, 'none')).status).toBe(401);
	expect((await post(created, { secret: 'not-the-secret-000000' })).status).toBe(401);
	const stale = await post(created, { timestamp: now() - 3600 });
	expect(stale.status).toBe(401);
	expect(stale.text).toContain('tolerance');
	expect((await post({ type: 'order.cancelled', order: { id: 'o2' } })).status).toBe(200);
	expect((await post(created)).status).toBe(200);

	const executions = await waitFor('one finished execution', async () => {
		const all = await n8n.executions(workflow);
		return all.length >= 1 && all.every((e) => e.status !== 'running' && e.status !== 'new') ? all : undefined;
	});
	// The refused and ignored deliveries came first: a run they had started would be listed by now.
	expect(executions).toHaveLength(1);
	expect(executions[0].output['Orders Trigger']).toEqual([created]);
});

it('the signing secret is in the credential, not in the workflow or its static data', async () => {
	expect(JSON.stringify(await n8n.staticData(workflow))).not.toContain(SECRET);
});
