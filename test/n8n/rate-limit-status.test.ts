/**
 * Rate-limit status inside a real n8n, on Orbit CRM's declared 5 requests a second: Check reports
 * limit, remaining and reset counted in the node's window; a run that uses 80 % of it shows an
 * execution hint; a credential on another plan sets its own number, which the node paces to; the
 * node's Options put the status on each output item. And the shipped template that waits out a
 * reset longer than the node may wait: Slack's 429 goes to the error output, a Wait node holds the
 * execution until the error's retryAt and the messages are posted then, each once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';
import { startSlack, type SlackFake } from '../fakes/slack';

let n8n: N8nInstance;
let orbit: OrbitCrmFake;
let slack: SlackFake;

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
	slack = await startSlack();
	n8n = await N8nInstance.create();
	const data = { domain: orbit.url, clientId: orbit.client.id, clientSecret: orbit.client.secret };
	await n8n.importCredentials([
		{
			id: 'slackBot',
			name: 'Slack bot',
			type: 'rillsSlackApi',
			data: { apiUrl: slack.url, apiKey: slack.issueToken(['chat:write']) },
		},
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
	await slack?.close();
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

it("Options → Include Rate Limit Status puts the status on each item; without it the items are the API's", async () => {
	const getMany = { resource: 'contact', operation: 'getAll', returnAll: false, limit: 3 };
	const withStatus = await n8n.run([
		orbitNode('standard', { ...getMany, options: { includeRateLimitStatus: true } }),
	]);
	expect(withStatus.error).toBeUndefined();
	const items = withStatus.output.Orbit;
	expect(items.map(({ rateLimit, ...contact }) => contact)).toEqual(orbit.contacts.slice(0, 3));
	for (const { rateLimit } of items)
		expect(rateLimit).toEqual({ limit: 5, remaining: 4, resetAt: expect.any(String), source: 'declared' });
	const plain = await n8n.run([orbitNode('standard', getMany)]);
	expect(plain.output.Orbit).toEqual(orbit.contacts.slice(0, 3));
});

describe('the Wait Out a Rate Limit template', () => {
	interface Template {
		nodes: WorkflowNode[];
		connections: Record<string, unknown>;
	}

	/** The template as a user sets it up: the pack's node type as loaded here, a credential, and a lower max wait. */
	function setUp(): Template {
		const file = join(__dirname, '../../nodes/templates/wait-out-a-rate-limit.json');
		const template = JSON.parse(readFileSync(file, 'utf8')) as Template;
		for (const node of template.nodes) {
			node.type = node.type.replace(/^n8n-nodes-rills\./, 'CUSTOM.');
			if (node.name !== 'Post Message') continue;
			node.credentials = { rillsSlackApi: { id: 'slackBot', name: 'Slack bot' } };
			const options = (node.parameters?.options ?? {}) as Record<string, unknown>;
			// The node may hold the worker for 1 s; Slack's 3 s reset is for the Wait node.
			node.parameters = {
				...node.parameters,
				authentication: 'apiKey',
				options: { ...options, maxRateLimitWait: 1 },
			};
		}
		return template;
	}

	it('routes the 429 to the error output, waits in the Wait node until retryAt and then posts every message once', async () => {
		slack.throttleNext(1, 3);
		const execution = await n8n.execute(await n8n.importWorkflow(setUp()));
		expect(execution.error).toBeUndefined();
		const texts = ['First update', 'Second update', 'Third update'];
		expect(slack.messages.map((m) => m.text)).toEqual(texts);
		// Nothing reached Slack before its Retry-After ran out, nor faster than a message a second.
		expect(slack.violations).toEqual([]);
		const [first, second] = execution.runs['Post Message'];
		// The first run: the 429, and the two items after it held back without a call, all on the error output with
		// their own fields (which the second run's text is read from again).
		expect(first[0]).toEqual([]);
		expect(first[1].map((item) => item.messages)).toEqual(texts);
		for (const item of first[1])
			expect(item).toMatchObject({
				error: 'Slack rate limit hit: try again in 3 s',
				details: { retryAt: expect.any(String), rateLimit: expect.anything() },
			});
		// The Wait node ran once, for all three, and the second run posted them.
		expect(execution.runs['Wait Until the Limit Resets']).toHaveLength(1);
		expect(second[0].map((item) => item.channel)).toHaveLength(3);
		expect(second[1]).toEqual([]);
		expect(execution.runs['Stop on Other Errors']).toBeUndefined();
		// Include Rate Limit Status, as the template sets it: the posts carry it.
		expect(second[0].every((item) => typeof (item.rateLimit as { limit?: unknown })?.limit === 'number')).toBe(
			true,
		);
	});
});
