/**
 * Rate-limit status inside a real n8n, on Orbit CRM's declared 5 requests a second: Check reports
 * limit, remaining and reset counted in the node's window; a run that uses 80 % of it shows an
 * execution hint; a credential on another plan sets its own number, which the node paces to.
 */
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';

let n8n: N8nInstance;
let orbit: OrbitCrmFake;

const credential = (id: string) => ({ rillsOrbitCrmClientCredentialsOAuth2Api: { id, name: id } });
const orbitNode = (id: string, parameters: Record<string, unknown>): WorkflowNode => ({
	name: 'Orbit',
	type: 'CUSTOM.orbitCrm',
	parameters: { authentication: 'oAuth2ClientCredentials', ...parameters },
	credentials: credential(id),
});
const check = { resource: 'connection', operation: 'check' };
const listAll = { resource: 'contact', operation: 'getAll', returnAll: true };
const pages = () => orbit.requests.filter((r) => r.path === '/v2/contacts');

beforeAll(async () => {
	orbit = await startOrbitCrm({ contactCount: 330 });
	n8n = await N8nInstance.create();
	const data = { domain: orbit.url, clientId: orbit.client.id, clientSecret: orbit.client.secret };
	await n8n.importCredentials([
		{ id: 'standard', name: 'standard', type: 'rillsOrbitCrmClientCredentialsOAuth2Api', data },
		{
			id: 'onePerSecond',
			name: 'onePerSecond',
			type: 'rillsOrbitCrmClientCredentialsOAuth2Api',
			data: { ...data, rateLimit1s: 1 },
		},
		{
			id: 'twoPerSecond',
			name: 'twoPerSecond',
			type: 'rillsOrbitCrmClientCredentialsOAuth2Api',
			data: { ...data, rateLimit1s: 2 },
		},
	]);
});

afterAll(async () => {
	n8n?.dispose();
	await orbit?.close();
});

beforeEach(() => orbit.requests.splice(0));

it('Check reports the declared limit, what is left after its own request and when the window resets', async () => {
	const execution = await n8n.run([orbitNode('standard', check)]);
	const [report] = execution.output.Orbit;
	expect(report.status).toBe('ok');
	const rateLimit = report.rateLimit as { limit: number; remaining: number; resetAt: string; source: string };
	expect({ ...rateLimit, resetAt: undefined }).toEqual({
		limit: 5,
		remaining: 4,
		resetAt: undefined,
		source: 'declared',
	});
	const reset = Date.parse(rateLimit.resetAt) - Date.parse(String(report.checkedAt));
	expect(reset).toBeGreaterThan(0);
	expect(reset).toBeLessThanOrEqual(60_000);
});

it('a run that uses 80 % of the limit leaves an execution hint; one that uses 1 of 5 does not', async () => {
	// On a plan of 1 request a second, the run's own request uses it all (a 1 s window, so no more requests are
	// needed: how fast a loaded machine sends them does not matter).
	const get = { resource: 'contact', operation: 'get', contactId: 'c1' };
	const full = await n8n.run([orbitNode('onePerSecond', get)]);
	expect(full.error).toBeUndefined();
	expect(full.hints.Orbit).toEqual([
		expect.stringMatching(/^Orbit CRM rate limit nearly reached: 0 of 1 requests left until \d{4}-/),
	]);
	const single = await n8n.run([orbitNode('standard', get)]);
	expect(single.error).toBeUndefined();
	expect(single.hints.Orbit).toEqual([]);
});

it('a credential whose plan allows 2 requests a second is paced to 2, and Check says so', async () => {
	const execution = await n8n.run([orbitNode('twoPerSecond', listAll)]);
	expect(execution.error).toBeUndefined();
	const arrivals = pages().map((r) => r.receivedAt);
	expect(arrivals).toHaveLength(7);
	// Any three consecutive pages span at least the window (less the fake's clock tolerance).
	for (let i = 2; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 2]).toBeGreaterThanOrEqual(950);
	const [report] = (await n8n.run([orbitNode('twoPerSecond', check)])).output.Orbit;
	expect((report.rateLimit as { limit: number }).limit).toBe(2);
});
