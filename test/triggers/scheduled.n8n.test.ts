/**
 * The Orbit CRM Scheduled Trigger inside a real n8n: it runs at the times of the cron schedule the
 * user set on the node (every 2 seconds here; the definition's default is every morning), never at
 * activation as a poller does, and emits only deals it has not emitted before.
 */
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer, type StoredExecution } from '../../scripts/harness/n8n-server';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';
import { waitFor } from './wait';

let orbit: OrbitCrmFake;
let instance: N8nInstance;
let n8n: N8nServer;
const workflows = { everyTwoSeconds: '', newYear: '' };

const dealRequests = (stage?: string) =>
	orbit.requests.filter(
		(r) => r.method === 'GET' && r.path === '/v2/deals' && (r.query.get('stage') ?? undefined) === stage,
	);
const emitted = (executions: StoredExecution[]) =>
	executions.map((e) => (e.output['Every Morning'] ?? []).map((d) => d.id));

function scheduled(name: string, schedule: string, additionalFields: Record<string, unknown> = {}) {
	return instance.importWorkflow({
		name,
		nodes: [
			{
				name: 'Every Morning',
				type: 'CUSTOM.orbitCrmScheduledTrigger',
				parameters: {
					authentication: 'oAuth2ClientCredentials',
					event: 'newDeal',
					schedule,
					firstPoll: 'latest',
					firstPollCount: 1,
					additionalFields,
				},
				credentials: { rillsOrbitCrmClientCredentialsOAuth2Api: { id: 'orbitApp', name: 'Orbit app' } },
			},
		],
		connections: {},
	});
}

beforeAll(async () => {
	orbit = await startOrbitCrm({ contactCount: 3 });
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
				scope: 'deals.read',
			},
		},
	]);
	workflows.everyTwoSeconds = await scheduled('Deals every 2 s', '*/2 * * * * *');
	// Only on 1 January: it must make no request while the test runs.
	workflows.newYear = await scheduled('Lost deals on New Year', '0 9 1 1 *', { stage: 'lost' });
	n8n = await N8nServer.start(instance);
});

afterAll(async () => {
	await n8n?.stop();
	instance?.dispose();
	await orbit?.close();
});

it('runs at the scheduled times only: the newest deal first, then only a deal added later; a New Year schedule makes no request on activation', async () => {
	await n8n.activate(workflows.newYear);
	await n8n.activate(workflows.everyTwoSeconds);
	const first = await waitFor('the first scheduled run', async () => {
		const found = await n8n.executions(workflows.everyTwoSeconds);
		return found.length >= 1 ? found : undefined;
	});
	expect(emitted(first)).toEqual([['d12']]);
	orbit.deals.push({ id: 'd13', stage: 'won', amount: 13_000 });
	const runsBefore = dealRequests().length;
	const both = await waitFor('a run that finds the new deal', async () => {
		const found = await n8n.executions(workflows.everyTwoSeconds);
		return found.length >= 2 ? found : undefined;
	});
	expect(emitted(both)).toEqual([['d12'], ['d13']]);
	expect(both.every((e) => e.status === 'success')).toBe(true);
	// Further runs find nothing new and start nothing.
	await waitFor('two more scheduled runs', () => (dealRequests().length >= runsBefore + 3 ? true : undefined));
	expect(await n8n.executions(workflows.everyTwoSeconds)).toHaveLength(2);
	// A poller would have listed deals at activation; this one waits for 1 January.
	expect(dealRequests('lost')).toEqual([]);
	expect(await n8n.executions(workflows.newYear)).toEqual([]);
	await n8n.deactivate(workflows.everyTwoSeconds);
	await n8n.deactivate(workflows.newYear);
});
