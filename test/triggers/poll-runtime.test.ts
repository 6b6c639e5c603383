/**
 * The polling runtime against the loopback Acme service, called the way n8n calls a poll node
 * (n8n-context.ts stands in for n8n's PollContext). Covers what a real n8n cannot show on
 * demand: a poll that fails half-way, and two polls of one node at once.
 */
import type { IPollFunctions } from 'n8n-workflow';
import { table } from '../../nodes/AcmeTasks/AcmeTasks.node';
import { pollItems } from '../../nodes/shared/triggers/poll';
import type { PollTriggerSpec } from '../../nodes/shared/triggers/types';
import { startAcmeEvents, type AcmeEvents } from './acme-events';
import { acmeContext } from './n8n-context';

const trigger: PollTriggerSpec = {
	displayName: 'New or Updated Task',
	operation: 'task:getAll',
	dedupe: { strategy: 'timestamp', idPath: 'id', timestampPath: 'updated_at', lookbackSeconds: 0, seenLimit: 10_000 },
	firstRun: { emit: 'none', count: 1 },
};
const triggers = { taskChanged: trigger };
const at = (s: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + s * 1000).toISOString();

let acme: AcmeEvents;

beforeAll(async () => {
	acme = await startAcmeEvents();
});
afterAll(async () => acme.close());
beforeEach(() => {
	acme.tasks.splice(
		0,
		acme.tasks.length,
		{ id: 'a', title: 'A', updated_at: at(0) },
		{ id: 'b', title: 'B', updated_at: at(0) },
		{ id: 'c', title: 'C', updated_at: at(-1) },
	);
	acme.listing.failPage = undefined;
	acme.listing.delayMs = 0;
});

const pollContext = (staticData: Record<string, unknown>, workflowId: string) =>
	acmeContext<IPollFunctions>({
		acme,
		parameters: { event: 'taskChanged', firstPoll: 'none' },
		staticData,
		workflowId,
	});

const ids = (result: Awaited<ReturnType<typeof pollItems>>) => (result?.[0] ?? []).map((item) => item.json.id);

it('a poll that fails on a later page emits nothing and leaves the cursor where it was; the next poll emits everything new', async () => {
	const state: Record<string, unknown> = {};
	const context = pollContext(state, 'w1');
	expect(await pollItems.call(context, table, triggers)).toBeNull();
	const cursor = JSON.stringify(state);
	acme.tasks.push({ id: 'd', title: 'D', updated_at: at(0) }, { id: 'e', title: 'E', updated_at: at(5) });
	acme.listing.failPage = 2;
	const before = acme.listRequests().length;
	await expect(pollItems.call(context, table, triggers)).rejects.toThrow('Acme Tasks rejected the request (400)');
	expect(
		acme
			.listRequests()
			.slice(before)
			.map((r) => r.query.get('page') ?? '1'),
	).toEqual(['1', '2']);
	expect(JSON.stringify(state)).toBe(cursor);
	expect(ids(await pollItems.call(context, table, triggers))).toEqual(['d', 'e']);
});

it('a poll that starts while the last one of the same node is still paging skips, so nothing is emitted twice', async () => {
	const state: Record<string, unknown> = {};
	const context = pollContext(state, 'w2');
	await pollItems.call(context, table, triggers);
	acme.tasks.push({ id: 'd', title: 'D', updated_at: at(3) });
	acme.listing.delayMs = 300;
	const [first, second] = await Promise.all([
		pollItems.call(context, table, triggers),
		pollItems.call(context, table, triggers),
	]);
	expect(ids(first)).toEqual(['d']);
	expect(second).toBeNull();
	acme.listing.delayMs = 0;
	expect(await pollItems.call(context, table, triggers)).toBeNull();
});
