/**
 * Connection Status Changed (nodes/shared/triggers/connection-watch.ts) against a loopback Acme
 * whose connection test (`GET /me`) answers what the test says, called the way n8n calls a poll
 * node (n8n-context.ts): one item per change of status, none while it stays the same, a baseline
 * of "active", what to do for each failure, the service's words without the key, and a manual run
 * that always answers and moves nothing.
 */
import type { IPollFunctions } from 'n8n-workflow';
import { table } from '../../nodes/AcmeTasks/AcmeTasks.node';
import { pollItems } from '../../nodes/shared/triggers/poll';
import { CONNECTION_EVENT } from '../../nodes/shared/triggers/types';
import { json, startFake, type FakeService } from '../fakes/server';
import type { AcmeEvents } from './acme-events';
import { acmeContext } from './n8n-context';

const API_KEY = 'acme-watch-key-93fd02';
/** What `/me` answers next. */
let answer = { status: 200, body: { id: 'u1', name: 'Ada' } as Record<string, unknown> };
let acme: FakeService;

beforeAll(async () => {
	acme = await startFake((req) =>
		req.path === '/api/v1/me' && req.headers.authorization === `Token ${API_KEY}`
			? json(answer.status, answer.body)
			: json(404, { message: 'no such route' }),
	);
});
afterAll(async () => acme.close());

const ok = () => (answer = { status: 200, body: { id: 'u1', name: 'Ada' } });
const fail = (status: number, message: string) => (answer = { status, body: { message } });

function watcher(mode: 'trigger' | 'manual' = 'trigger', staticData: Record<string, unknown> = {}) {
	const context = acmeContext<IPollFunctions>({
		acme: { url: acme.url, apiKey: API_KEY } as AcmeEvents,
		parameters: { event: CONNECTION_EVENT },
		staticData,
		workflowId: 'watch',
		mode,
	});
	return {
		staticData,
		poll: async () => ((await pollItems.call(context, table, {})) ?? [[]])[0].map((item) => item.json),
	};
}

it('emits one item when the key is rejected and one when it works again, none while nothing changes', async () => {
	const { poll } = watcher();
	ok();
	expect(await poll()).toEqual([]);
	fail(401, 'Invalid API key');
	const [expired] = await poll();
	expect(expired).toEqual({
		service: 'Acme Tasks',
		credential: 'Acme key',
		previousStatus: 'active',
		connectionStatus: 'expired',
		lastError: 'Invalid API key',
		httpStatus: 401,
		consecutiveFailures: 1,
		lastValidatedAt: expect.any(String),
		checkedAt: expect.any(String),
		whatToDo: 'Reconnect "Acme key": open it and sign in again, or paste a new key.',
	});
	expect(await poll()).toEqual([]);
	ok();
	expect(await poll()).toEqual([
		expect.objectContaining({
			previousStatus: 'expired',
			connectionStatus: 'active',
			lastError: null,
			httpStatus: 200,
			consecutiveFailures: 0,
			whatToDo: null,
		}),
	]);
	expect(await poll()).toEqual([]);
});

it('takes a new connection as active: the first poll emits only when it already fails', async () => {
	fail(503, 'Maintenance until 09:00');
	expect(await watcher().poll()).toEqual([
		expect.objectContaining({
			previousStatus: 'active',
			connectionStatus: 'error',
			lastError: 'Maintenance until 09:00',
			httpStatus: 503,
			lastValidatedAt: null,
			whatToDo: expect.stringMatching(/^Nothing yet: Acme Tasks had a problem/),
		}),
	]);
});

it('reports a change from one failure to another, with what to do for each', async () => {
	const { poll } = watcher();
	fail(503, 'Maintenance');
	expect(await poll()).toEqual([expect.objectContaining({ connectionStatus: 'error', consecutiveFailures: 1 })]);
	fail(401, 'Invalid API key');
	expect(await poll()).toEqual([
		expect.objectContaining({ previousStatus: 'error', connectionStatus: 'expired', consecutiveFailures: 2 }),
	]);
	fail(403, 'forbidden');
	expect(await poll()).toEqual([
		expect.objectContaining({
			previousStatus: 'expired',
			connectionStatus: 'error',
			whatToDo: 'Grant "Acme key" the permission or scope Acme Tasks asks for, then reconnect it.',
		}),
	]);
	fail(429, 'slow down');
	expect(await poll()).toEqual([]);
});

it('names the scope a 403 names, among those the operations need, and no scope it merely contains', async () => {
	const scoped = { ...table, operations: { ...table.operations } };
	scoped.operations['task:getAll'] = { ...scoped.operations['task:getAll'], requiredScopes: ['tasks:read'] };
	const advice = async (message: string) => {
		fail(403, message);
		const context = acmeContext<IPollFunctions>({
			acme: { url: acme.url, apiKey: API_KEY } as AcmeEvents,
			parameters: { event: CONNECTION_EVENT },
			staticData: {},
			workflowId: 'watch',
		});
		return (await pollItems.call(context, scoped, {}))![0][0].json.whatToDo;
	};
	expect(await advice('token lacks the scope "tasks:read"')).toBe(
		'Grant the scope tasks:read to "Acme key" and reconnect it.',
	);
	expect(await advice('needs tasks:readwrite')).toMatch(/^Grant "Acme key" the permission or scope/);
});

it('keeps the key out of the item when the service repeats it', async () => {
	fail(401, `Key ${API_KEY} was revoked`);
	const [item] = await watcher().poll();
	expect(JSON.stringify(item)).not.toContain(API_KEY);
	expect(item.lastError).toMatch(/^Key \S+ was revoked$/);
});

it('a manual run (Fetch Test Event) always returns the current status and leaves the reported one alone', async () => {
	const live = watcher();
	ok();
	expect(await live.poll()).toEqual([]);
	fail(401, 'Invalid API key');
	const [sample] = await watcher('manual', live.staticData).poll();
	expect(sample).toMatchObject({ previousStatus: 'active', connectionStatus: 'expired' });
	ok();
	expect(await watcher('manual', live.staticData).poll()).toEqual([
		expect.objectContaining({ previousStatus: 'active', connectionStatus: 'active' }),
	]);
	fail(401, 'Invalid API key');
	expect(await live.poll()).toEqual([expect.objectContaining({ connectionStatus: 'expired' })]);
});
