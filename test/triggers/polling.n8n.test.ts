/**
 * The Acme Tasks Polling Trigger inside a real n8n (`n8n start`), deduplicating by `updated_at`
 * with the ids at the boundary. The service lists tasks two a page in title order (not time
 * order) and gains tasks between polls, several sharing one timestamp. Polls happen where n8n
 * runs them: on publishing the workflow and on every start of n8n (restarts in between), so the
 * cursor must survive in the workflow's static data. Every task must be emitted exactly once.
 * A second workflow polls every minute, to show n8n's own scheduler driving the same poll.
 */
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer, type StoredExecution } from '../../scripts/harness/n8n-server';
import { startAcmeEvents, type AcmeEvents, type Task } from './acme-events';
import { waitFor } from './wait';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

let acme: AcmeEvents;
let instance: N8nInstance;
let n8n: N8nServer;
let workflow: string;
let everyMinute: string;
const polls: number[] = [];

const add = (...tasks: Task[]) => acme.tasks.push(...tasks);
const task = (id: string, title: string, seconds: number): Task => ({ id, title, updated_at: at(seconds) });
/** `id@updated_at` of every item the trigger emitted, across executions, in order. */
const emitted = (executions: StoredExecution[]) =>
	executions
		.filter((e) => e.mode === 'trigger')
		.flatMap((e) => (e.output['Acme Poll'] ?? []).map((t) => `${t.id}@${t.updated_at}`));

async function cursor(): Promise<{ watermark?: number; keys: string[] } | undefined> {
	const node = (await n8n.staticData(workflow))['node:Acme Poll'] as
		Record<string, { watermark?: number; keys: string[] }> | undefined;
	return node?.taskChanged;
}

/** Waits for the poll that starts now: a new run of list requests that reaches the last page. */
async function nextPoll(start: () => Promise<void>): Promise<void> {
	const before = acme.listRequests().length;
	await start();
	const pages = Math.ceil(acme.tasks.length / 2);
	await waitFor(
		'the poll to read every page',
		() => (acme.listRequests().length >= before + pages ? true : undefined),
		120_000,
	);
	polls.push(acme.listRequests().length - before);
}

async function executionsAfterPoll(count: number): Promise<StoredExecution[]> {
	return await waitFor(`${count} trigger execution(s)`, async () => {
		const found = (await n8n.executions(workflow)).filter((e) => e.mode === 'trigger');
		return found.length >= count && found.every((e) => e.status === 'success') ? found : undefined;
	});
}

beforeAll(async () => {
	acme = await startAcmeEvents();
	add(task('a', 'Alpha', 0), task('b', 'Bravo', 0), task('c', 'Charlie', -60));
	instance = await N8nInstance.create();
	await instance.importCredentials([
		{ id: 'acmeKey', name: 'Acme key', type: 'rillsAcmeTasksApi', data: { server: acme.url, apiKey: acme.apiKey } },
	]);
	workflow = await instance.importWorkflow({
		name: 'Acme task changes',
		nodes: [
			{
				name: 'Acme Poll',
				type: 'CUSTOM.acmeTasksPollingTrigger',
				// Once a year: every poll in this test is one n8n runs on publishing or starting.
				parameters: {
					event: 'taskChanged',
					firstPoll: 'none',
					pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
				},
				credentials: { rillsAcmeTasksApi: { id: 'acmeKey', name: 'Acme key' } },
			},
		],
		connections: {},
	});
	everyMinute = await instance.importWorkflow({
		name: 'Acme task changes every minute',
		nodes: [
			{
				name: 'Acme Poll',
				type: 'CUSTOM.acmeTasksPollingTrigger',
				parameters: { event: 'taskChanged', firstPoll: 'none', pollTimes: { item: [{ mode: 'everyMinute' }] } },
				credentials: { rillsAcmeTasksApi: { id: 'acmeKey', name: 'Acme key' } },
			},
		],
		connections: {},
	});
	n8n = await N8nServer.start(instance);
});

