/**
 * n8n's queue mode: PostgreSQL and Redis (Debian's packages) on loopback, one `n8n start` main and
 * two `n8n worker`s. A published workflow — n8n's Webhook node → Orbit CRM (get the contact the
 * call names) → Orbit CRM (Return All contacts, 3 cursor pages) — is called 40 times at once: every
 * call answers with all contacts and its execution holds the contact it asked for, the executions
 * are spread over both workers, and Orbit's declared 5 requests a second holds per worker process
 * (each worker has 10 executions at a time wanting 4 requests each, so its limiter is what paces it).
 *
 * How a request is tied to a worker: each worker talks to its own Orbit fake. The credential's
 * domain is `{{ $env.ORBIT_CRM_URL }}` and each worker process is started with a different
 * ORBIT_CRM_URL, so the fake a request arrives at names the process that sent it. Both fakes
 * honour the one token stored in the shared credential. Which worker ran which execution comes
 * from the workers' own logs ("Worker finished execution N"), checked against the fakes.
 */
import { QueueMode } from '../../scripts/harness/queue';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';
import type { FakeRequest } from '../fakes/server';
import { waitFor } from '../triggers/wait';

const CALLS = 40;
/** Three pages of Orbit's 50 per page. */
const CONTACTS = 130;
/** Orbit's declared limit (nodes/OrbitCrm/orbitCrm.integration.yaml), and the fake's allowance for clock skew. */
const LIMIT = { requests: 5, perMs: 1000, toleranceMs: 50 };

let queue: QueueMode | undefined;
let fakes: OrbitCrmFake[] = [];
let workflowId: string;

