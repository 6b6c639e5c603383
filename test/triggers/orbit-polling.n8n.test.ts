/**
 * The Orbit CRM Polling Trigger inside a real n8n: OAuth2 client credentials, cursor pagination
 * over seven pages per poll within the declared limit of 5 requests a second, a `since`
 * parameter, "emit the newest 2" on the first poll, and a 60 s lookback that catches a contact
 * the service makes visible late — across a restart of n8n.
 */
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer, type StoredExecution } from '../../scripts/harness/n8n-server';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';
import { waitFor } from './wait';

let orbit: OrbitCrmFake;
let instance: N8nInstance;
let n8n: N8nServer;
let workflow: string;

const listRequests = () => orbit.requests.filter((r) => r.method === 'GET' && r.path === '/v2/contacts');
const emitted = (executions: StoredExecution[]) =>
	executions.flatMap((e) => (e.output['Orbit Poll'] ?? []).map((c) => `${c.id}@${c.updatedAt}`));
const newest = () => Math.max(...orbit.contacts.map((c) => Date.parse(c.updatedAt)));

async function poll(start: () => Promise<void>, executions: number): Promise<StoredExecution[]> {
	const before = listRequests().length;
	await start();
	await waitFor(
		'a poll over every page',
		() => (listRequests().length >= before + Math.ceil(orbit.contacts.length / 50) ? true : undefined),
		120_000,
	);
	return await waitFor(`${executions} execution(s)`, async () => {
		const found = await n8n.executions(workflow);
		return found.length >= executions && found.every((e) => e.status === 'success') ? found : undefined;
	});
}

beforeAll(async () => {
	orbit = await startOrbitCrm({ contactCount: 330 });
	instance = await N8nInstance.create();
	await instance.importCredentials([
		{
			id: 'orbitApp',
			name: 'Orbit app',
			type: 'rillsOrbitCrmClientCredentialsOAuth2Api',
			data: {
				domain: orbit.url,
				clientId: orbit.client.id,
				clientSecret: orbit.client.secret,
				scope: 'contacts.read',
			},
		},
	]);
	workflow = await instance.importWorkflow({
		name: 'Orbit contact changes',
		nodes: [
			{
				name: 'Orbit Poll',
				type: 'CUSTOM.orbitCrmPollingTrigger',
				parameters: {
					authentication: 'oAuth2ClientCredentials',
					event: 'contactChanged',
					firstPoll: 'latest',
					firstPollCount: 2,
					pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
				},
				credentials: { rillsOrbitCrmClientCredentialsOAuth2Api: { id: 'orbitApp', name: 'Orbit app' } },
			},
		],
		connections: {},
	});
	n8n = await N8nServer.start(instance);
});

afterAll(async () => {
	await n8n?.stop();
	instance?.dispose();
	await orbit?.close();
});

it('the first poll reads all seven pages within the rate limit and emits the two newest contacts', async () => {
	const executions = await poll(() => n8n.activate(workflow), 1);
	expect(emitted(executions)).toEqual(
		['c329', 'c330'].map((id) => `${id}@${orbit.contacts.find((c) => c.id === id)!.updatedAt}`),
	);
	expect(orbit.violations).toEqual([]);
});

it('after a restart, the poll asks for changes since the watermark minus the lookback and emits a late contact, a new one and an update — once', async () => {
	const watermark = newest();
	orbit.contacts.push(
		{ id: 'c331', name: 'Late', email: 'late@example.com', updatedAt: new Date(watermark - 30_000).toISOString() },
		{ id: 'c332', name: 'New', email: 'new@example.com', updatedAt: new Date(watermark + 60_000).toISOString() },
	);
	orbit.contacts[4].updatedAt = new Date(watermark + 120_000).toISOString();
	const before = listRequests().length;
	const executions = await poll(() => n8n.restart(), 2);
	expect(emitted(executions.slice(1))).toEqual(
		['c331', 'c332', 'c5'].map((id) => `${id}@${orbit.contacts.find((c) => c.id === id)!.updatedAt}`),
	);
	const since = listRequests()[before].query.get('updated_since');
	expect(since).toBe(new Date(watermark - 60_000).toISOString());
	expect(orbit.violations).toEqual([]);
	const all = emitted(executions);
	expect(new Set(all).size).toBe(all.length);
});