afterAll(async () => {
	await n8n?.stop();
	instance?.dispose();
	await acme?.close();
});

it('the first poll (on publishing) emits nothing and stores a cursor at the newest existing task', async () => {
	await nextPoll(() => n8n.activate(workflow));
	const stored = await waitFor('the cursor in static data', cursor);
	expect(stored.watermark).toBe(T0);
	expect(stored.keys.sort()).toEqual([`a@${T0}`, `b@${T0}`]);
	expect(await n8n.executions(workflow)).toEqual([]);
});

it('after a restart, the next poll emits the tasks added meanwhile — one sharing the watermark’s timestamp — across pages', async () => {
	add(task('d', 'Delta', 0), task('e', 'Echo', 10), task('f', 'Able', 10));
	await nextPoll(() => n8n.restart());
	const executions = await executionsAfterPoll(1);
	expect(emitted(executions).sort()).toEqual([`d@${at(0)}`, `e@${at(10)}`, `f@${at(10)}`]);
	await waitFor('the cursor to move', async () => ((await cursor())?.watermark === T0 + 10_000 ? true : undefined));
});

it('a test run (Fetch Test Event) returns the newest task and leaves the cursor alone', async () => {
	add(task('g', 'Golf', 10), task('h', 'Hotel', 20));
	const before = await cursor();
	await n8n.runManually(workflow, 'Acme Poll');
	const manual = await waitFor('the manual execution', async () =>
		(await n8n.executions(workflow)).find((e) => e.mode === 'manual' && e.status === 'success'),
	);
	expect(manual.output['Acme Poll']).toEqual([task('h', 'Hotel', 20)]);
	expect(await cursor()).toEqual(before);
});

it('after another restart, the poll emits the new tasks (also one at the watermark) and an updated one, and nothing twice', async () => {
	acme.tasks.find((t) => t.id === 'a')!.updated_at = at(30);
	await nextPoll(() => n8n.restart());
	const executions = await executionsAfterPoll(2);
	expect(emitted(executions.slice(1)).sort()).toEqual([`a@${at(30)}`, `g@${at(10)}`, `h@${at(20)}`]);
});

it('a fourth poll, after unpublishing and publishing again, emits only what is new', async () => {
	add(task('i', 'India', 40), task('j', 'Juliett', 30));
	await n8n.deactivate(workflow);
	await nextPoll(() => n8n.activate(workflow));
	const executions = await executionsAfterPoll(3);
	expect(emitted(executions.slice(2)).sort()).toEqual([`i@${at(40)}`, `j@${at(30)}`]);
});

it('over all polls every task change was emitted exactly once, and no task that existed before the first poll', async () => {
	const all = emitted(await n8n.executions(workflow));
	expect(polls.length).toBeGreaterThanOrEqual(4);
	expect(polls.every((pages) => pages >= 2)).toBe(true);
	expect(new Set(all).size).toBe(all.length);
	expect(all.sort()).toEqual(
		[
			`a@${at(30)}`,
			...['d', 'e', 'f', 'g', 'h', 'i', 'j'].map(
				(id) => `${id}@${acme.tasks.find((t) => t.id === id)!.updated_at}`,
			),
		].sort(),
	);
});

it('on a schedule (Poll Times: every minute), n8n’s own scheduler runs the poll and it emits a task added after publishing', async () => {
	await nextPoll(() => n8n.activate(everyMinute));
	add(task('k', 'Kilo', 50));
	const scheduled = await waitFor(
		'the scheduled poll’s execution',
		async () => {
			const found = await n8n.executions(everyMinute);
			return found.length && found.every((e) => e.status === 'success') ? found : undefined;
		},
		150_000,
	);
	expect(scheduled.map((e) => e.output['Acme Poll'].map((t) => t.id))).toEqual([['k']]);
	await n8n.deactivate(everyMinute);
});
