/**
 * The Acme Tasks node inside a real n8n: API key with preamble and extra headers, OAuth1
 * signatures, Link-header pagination, Additional Fields, errors and Connection → Check.
 */
import { N8nServer } from '../../scripts/harness/n8n-server';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { startAcmeTasks, type AcmeTasksFake } from '../fakes/acme-tasks';

const oauth1 = {
	consumerKey: 'acme-consumer',
	consumerSecret: 'acme-consumer-secret-55e1',
	token: 'acme-token',
	tokenSecret: 'acme-token-secret-0b9d',
};

let n8n: N8nInstance;
let acme: AcmeTasksFake;
const logs: string[] = [];

const apiKeyCredential = { rillsAcmeTasksApi: { id: 'acmeKey', name: 'Acme key' } };
const acmeNode = (
	parameters: Record<string, unknown>,
	credentials: WorkflowNode['credentials'] = apiKeyCredential,
): WorkflowNode => ({ name: 'Acme', type: 'CUSTOM.acmeTasks', parameters, credentials });

async function run(...nodes: WorkflowNode[]): Promise<Execution> {
	const execution = await n8n.run(nodes);
	logs.push(execution.log);
	return execution;
}

const taskRequests = () => acme.requests.filter((r) => r.path === '/api/v1/tasks' && r.method === 'GET');

beforeAll(async () => {
	acme = await startAcmeTasks({ oauth1 });
	n8n = await N8nInstance.create();
	// Runs go through one `n8n start` rather than an n8n boot per import and execute.
	await N8nServer.start(n8n);
	await n8n.importCredentials([
		{ id: 'acmeKey', name: 'Acme key', type: 'rillsAcmeTasksApi', data: { server: acme.url, apiKey: acme.apiKey } },
		{
			id: 'acmeWrongKey',
			name: 'Acme old key',
			type: 'rillsAcmeTasksApi',
			data: { server: acme.url, apiKey: 'revoked-key-0000' },
		},
		{
			id: 'acmeOAuth1',
			name: 'Acme OAuth1',
			type: 'rillsAcmeTasksOAuth1Api',
			data: {
				server: acme.url,
				consumerKey: oauth1.consumerKey,
				consumerSecret: oauth1.consumerSecret,
				oauthTokenData: { oauth_token: oauth1.token, oauth_token_secret: oauth1.tokenSecret },
			},
		},
		{
			id: 'acmeOAuth1Bad',
			name: 'Acme OAuth1 wrong secret',
			type: 'rillsAcmeTasksOAuth1Api',
			data: {
				server: acme.url,
				consumerKey: oauth1.consumerKey,
				consumerSecret: 'not-the-secret',
				oauthTokenData: { oauth_token: oauth1.token, oauth_token_secret: oauth1.tokenSecret },
			},
		},
	]);
});

afterAll(async () => {
	await n8n?.close();
	await acme?.close();
});

beforeEach(() => acme.requests.splice(0));

it('Return All follows the Link header over 6 pages and returns every task exactly once', async () => {
	const execution = await run(acmeNode({ resource: 'task', operation: 'getAll', returnAll: true }));
	expect(execution.error).toBeUndefined();
	const ids = execution.output.Acme.map((t) => t.id);
	expect(ids).toHaveLength(acme.tasks.length);
	expect(new Set(ids)).toEqual(new Set(acme.tasks.map((t) => t.id)));
	expect(taskRequests().map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '3', '4', '5', '6']);
	expect(taskRequests().every((r) => r.query.get('per_page') === '100')).toBe(true);
});

it('Limit stops fetching once it has enough items', async () => {
	const execution = await run(acmeNode({ resource: 'task', operation: 'getAll', returnAll: false, limit: 150 }));
	expect(execution.output.Acme.map((t) => t.id)).toEqual(acme.tasks.slice(0, 150).map((t) => t.id));
	expect(taskRequests()).toHaveLength(2);
});

it('a small Limit asks for a page of that size only', async () => {
	const execution = await run(
		acmeNode({
			resource: 'task',
			operation: 'getAll',
			returnAll: false,
			limit: 7,
			additionalFields: { status: 'done' },
		}),
	);
	expect(execution.output.Acme).toHaveLength(7);
	expect(execution.output.Acme.every((t) => t.status === 'done')).toBe(true);
	expect(taskRequests().map((r) => Object.fromEntries(r.query))).toEqual([{ per_page: '7', status: 'done' }]);
});

it('sends the API key with its preamble and the declared extra headers', async () => {
	await run(acmeNode({ resource: 'task', operation: 'get', id: 't3' }));
	const [request] = acme.requests;
	expect(request.headers).toMatchObject({
		authorization: `Token ${acme.apiKey}`,
		'x-acme-client': 'n8n-rills',
		accept: 'application/vnd.acme.v1+json',
	});
});

it('sends only the Additional Fields that are filled in', async () => {
	const execution = await run(
		acmeNode({
			resource: 'task',
			operation: 'create',
			title: 'Write report',
			additionalFields: { notes: 'by Friday', labels: '["urgent"]', due: '' },
		}),
	);
	expect(execution.output.Acme[0]).toMatchObject({
		title: 'Write report',
		notes: 'by Friday',
		labels: ['urgent'],
		status: 'open',
	});
	expect(acme.requests[0].body).toEqual({ title: 'Write report', notes: 'by Friday', labels: ['urgent'] });
});

