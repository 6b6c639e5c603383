/**
 * The reflected-XSS attack as n8n itself serves the answer (see SECURITY.md, "Webhook caller"):
 * a handshake challenge must never come back from the n8n origin as a page a browser renders.
 */
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startAcmeEvents, type AcmeEvents } from '../triggers/acme-events';
import { waitFor } from '../triggers/wait';

const WEBHOOK_ID = '3f6d2a0e-1c4b-4b8e-9a57-5ec000000001';
const XSS = '<script>alert(document.domain)</script>';

let acme: AcmeEvents;
let instance: N8nInstance;
let n8n: N8nServer;

beforeAll(async () => {
	acme = await startAcmeEvents();
	instance = await N8nInstance.create();
	const data = { server: acme.url, apiKey: acme.apiKey };
	await instance.importCredentials([{ id: 'acmeKey', name: 'Acme key', type: 'rillsAcmeTasksApi', data }]);
	const workflow = await instance.importWorkflow({
		name: 'Acme task events',
		nodes: [
			{
				name: 'Acme Trigger',
				type: 'CUSTOM.acmeTasksTrigger',
				webhookId: WEBHOOK_ID,
				parameters: { events: ['task.created'] },
				credentials: { rillsAcmeTasksApi: { id: 'acmeKey', name: 'Acme key' } },
			},
		],
		connections: {},
	});
	n8n = await N8nServer.start(instance);
	await n8n.activate(workflow);
	await waitFor('the subscription', () => acme.created[0]);
});

afterAll(async () => {
	await n8n?.stop();
	instance?.dispose();
	await acme?.close();
});

it("the service's handshake is answered as text/plain with nosniff", () => {
	expect(acme.challenges).toHaveLength(1);
	expect(acme.challenges[0]).toMatchObject({ status: 200, echoed: true });
	expect(acme.challenges[0].headers['content-type']).toMatch(/^text\/plain/);
	expect(acme.challenges[0].headers['x-content-type-options']).toBe('nosniff');
});

it("an attacker's handshake posted later gets 401, and its challenge is not in the answer", async () => {
	const body = JSON.stringify({ event: 'url_verification', challenge: XSS });
	const headers = { 'content-type': 'application/json' };
	const response = await fetch(acme.created[0].url, { method: 'POST', headers, body });
	expect(response.status).toBe(401);
	expect(response.headers.get('content-type')).not.toMatch(/html/);
	expect(await response.text()).not.toContain(XSS);
});
