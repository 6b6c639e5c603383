/**
 * Linear inside a real n8n 2.41: every action as a GraphQL document checked by graphql-js against
 * Linear's schema (personal API key without Bearer, and OAuth2 with per-mutation scopes), Relay
 * cursor pages with `first`/`after` variables under Return All and Limit, GraphQL `errors` in
 * 200 and 400 answers turned into n8n errors, RATELIMITED waited out, and both webhook triggers
 * subscribing with `webhookCreate`, verifying `Linear-Signature` and `webhookTimestamp`, and
 * unsubscribing with `webhookDelete`.
 */
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startLinear, type LinearFake } from '../fakes/linear';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { actionNodes, CatalogRun, type CredentialRef, importConnected, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Linear/linear.integration.yaml'));

let linear: LinearFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let runs: CatalogRun;
const secrets: string[] = [];

const apiKey = { rillsLinearApi: { id: 'linearKey', name: 'Linear key' } };
let oauth: WorkflowNode['credentials'];
const node = actionNodes('CUSTOM.linear', { rillsLinearApi: 'apiKey', rillsLinearOAuth2Api: 'oAuth2' });
const linearNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = apiKey) =>
	node(name, parameters, credentials);

const run = (...nodes: WorkflowNode[]) => runs.run(...nodes);

beforeAll(async () => {
	linear = await startLinear({ issueCount: 7 });
	const token = linear.grant(['read', 'issues:create']);
	secrets.push(linear.apiKey, token, 'linear-client-secret-77aa');
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	await n8n.importCredentials([
		{
			id: 'linearKey',
			name: 'Linear key',
			type: 'rillsLinearApi',
			data: { apiUrl: linear.url, apiKey: linear.apiKey },
		},
		{
			id: 'badKey',
			name: 'Bad key',
			type: 'rillsLinearApi',
			data: { apiUrl: linear.url, apiKey: 'lin_api_revoked0000000000' },
		},
	]);
	// Linear's token response lists scopes comma-separated, as its authorize URL takes them.
	oauth = await importConnected(n8n, {
		id: 'linearOAuth',
		type: 'rillsLinearOAuth2Api',
		token,
		scopes: ['read', 'issues:create'],
		scopeSeparator: ',',
		data: { apiUrl: linear.url, clientId: 'linear-client', clientSecret: 'linear-client-secret-77aa' },
	});
});

afterAll(() => shutDown(server, runs, linear));

