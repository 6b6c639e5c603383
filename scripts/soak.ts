/**
 * Faults soak: a generated node's paginated Return All, run inside a real n8n, against a loopback
 * API that fails every tenth request — in turn a 429 with Retry-After, a 503, a response stalled
 * past the request timeout, a reset connection — must lose and duplicate nothing. The node comes
 * from scripts/soak/faultLab.integration.yaml, built as its own package.
 *
 * Then the polling part: the Fault Lab polling trigger, published in a real `n8n start`, polls 50
 * times (each publication runs one poll; its cursor stays in the workflow's static data between
 * them) while items are added between polls, under the same faults: every added item must be
 * emitted exactly once.
 *
 * `npm run soak [-- --items 10000 --polls 50]` prints the counts and the faults injected (each one
 * a retry the node had to make) and exits 1 on any loss, duplicate or error. Bounded: 15 minutes.
 * test/platform/faults.test.ts runs a short version of both parts.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from './harness/n8n';
import { N8nServer } from './harness/n8n-server';
import { loadDefinition } from './load/definition';
import { buildPackage, freshFolder } from './harness/package-build';

const DEFINITION = join(__dirname, 'soak', 'faultLab.integration.yaml');
export const API_KEY = 'fault-lab-key-93d1';
const SOAK_LIMIT_MS = 15 * 60_000;
export const FAULTS = ['429', '503', 'stall', 'reset'] as const;
type Fault = (typeof FAULTS)[number];

export interface SoakResult {
	items: number;
	returned: number;
	missing: number;
	duplicates: number;
	/** The items came back in the service's order. */
	inOrder: boolean;
	requests: number;
	/** Pages answered in full (each exactly once when nothing is refetched). */
	pages: number;
	faults: Record<Fault, number>;
	/** Stalled requests the node gave up on (its timeout fired; the API never answers them). */
	abandoned: number;
	retryGapsMs: number[];
	error?: string;
}

export interface FaultApi {
	url: string;
	/** How many items the list holds now (raise it to add items). */
	items: number;
	requests: number;
	pages: number;
	faults: Record<Fault, number>;
	abandoned: number;
	/** Milliseconds from each 429 (Retry-After: 1) to the request after it. */
	retryGapsMs: number[];
	close(): Promise<void>;
}

/**
 * `items` ids i1…iN paged by an offset cursor; every `faultEvery`-th request (0: none) fails with the next fault in
 * FAULTS.
 */