beforeAll(async () => {
	fakes = [await startOrbitCrm({ contactCount: CONTACTS }), await startOrbitCrm({ contactCount: CONTACTS })];
	const token = fakes[0].grant(['contacts.read']);
	fakes[1].grant(['contacts.read'], token);
	queue = await QueueMode.create();
	const { instance } = queue;
	await instance.importCredentials([
		{
			id: 'orbitQueue',
			name: 'Orbit queue',
			type: 'rillsOrbitCrmOAuth2Api',
			data: {
				domain: '={{ $env.ORBIT_CRM_URL }}',
				clientId: fakes[0].client.id,
				clientSecret: fakes[0].client.secret,
				oauthTokenData: {
					access_token: token.accessToken,
					refresh_token: token.refreshToken,
					token_type: 'Bearer',
					scope: 'contacts.read',
				},
			},
		},
	]);
	workflowId = await instance.importWorkflow({
		name: 'Contact by webhook',
		nodes: [
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: '6b0f3c51-9d7e-4a43-8d0e-0a0e0e0e0001',
				parameters: {
					path: 'orbit-contact',
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				name: 'Orbit',
				type: 'CUSTOM.orbitCrm',
				parameters: {
					authentication: 'oAuth2',
					resource: 'contact',
					operation: 'get',
					contactId: '={{ $json.query.id }}',
				},
				credentials: { rillsOrbitCrmOAuth2Api: { id: 'orbitQueue', name: 'Orbit queue' } },
			},
			{
				name: 'All Contacts',
				type: 'CUSTOM.orbitCrm',
				parameters: { authentication: 'oAuth2', resource: 'contact', operation: 'getAll', returnAll: true },
				credentials: { rillsOrbitCrmOAuth2Api: { id: 'orbitQueue', name: 'Orbit queue' } },
			},
		],
	});
	await queue.start({
		workers: 2,
		// $env is blocked in expressions by default since n8n 2.0; the credential's domain reads it.
		workerEnv: (i) => ({ ORBIT_CRM_URL: fakes[i].url, N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false' }),
	});
	await queue.main!.activate(workflowId);
	await waitFor('the webhook registered', async () =>
		(await queue!.main!.webhookRegistered('orbit-contact')) ? true : undefined,
	);
});

afterAll(async () => {
	await queue?.stop();
	await Promise.all(fakes.map((fake) => fake.close()));
});

/** The most requests that arrived within one window of the limit (less the tolerance), as the fake counts them. */
function peak(requests: FakeRequest[]): number {
	const times = requests.map((r) => r.receivedAt).sort((a, b) => a - b);
	let most = 0;
	for (let end = 0, start = 0; end < times.length; end++) {
		while (times[start] <= times[end] - LIMIT.perMs + LIMIT.toleranceMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

it(`${CALLS} parallel webhook calls run on both workers with correct results, ${LIMIT.requests} req/s held per worker`, async () => {
	const main = queue!.main!;
	const ids = Array.from({ length: CALLS }, (_, i) => `c${i + 1}`);
	const answers = await Promise.all(
		ids.map(async (id) => {
			const response = await fetch(`${main.url}/webhook/orbit-contact?id=${id}`);
			const text = await response.text();
			return { id, status: response.status, body: response.ok ? (JSON.parse(text) as unknown) : text };
		}),
	);
	expect(answers.filter((a) => a.status !== 200)).toEqual([]);
	// Every call answered with every contact, once each, in order, read over 3 cursor pages.
	for (const answer of answers) expect(answer.body).toEqual(fakes[0].contacts);

	// Every execution stored by the main succeeded and fetched the contact its call named.
	const executions = await waitFor('every execution finished', async () => {
		const all = await main.executions(workflowId);
		return all.length === CALLS && all.every((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status))
			? all
			: undefined;
	});
	expect(executions.map((e) => [e.status, e.mode])).toEqual(ids.map(() => ['success', 'webhook']));
	const contactOf = new Map(
		executions.map((e) => [e.id, String((e.output.Webhook[0].query as Record<string, unknown>).id)]),
	);
	expect([...contactOf.values()].sort()).toEqual([...ids].sort());
	for (const e of executions)
		expect(e.output.Orbit).toEqual([fakes[0].contacts.find((c) => c.id === contactOf.get(e.id))]);

	// The workers' own logs name every execution exactly once, and both workers ran some.
	const workers = queue!.workers;
	const ran = await waitFor('the workers logged every execution', () => {
		const lists = workers.map((w) => w.finishedExecutions());
		return lists.flat().length >= CALLS ? lists : undefined;
	});
	expect(ran.flat().sort()).toEqual([...contactOf.keys()].sort());
	for (const list of ran) expect(list.length).toBeGreaterThan(0);

	const apiRequests = fakes.map((fake) => fake.requests.filter((r) => r.path.startsWith('/v2/')));
	// Per process: neither worker sent more than 5 requests in any second (the fake saw no violation, sent no 429)…
	for (const [i, fake] of fakes.entries()) {
		expect(fake.violations).toEqual([]);
		expect(peak(apiRequests[i])).toBeLessThanOrEqual(LIMIT.requests);
	}
	// …while together they did: the limit is not shared between processes.
	expect(peak(apiRequests.flat())).toBeGreaterThan(LIMIT.requests);
	// Each worker's requests went to its own fake: the contacts fetched there are those of the
	// executions that worker logged, plus 3 pages per execution.
	for (const [i, list] of ran.entries()) {
		const fetched = apiRequests[i]
			.filter((r) => r.path.startsWith('/v2/contacts/'))
			.map((r) => r.path.slice('/v2/contacts/'.length));
		expect(fetched.sort()).toEqual(list.map((id) => contactOf.get(id)).sort());
		expect(apiRequests[i].filter((r) => r.path === '/v2/contacts')).toHaveLength(3 * list.length);
	}
	process.stdout.write(
		`queue mode: ${ran.map((l) => l.length).join(' + ')} executions; peak requests per ${LIMIT.perMs - LIMIT.toleranceMs} ms: ${apiRequests.map(peak).join(', ')} per worker, ${peak(apiRequests.flat())} together\n`,
	);
});