describe('actions', () => {
	it('creates an issue, moves it to another status and comments on it, chained by expressions, with the API key sent bare', async () => {
		const execution = await run(
			linearNode('Create', {
				resource: 'issue',
				operation: 'create',
				inputTeamId: linear.team.id,
				inputTitle: 'Ship the GraphQL kind',
				additionalFields: { inputPriority: 2, inputLabelIds: '["label-1"]' },
			}),
			linearNode('Status', {
				resource: 'issue',
				operation: 'updateStatus',
				id: '={{ $json.identifier }}',
				inputStateId: 'state-doing',
			}),
			linearNode('Comment', {
				resource: 'comment',
				operation: 'add',
				inputIssueId: '={{ $json.id }}',
				inputBody: 'Started on this',
			}),
		);
		expect(execution.error).toBeUndefined();
		const created = linear.issues[linear.issues.length - 1];
		expect(execution.output.Create).toEqual([
			expect.objectContaining({
				id: created.id,
				identifier: 'ENG-8',
				title: 'Ship the GraphQL kind',
				priority: 2,
				state: { id: 'state-todo', name: 'Todo', type: 'unstarted' },
			}),
		]);
		expect(execution.output.Status).toEqual([
			expect.objectContaining({
				id: created.id,
				state: { id: 'state-doing', name: 'In Progress', type: 'started' },
			}),
		]);
		expect(execution.output.Comment).toEqual([
			expect.objectContaining({ body: 'Started on this', issue: { id: created.id, identifier: 'ENG-8' } }),
		]);

		const [create] = linear.calls('issueCreate');
		expect(create.method).toBe('POST');
		expect(create.headers.authorization).toBe(linear.apiKey);
		expect(create.headers['content-type']).toContain('application/json');
		expect(create.body.variables).toEqual({
			input: { teamId: linear.team.id, title: 'Ship the GraphQL kind', priority: 2, labelIds: ['label-1'] },
		});
		expect(linear.calls('issueUpdate')[0].body.variables).toEqual({
			id: 'ENG-8',
			input: { stateId: 'state-doing' },
		});
		expect(linear.calls('commentCreate')[0].body.variables).toEqual({
			input: { issueId: created.id, body: 'Started on this' },
		});
		expect(linear.comments).toEqual([{ id: expect.any(String), issueId: created.id, body: 'Started on this' }]);
		coverage.ran('issue:create');
		coverage.ran('issue:updateStatus');
		coverage.ran('comment:add');
	});

	it('Return All follows endCursor through `after` until hasNextPage is false; Limit asks for `first: limit` and stops', async () => {
		const before = linear.calls('issues').length;
		const execution = await run(
			linearNode('All', { resource: 'issue', operation: 'getAll', returnAll: true }),
			linearNode('Three', {
				resource: 'issue',
				operation: 'getAll',
				returnAll: false,
				limit: 3,
				additionalFields: { filter: '{"team": {"key": {"eq": "ENG"}}}' },
			}),
		);
		expect(execution.error).toBeUndefined();
		expect(execution.output.All.map((i) => i.identifier)).toEqual(linear.issues.map((i) => i.identifier));
		expect(execution.output.Three.map((i) => i.identifier)).toEqual(['ENG-1', 'ENG-2', 'ENG-3']);
		const [first, ...rest] = linear.calls('issues').slice(before);
		// 8 issues, 50 a page: one page for Return All; Limit 3 asks for exactly 3, once.
		expect(first.body.variables).toEqual({ first: 50 });
		expect(rest.map((r) => r.body.variables)).toEqual([{ filter: { team: { key: { eq: 'ENG' } } }, first: 3 }]);
		coverage.ran('issue:getAll');
	});

	it('pages of 50 over 120 issues: three requests, each `after` the previous endCursor, every issue once', async () => {
		while (linear.issues.length < 120) await linear.createIssue(`Backlog ${linear.issues.length + 1}`);
		const before = linear.calls('issues').length;
		const execution = await run(linearNode('All', { resource: 'issue', operation: 'getAll', returnAll: true }));
		const pages = linear.calls('issues').slice(before);
		expect(pages.map((r) => r.body.variables)).toEqual([
			{ first: 50 },
			{ first: 50, after: Buffer.from(linear.issues[49].id).toString('base64') },
			{ first: 50, after: Buffer.from(linear.issues[99].id).toString('base64') },
		]);
		expect(execution.output.All.map((i) => i.id)).toEqual(linear.issues.map((i) => i.id));
	});

	it('GraphQL errors become n8n errors: a bad key says reconnect, an unknown id in a 200 answer says check the IDs, a missing scope fails only that operation', async () => {
		const execution = await run(
			{
				...linearNode(
					'Bad key',
					{ resource: 'issue', operation: 'getAll', returnAll: true },
					{ rillsLinearApi: { id: 'badKey', name: 'Bad key' } },
				),
				onError: 'continueRegularOutput',
			},
			{
				...linearNode('Unknown', {
					resource: 'issue',
					operation: 'updateStatus',
					id: 'ENG-999',
					inputStateId: 'state-done',
				}),
				onError: 'continueRegularOutput',
			},
			{
				...linearNode(
					'No scope',
					{ resource: 'comment', operation: 'add', inputIssueId: 'ENG-1', inputBody: 'hi' },
					oauth,
				),
				onError: 'continueRegularOutput',
			},
			linearNode(
				'Scoped',
				{
					resource: 'issue',
					operation: 'create',
					// Picked From List; the API-key nodes above hold the plain team ID of a workflow saved before.
					inputTeamId: { __rl: true, mode: 'list', value: linear.team.id, cachedResultName: 'Engineering' },
					inputTitle: 'Via OAuth',
				},
				oauth,
			),
		);
		expect(execution.error).toBeUndefined();
		expect(execution.output['Bad key'][0].error).toBe('Linear rejected "Bad key": it has expired or was revoked');
		expect(execution.output['Bad key'][0].description).toContain('Authentication required');
		expect(execution.output.Unknown[0].error).toBe('Linear found nothing at this address');
		expect(execution.output.Unknown[0].description).toContain('Entity not found: Issue');
		expect(execution.output['No scope'][0].error).toBe(
			'"linearOAuth" was not granted the scope comments:create that this operation needs',
		);
		expect(linear.calls('commentCreate').filter((r) => r.headers.authorization?.startsWith('Bearer '))).toEqual([]);
		expect(execution.output.Scoped[0]).toMatchObject({ title: 'Via OAuth' });
		const oauthCall = linear.calls('issueCreate').at(-1)!;
		expect(oauthCall.headers.authorization).toMatch(/^Bearer lin_oauth_/);
	});

	it('a RATELIMITED answer is waited out until X-RateLimit-Requests-Reset and retried', async () => {
		linear.throttleNext(1, 1500);
		const before = linear.calls('issues').length;
		const execution = await run(
			linearNode('Limited', { resource: 'issue', operation: 'getAll', returnAll: false, limit: 2 }),
		);
		expect(execution.error).toBeUndefined();
		expect(execution.output.Limited).toHaveLength(2);
		expect(linear.calls('issues').length - before).toBe(2);
		expect(linear.violations).toEqual([]);
	});

	it('Connection → Check runs the viewer query; the credential Test request is that query too', async () => {
		const execution = await run(linearNode('Check', { resource: 'connection', operation: 'check' }));
		expect(execution.output.Check[0]).toMatchObject({ status: 'ok', httpStatus: 200, error: null });
		expect(linear.calls('viewer').at(-1)!.body).toEqual({ query: 'query Viewer { viewer { id name email } }' });
	});
});

