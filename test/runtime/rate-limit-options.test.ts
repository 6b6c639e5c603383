/**
 * The node's rate-limit Options and the rate-limit error a Wait node can wait out, through the runtime against a
 * loopback service: Include Rate Limit Status puts the status on each output item (the service's own count where
 * it sends one, else the declared limit), nothing is added when it is off; a 429 whose reset is further away than
 * the node may wait (the definition's, or Max Rate Limit Wait) becomes, with Continue On Fail, error items that
 * carry `retryAt` (under `details` for n8n's error output), without a second request before the reset.
 */
import get from 'lodash/get';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runOperations } from '../../nodes/shared/execute';
import type { IntegrationTable } from '../../nodes/shared/types';
import { json, startFake, type FakeService } from '../fakes/server';
import { nodeContext, table } from '../security/context';

let service: FakeService;

beforeAll(async () => {
	service = await startFake((req) => {
		if (req.path === '/counted')
			return json(200, [{ id: 'a' }, { id: 'b' }], {
				'x-ratelimit-limit': '60',
				'x-ratelimit-remaining': '41',
				'x-ratelimit-reset': '30',
			});
		if (req.path === '/throttled') return json(429, { message: 'Slow down' }, { 'retry-after': '120' });
		if (req.path === '/forever') return json(429, { message: 'Never' }, { 'retry-after': '1e20' });
		// A short reset, every other request.
		if (req.path === '/brief' && service.requests.length % 2 === 1)
			return json(429, { message: 'Slow down' }, { 'retry-after': '1' });
		return json(200, { id: req.path.slice(1) });
	});
});
afterAll(async () => service?.close());
beforeEach(() => service.requests.splice(0));

const operations = {
	'thing:counted': { method: 'GET', path: '/counted', parameters: [] },
	'thing:plain': { method: 'GET', path: '/plain', parameters: [] },
	'thing:throttled': { method: 'GET', path: '/throttled', parameters: [] },
	'thing:brief': { method: 'GET', path: '/brief', parameters: [] },
	'thing:forever': { method: 'GET', path: '/forever', parameters: [] },
} as IntegrationTable['operations'];

/** Runs one operation over `items` input items, in its own rate-limit window (a credential of its own). */
async function run(
	operation: string,
	options: {
		include?: boolean;
		maxWait?: number;
		continueOnFail?: boolean;
		errorOutput?: boolean;
		items?: number;
		credential: string;
	},
): Promise<INodeExecutionData[]> {
	const parameters = {
		resource: 'thing',
		operation,
		options: {
			...(options.include === undefined ? {} : { includeRateLimitStatus: options.include }),
			...(options.maxWait === undefined ? {} : { maxRateLimitWait: options.maxWait }),
		},
	};
	const { context } = nodeContext<IExecuteFunctions>({ continueOnFail: options.continueOnFail });
	Object.assign(context, {
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => get(parameters, name, fallback),
		getInputData: () => Array.from({ length: options.items ?? 1 }, (_, i) => ({ json: { n: i } })),
		getNode: () => ({
			...{ id: 'node', name: 'Node', type: 'CUSTOM.test', typeVersion: 1, position: [0, 0], parameters: {} },
			credentials: { testApi: { id: options.credential, name: 'Test key' } },
			...(options.errorOutput ? { onError: 'continueErrorOutput' } : {}),
		}),
		addExecutionHints: () => undefined,
	});
	const limited = table(service.url, {
		operations,
		rateLimits: [{ requests: 5, perSeconds: 60 }],
		retry: { maxRetries: 2, maxWaitSeconds: 5, backoffSeconds: 0 },
	});
	return (await runOperations.call(context, limited))[0];
}