it('signs requests with OAuth1 (HMAC-SHA256) so the service can verify them', async () => {
	const verifiedBefore = acme.oauth1Verified.length;
	const execution = await run(
		acmeNode(
			{
				authentication: 'oAuth1',
				resource: 'task',
				operation: 'getAll',
				returnAll: false,
				limit: 3,
				additionalFields: { assignee: 'u1' },
			},
			{ rillsAcmeTasksOAuth1Api: { id: 'acmeOAuth1', name: 'Acme OAuth1' } },
		),
	);
	expect(execution.error).toBeUndefined();
	expect(execution.output.Acme.map((t) => t.assignee)).toEqual(['u1', 'u1', 'u1']);
	expect(acme.oauth1Verified.length - verifiedBefore).toBe(1);
});

it('an OAuth1 credential with the wrong consumer secret is refused with a reconnect hint', async () => {
	const execution = await run(
		acmeNode(
			{ authentication: 'oAuth1', resource: 'task', operation: 'get', id: 't1' },
			{ rillsAcmeTasksOAuth1Api: { id: 'acmeOAuth1Bad', name: 'Acme OAuth1 wrong secret' } },
		),
	);
	expect(execution.error?.message).toBe(
		'Acme Tasks rejected "Acme OAuth1 wrong secret": it has expired or was revoked',
	);
	expect(execution.error?.description).toContain('Reconnect');
	expect(execution.error?.description).toContain('OAuth signature does not match');
});

it('a rejected API key says to reconnect and quotes the service', async () => {
	const execution = await run(
		acmeNode(
			{ resource: 'task', operation: 'get', id: 't1' },
			{ rillsAcmeTasksApi: { id: 'acmeWrongKey', name: 'Acme old key' } },
		),
	);
	expect(execution.status).toBe('error');
	expect(execution.error?.message).toBe('Acme Tasks rejected "Acme old key": it has expired or was revoked');
	expect(execution.error?.description).toMatch(/^Reconnect "Acme old key".*Acme Tasks said: Invalid API key$/);
});

it('a missing task is a 404 error naming what to check; Continue On Fail turns it into an item', async () => {
	const failing = await run(acmeNode({ resource: 'task', operation: 'get', id: 'nope' }));
	expect(failing.error?.message).toBe('Acme Tasks found nothing at this address');
	const continued = await run({
		...acmeNode({ resource: 'task', operation: 'get', id: 'nope' }),
		onError: 'continueRegularOutput',
	});
	expect(continued.status).toBe('success');
	expect(continued.output.Acme).toEqual([
		{
			error: 'Acme Tasks found nothing at this address',
			description: 'Check the IDs and other fields of this operation. Acme Tasks said: No task nope',
		},
	]);
});

it('Connection → Check reports the service, status and health that operations update too', async () => {
	const good = await run(acmeNode({ resource: 'connection', operation: 'check' }));
	const report = good.output.Acme[0];
	expect(report).toMatchObject({
		status: 'ok',
		httpStatus: 200,
		service: 'Acme Tasks',
		credential: 'Acme key',
		scopes: null,
		error: null,
		connectionStatus: 'active',
		consecutiveFailures: 0,
		lastError: null,
		rotatedAt: null,
		previousStatus: 'active',
		statusChanged: false,
	});
	expect(typeof report.latencyMs).toBe('number');
	expect(Date.parse(String(report.lastValidatedAt))).toBeGreaterThanOrEqual(Date.parse(String(report.checkedAt)));
	expect(report).not.toHaveProperty('keyHash');
	// Two failed operations, then two checks, with one credential: the workflow remembers each failure.
	const twoItems = {
		name: 'Two items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: 'return [{ json: {} }, { json: {} }];' },
	};
	const oldKey = { rillsAcmeTasksApi: { id: 'acmeWrongKey', name: 'Acme old key' } };
	const bad = await run(
		twoItems,
		{
			...acmeNode({ resource: 'task', operation: 'get', id: 't1' }, oldKey),
			name: 'Acme Task',
			onError: 'continueRegularOutput',
		},
		acmeNode({ resource: 'connection', operation: 'check' }, oldKey),
	);
	expect(bad.status).toBe('success');
	expect(bad.output['Acme Task']).toHaveLength(2);
	expect(bad.output.Acme[0]).toMatchObject({ status: 'failed', httpStatus: 401, credential: 'Acme old key' });
	expect(String(bad.output.Acme[0].detail)).toContain('Invalid API key');
	expect(bad.output.Acme.map((check) => check.consecutiveFailures)).toEqual([3, 4]);
	// The failed operation already moved the connection from active to expired.
	expect(bad.output.Acme[0]).toMatchObject({ previousStatus: 'expired', statusChanged: false });
	expect(bad.output.Acme[1]).toMatchObject({
		connectionStatus: 'expired',
		lastValidatedAt: null,
		// The service's own words.
		lastError: 'Invalid API key',
	});
});

it('no key, token secret or consumer secret appears in any output or log', () => {
	expect(logs.length).toBeGreaterThan(5);
	for (const secret of [acme.apiKey, 'revoked-key-0000', oauth1.consumerSecret, oauth1.tokenSecret]) {
		expect(logs.filter((log) => log.includes(secret))).toEqual([]);
	}
});