describe('triggers', () => {
	let createdWorkflow: string;
	let statusWorkflow: string;
	const triggerNode = (name: string, trigger: string, webhookId: string): WorkflowNode => ({
		name,
		type: 'CUSTOM.linearTrigger',
		webhookId,
		parameters: { authentication: 'apiKey', trigger, events: [trigger], teamId: linear.team.id },
		credentials: apiKey,
	});
	const settled = async (workflowId: string, count: number) => {
		const executions = await triggerExecutions(server!, workflowId, count);
		runs.logs.push(JSON.stringify(executions));
		return executions;
	};
	const hookFor = (workflowId: string) =>
		[...linear.webhooks.values()].find((w) =>
			w.url.includes(workflowId === createdWorkflow ? 'a11ce000' : 'b0b00000'),
		)!;

	beforeAll(async () => {
		createdWorkflow = await n8n.importWorkflow({
			name: 'Linear issue created',
			nodes: [triggerNode('Created', 'issueCreated', '5c1d0c6e-0000-4000-8000-a11ce0000001')],
			connections: {},
		});
		statusWorkflow = await n8n.importWorkflow({
			name: 'Linear status changed',
			nodes: [triggerNode('Status', 'issueStatusChanged', '5c1d0c6e-0000-4000-8000-b0b000000001')],
			connections: {},
		});
		server = await N8nServer.start(n8n);
	});

	it('publishing subscribes each trigger with webhookCreate for the team, Issue events and a generated secret', async () => {
		await server!.activate(createdWorkflow);
		await server!.activate(statusWorkflow);
		await waitFor('two webhooks', () => (linear.webhooks.size === 2 ? true : undefined));
		for (const webhook of linear.webhooks.values()) {
			expect(webhook).toMatchObject({ teamId: linear.team.id, resourceTypes: ['Issue'], label: 'n8n' });
			expect(webhook.url.startsWith(`${server!.url}/webhook/`)).toBe(true);
			expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
			secrets.push(webhook.secret);
		}
		const create = linear.calls('webhookCreate')[0];
		expect(create.headers.authorization).toBe(linear.apiKey);
		expect(create.body.variables).toEqual({
			input: {
				url: expect.any(String),
				teamId: linear.team.id,
				resourceTypes: ['Issue'],
				secret: expect.any(String),
				label: 'n8n',
			},
		});
	});

	it('a new issue starts only the Issue Created workflow; a status change only the Status Changed one; a title change neither', async () => {
		const issue = await linear.createIssue('Customer reported a bug');
		await settled(createdWorkflow, 1);
		await linear.updateIssue(issue.id, { title: 'Customer reported a crash' });
		await linear.updateIssue(issue.id, { stateId: 'state-done' });
		const status = await settled(statusWorkflow, 1);
		// Every delivery was accepted (200), including the ones a trigger ignores.
		expect(linear.deliveries.slice(-6).map((d) => d.status)).toEqual([200, 200, 200, 200, 200, 200]);
		const created = await server!.executions(createdWorkflow);
		expect(created).toHaveLength(1);
		expect(created[0].output.Created).toEqual([
			expect.objectContaining({
				action: 'create',
				type: 'Issue',
				data: expect.objectContaining({ id: issue.id, title: 'Customer reported a bug' }),
			}),
		]);
		expect(status).toHaveLength(1);
		expect(status[0].output.Status).toEqual([
			expect.objectContaining({
				action: 'update',
				updatedFrom: expect.objectContaining({ stateId: 'state-todo' }),
				data: expect.objectContaining({ stateId: 'state-done' }),
			}),
		]);
		coverage.ran('trigger:issueCreated');
		coverage.ran('trigger:issueStatusChanged');
	});

	it('unsigned, wrongly signed and stale deliveries (webhookTimestamp over a minute old) get 401 and start nothing', async () => {
		const webhook = hookFor(createdWorkflow);
		const payload = {
			action: 'create',
			type: 'Issue',
			data: { id: 'x', title: 'Forged' },
			webhookTimestamp: Date.now(),
		};
		expect((await linear.deliver(webhook, payload, { signature: 'none' })).status).toBe(401);
		expect((await linear.deliver(webhook, payload, { signature: 'wrong' })).status).toBe(401);
		const stale = await linear.deliver(webhook, payload, { timestamp: Date.now() - 5 * 60_000 });
		expect(stale.status).toBe(401);
		expect(stale.body).toContain('tolerance');
		expect((await linear.deliver(webhook, { ...payload, webhookTimestamp: undefined })).status).toBe(401);
		expect(await server!.executions(createdWorkflow)).toHaveLength(1);
	});

	it('unpublishing deletes the webhooks with webhookDelete', async () => {
		const ids = [...linear.webhooks.keys()];
		await server!.deactivate(createdWorkflow);
		await server!.deactivate(statusWorkflow);
		await waitFor('both webhooks deleted', () => (linear.webhooks.size === 0 ? true : undefined));
		expect(linear.calls('webhookDelete').map((r) => r.body.variables)).toEqual(
			expect.arrayContaining(ids.map((id) => ({ id }))),
		);
		expect(linear.createdWebhooks).toHaveLength(2);
	});
});