it("adds the service's own count to every item when asked, as Check reports it", async () => {
	const items = await run('counted', { include: true, credential: 'counted' });
	expect(items.map((i) => i.json)).toEqual([
		{ id: 'a', rateLimit: { limit: 60, remaining: 41, resetAt: expect.any(String), source: 'service' } },
		{ id: 'b', rateLimit: { limit: 60, remaining: 41, resetAt: expect.any(String), source: 'service' } },
	]);
	// One object per item: a later node that changes one item's copy does not change the other's.
	expect(items[0].json.rateLimit).not.toBe(items[1].json.rateLimit);
});

it('counts against the declared limit where the service sends no count, after each input item', async () => {
	const items = await run('plain', { include: true, items: 2, credential: 'declared' });
	expect(items.map((i) => (i.json.rateLimit as { remaining: number }).remaining)).toEqual([4, 3]);
	expect(items[0].json.rateLimit).toMatchObject({ limit: 5, source: 'declared' });
	expect(Date.parse((items[0].json.rateLimit as { resetAt: string }).resetAt)).toBeGreaterThan(0);
});

it("leaves the API's items as they are when the option is off or not set", async () => {
	expect((await run('plain', { include: false, credential: 'off' })).map((i) => i.json)).toEqual([{ id: 'plain' }]);
	expect((await run('plain', { credential: 'unset' })).map((i) => i.json)).toEqual([{ id: 'plain' }]);
});

describe('a reset further away than the node may wait', () => {
	it('fails the node with the time to retry, also in machine-readable form', async () => {
		const failed = await run('throttled', { credential: 'fails' }).catch((e: unknown) => e);
		expect(failed).toMatchObject({ message: 'Test rate limit hit: try again in 120 s' });
		const retryAt = Date.parse((failed as { context: { retryAt: string } }).context.retryAt);
		expect(retryAt - Date.now()).toBeGreaterThan(100_000);
	});

	it('continues on fail with error items that carry retryAt, sending nothing more before it', async () => {
		const items = await run('throttled', { continueOnFail: true, items: 3, include: true, credential: 'waits' });
		// One request: the service's 429 holds the other items back too, and they fail at once with the same time.
		expect(service.requests).toHaveLength(1);
		expect(items).toHaveLength(3);
		expect(items[0].json).toEqual({
			error: 'Test rate limit hit: try again in 120 s',
			description: expect.stringContaining('Wait 120 s'),
			retryAt: expect.any(String),
			rateLimit: expect.objectContaining({ limit: 5 }),
		});
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const times = items.map((i) => Date.parse(String(i.json.retryAt)));
		expect(times[0] - Date.now()).toBeGreaterThan(100_000);
		expect(Math.max(...times) - Math.min(...times)).toBeLessThan(1000);
	});

	it('puts the rest under details for the error output, the only fields n8n routes there', async () => {
		const [item] = await run('throttled', { continueOnFail: true, errorOutput: true, credential: 'routed' });
		expect(item.json).toEqual({
			error: 'Test rate limit hit: try again in 120 s',
			details: { description: expect.stringContaining('Wait 120 s'), retryAt: expect.any(String) },
		});
	});
});

it("waits out a reset within the definition's max wait; Max Rate Limit Wait set below it fails the item instead", async () => {
	expect((await run('brief', { credential: 'brief' })).map((i) => i.json)).toEqual([{ id: 'brief' }]);
	expect(service.requests).toHaveLength(2);
	service.requests.splice(0);
	const [item] = await run('brief', { maxWait: 0, continueOnFail: true, credential: 'briefer' });
	expect(item.json).toMatchObject({ error: 'Test rate limit hit: try again in 1 s', retryAt: expect.any(String) });
	expect(service.requests).toHaveLength(1);
});

it('a reset no date can hold (Retry-After: 1e20) fails the item without a retryAt rather than crashing the node', async () => {
	const [item] = await run('forever', { continueOnFail: true, credential: 'forever' });
	expect(item.json.error).toMatch(/^Test rate limit hit: try again in \d+ s$/);
	expect(item.json).not.toHaveProperty('retryAt');
});