export async function startFaultApi(items: number, faultEvery = 10): Promise<FaultApi> {
	let last429: number | undefined;
	const server = createServer((req, res) => {
		const n = ++api.requests;
		if (last429 !== undefined) api.retryGapsMs.push(Date.now() - last429);
		last429 = undefined;
		if (req.headers['x-key'] !== API_KEY) return void res.writeHead(401).end();
		if (faultEvery && n % faultEvery === 0) {
			const fault = FAULTS[(n / faultEvery - 1) % FAULTS.length];
			api.faults[fault]++;
			const json = { 'content-type': 'application/json' };
			if (fault === '429') last429 = Date.now();
			if (fault === '429')
				return void res.writeHead(429, { ...json, 'retry-after': '1' }).end('{"message":"slow down"}');
			if (fault === '503') return void res.writeHead(503, json).end('{"message":"overloaded"}');
			if (fault === 'reset') return void req.socket.destroy();
			// Stalled for good: only the client's timeout ends it.
			return void req.socket.once('close', () => api.abandoned++);
		}
		const query = new URL(req.url ?? '/', 'http://fault.lab').searchParams;
		const after = Number(query.get('after') ?? 0);
		const count = Math.max(0, Math.min(Number(query.get('limit') ?? 100), api.items - after));
		const page = Array.from({ length: count }, (_, i) => ({ id: `i${after + i + 1}` }));
		api.pages++;
		res.writeHead(200, { 'content-type': 'application/json' }).end(
			JSON.stringify({ items: page, ...(after + count < api.items ? { next: String(after + count) } : {}) }),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const api: FaultApi = {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
		items,
		requests: 0,
		pages: 0,
		faults: { '429': 0, '503': 0, stall: 0, reset: 0 },
		abandoned: 0,
		retryGapsMs: [],
		close: () => {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
	return api;
}

/** The Fault Lab package compiled into a folder of its own (remove it when done); its dist/ loads as an extension. */
export function buildFaultLab(): string {
	const { integration, findings } = loadDefinition(DEFINITION);
	if (!integration) throw new Error(JSON.stringify(findings, null, 2));
	const out = freshFolder('fault-lab');
	buildPackage(out, integration, 'n8n-nodes-fault-lab', 'faultLab.integration.yaml');
	return out;
}

/** A workflow node reading every item through the Fault Lab node (credential `fault`, see importFaultLabCredential). */
export const FAULT_LAB_NODE: WorkflowNode = {
	name: 'Lab',
	type: 'CUSTOM.faultLab',
	parameters: { resource: 'item', operation: 'getAll', returnAll: true },
	credentials: { faultLabFaultLabApi: { id: 'fault', name: 'Fault key' } },
};

export async function importFaultLabCredential(n8n: N8nInstance, api: FaultApi): Promise<void> {
	await n8n.importCredentials([
		{ id: 'fault', name: 'Fault key', type: 'faultLabFaultLabApi', data: { server: api.url, apiKey: API_KEY } },
	]);
}

/** The Return All part; `version` runs it on another n8n (e.g. 1.123.81). */
export async function runSoak(
	items: number,
	options: { faultEvery?: number; version?: string } = {},
): Promise<SoakResult> {
	const out = buildFaultLab();
	const api = await startFaultApi(items, options.faultEvery);
	let n8n: N8nInstance | undefined;
	try {
		n8n = await N8nInstance.create({ extensions: [join(out, 'dist')], version: options.version });
		await importFaultLabCredential(n8n, api);
		const execution = await n8n.run([FAULT_LAB_NODE]);
		const ids = (execution.output.Lab ?? []).map((item) => String(item.id));
		const unique = new Set(ids);
		const expected = Array.from({ length: items }, (_, i) => `i${i + 1}`);
		return {
			items,
			returned: ids.length,
			missing: expected.filter((id) => !unique.has(id)).length,
			duplicates: ids.length - unique.size,
			inOrder: ids.every((id, i) => id === expected[i]),
			requests: api.requests,
			pages: api.pages,
			faults: { ...api.faults },
			abandoned: api.abandoned,
			retryGapsMs: api.retryGapsMs,
			error: execution.error?.message,
		};
	} finally {
		n8n?.dispose();
		await api.close();
		rmSync(out, { recursive: true, force: true });
	}
}

export interface PollSoakOptions {
	polls: number;
	/** Items the list holds before the first poll (which only sets the cursor). */
	initial: number;
	/** Items added before each poll. */
	perPoll: number;
	faultEvery: number;
}

export interface PollSoakResult {
	polls: number;
	/** Items added between polls, each of which must be emitted once. */
	added: number;
	emitted: number;
	missing: number;
	duplicates: number;
	/** Polls that emitted exactly the items added before them. */
	exactPolls: number;
	requests: number;
	pages: number;
	faults: Record<Fault, number>;
	abandoned: number;
	error?: string;
}

const POLL_NODE = 'Lab Poll';

/**
 * Publishes the Fault Lab polling trigger `polls + 1` times in one `n8n start` (each publication
 * runs a poll; unpublished in between, so n8n's scheduler runs none of its own): the first sets
 * the cursor, each later one follows `perPoll` new items. Each poll's execution and its cursor
 * in the workflow's static data are awaited before the next one.
 */
export async function runPollSoak(options: PollSoakOptions): Promise<PollSoakResult> {
	const { polls, initial, perPoll, faultEvery } = options;
	const out = buildFaultLab();
	const api = await startFaultApi(initial, faultEvery);
	const instance = await N8nInstance.create({ extensions: [join(out, 'dist')] });
	let server: N8nServer | undefined;
	let error: string | undefined;
	let emittedPerPoll: string[][] = [];
	try {
		await importFaultLabCredential(instance, api);
		const workflow = await instance.importWorkflow({
			name: 'Fault Lab polls',
			nodes: [
				{
					name: POLL_NODE,
					type: 'CUSTOM.faultLabPollingTrigger',
					// Once a year: every poll here is one n8n runs on publishing.
					parameters: {
						event: 'itemAdded',
						firstPoll: 'none',
						pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
					},
					credentials: FAULT_LAB_NODE.credentials,
				},
			],
			connections: {},
		});
		const n8n = (server = await N8nServer.start(instance));
		const cursorKeys = async () =>
			((await n8n.staticData(workflow))[`node:${POLL_NODE}`] as { itemAdded?: { keys: string[] } } | undefined)
				?.itemAdded?.keys.length ?? 0;
		try {
			for (let poll = 0; poll <= polls; poll++) {
				if (poll > 0) api.items += perPoll;
				await n8n.activate(workflow);
				if (poll > 0)
					await until(
						`poll ${poll}'s execution`,
						async () =>
							(await n8n.executions(workflow)).filter((e) => e.status !== 'running' && e.status !== 'new')
								.length >= poll,
					);
				await until(`poll ${poll}'s cursor`, async () => (await cursorKeys()) >= api.items);
				await n8n.deactivate(workflow);
			}
		} catch (e) {
			error = (e as Error).message;
		}
		const executions = (await n8n.executions(workflow)).filter((e) => e.mode === 'trigger');
		const failed = executions.find((e) => e.status !== 'success');
		if (failed && !error) error = `execution ${failed.id} ended ${failed.status}`;
		emittedPerPoll = executions.map((e) => (e.output[POLL_NODE] ?? []).map((item) => String(item.id)));
	} finally {
		await server?.stop();
		instance.dispose();
		await api.close();
		rmSync(out, { recursive: true, force: true });
	}
	const ids = emittedPerPoll.flat();
	const unique = new Set(ids);
	const expected = Array.from({ length: polls * perPoll }, (_, i) => `i${initial + i + 1}`);
	const exactPolls = emittedPerPoll.filter(
		(emitted, p) => emitted.join() === expected.slice(p * perPoll, (p + 1) * perPoll).join(),
	).length;
	return {
		polls,
		added: expected.length,
		emitted: ids.length,
		missing: expected.filter((id) => !unique.has(id)).length,
		duplicates: ids.length - unique.size,
		exactPolls,
		requests: api.requests,
		pages: api.pages,
		faults: { ...api.faults },
		abandoned: api.abandoned,
		error,
	};
}

/** Checks `ready` every 250 ms; throws after `limitMs`. */
async function until(what: string, ready: () => Promise<boolean>, limitMs = 120_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (!(await ready())) {
		if (Date.now() > deadline) throw new Error(`no ${what} within ${limitMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const faultCounts = (faults: Record<Fault, number>) =>
	`${FAULTS.reduce((sum, f) => sum + faults[f], 0)}: ${FAULTS.map((f) => `${f} ${faults[f]}`).join(', ')}`;

if (require.main === module) {
	const arg = (name: string, fallback: number) => {
		const flag = process.argv.indexOf(`--${name}`);
		return flag === -1 ? fallback : Number(process.argv[flag + 1]);
	};
	const items = arg('items', 10_000);
	const polls = arg('polls', 50);
	// Bounded: a run that hangs is a failure, not a wait.
	setTimeout(() => {
		process.stderr.write(`soak: no result after ${SOAK_LIMIT_MS / 60_000} min\n`);
		process.exit(1);
	}, SOAK_LIMIT_MS).unref();
	void (async () => {
		const r = await runSoak(items);
		process.stdout.write(
			`Return All of ${r.items} items: returned ${r.returned}, missing ${r.missing}, duplicated ${r.duplicates}, in order ${r.inOrder}\n` +
				`  requests ${r.requests} for ${r.pages} pages; faults injected (each retried) ${faultCounts(r.faults)}; stalls timed out by the node ${r.abandoned}\n` +
				(r.error ? `  error: ${r.error}\n` : ''),
		);
		const p = await runPollSoak({ polls, initial: 300, perPoll: 20, faultEvery: 10 });
		process.stdout.write(
			`${p.polls} polls, ${p.added} items added between them: emitted ${p.emitted}, missing ${p.missing}, duplicated ${p.duplicates}; polls that emitted exactly what was added before them ${p.exactPolls} of ${p.polls}\n` +
				`  requests ${p.requests} for ${p.pages} pages; faults injected (each retried) ${faultCounts(p.faults)}; stalls timed out by the node ${p.abandoned}\n` +
				(p.error ? `  error: ${p.error}\n` : ''),
		);
		const bad = (x: { error?: string; missing: number; duplicates: number }) =>
			Boolean(x.error || x.missing || x.duplicates);
		process.exitCode = bad(r) || r.returned !== r.items || bad(p) || p.emitted !== p.added ? 1 : 0;
	})();
}