describe('pickers', () => {
	it('Team pages Linear’s teams by cursor and filters a page by name; Status loads the states of the team or the issue', async () => {
		server ??= await N8nServer.start(n8n);
		const named = (name: string) =>
			linear.requests.filter((r) => String(r.body.query).startsWith(`query ${name}(`));
		const create = { authentication: 'apiKey', resource: 'issue', operation: 'create' };
		const teams = (more: { filter?: string; paginationToken?: string } = {}) =>
			server!.listSearch({
				nodeType: 'CUSTOM.linear',
				methodName: 'inputTeamId',
				path: 'inputTeamId',
				parameters: create,
				credentials: apiKey,
				...more,
			});
		const first = await teams();
		expect(first.results).toHaveLength(50);
		expect(first.results.slice(0, 2)).toEqual([
			{ name: 'Engineering', value: linear.team.id },
			{ name: 'Design', value: 'team-des-0002' },
		]);
		const second = await teams({ paginationToken: first.paginationToken });
		expect(second.results.map((t) => t.name)).toEqual(Array.from({ length: 12 }, (_, i) => `Team ${i + 51}`));
		expect(second.paginationToken).toBeUndefined();
		expect((await teams({ filter: 'design' })).results).toEqual([{ name: 'Design', value: 'team-des-0002' }]);
		const asked = named('Teams').map((r) => r.body.variables as Record<string, unknown>);
		expect(asked).toEqual([{ first: 50 }, { first: 50, after: first.paginationToken }, { first: 50 }]);
		expect(linear.calls('teams').every((r) => r.headers.authorization === linear.apiKey)).toBe(true);

		const options = (path: string, parameters: Record<string, unknown>) =>
			server!.loadOptions({
				nodeType: 'CUSTOM.linear',
				methodName: path === 'inputStateId' ? 'inputStateId2' : 'inputStateId',
				path,
				parameters: { ...create, ...parameters },
				credentials: apiKey,
			});
		const design = { __rl: true, mode: 'list', value: 'team-des-0002', cachedResultName: 'Design' };
		expect(await options('additionalFields.inputStateId', { inputTeamId: design })).toEqual([
			{ name: 'Backlog', value: 'state-des-backlog' },
		]);
		const eng = { __rl: true, mode: 'id', value: linear.team.id };
		expect((await options('additionalFields.inputStateId', { inputTeamId: eng })).map((o) => o.name)).toEqual([
			'Todo',
			'In Progress',
			'Done',
		]);
		expect(named('TeamStates').map((r) => r.body.variables)).toEqual([
			{ teamId: 'team-des-0002' },
			{ teamId: linear.team.id },
		]);
		const issue = linear.issues[0];
		expect(await options('inputStateId', { operation: 'updateStatus', id: issue.identifier })).toEqual(
			linear.states.map((st) => ({ name: st.name, value: st.id })),
		);
		expect(named('IssueStates').map((r) => r.body.variables)).toEqual([{ id: issue.identifier }]);
	});
});

it('no API key, token or webhook secret appears in any log or output', async () => {
	expect(secrets.length).toBeGreaterThanOrEqual(4);
	for (const secret of secrets) {
		for (const log of [...runs.logs, server?.log ?? '']) expect(log).not.toContain(secret);
	}
	expect(coverage.missing()).toEqual([]);
});
