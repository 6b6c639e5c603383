/**
 * Asana inside a real n8n 2.41: every action with a personal access token and with OAuth2 scopes,
 * bodies wrapped in `data`, `limit`/`offset` pages under Return All and Limit, Asana's error
 * answers and 429 Retry-After; both webhook triggers answering Asana's X-Hook-Secret handshake
 * while `POST /webhooks` is in flight, verifying X-Hook-Signature with that secret, one item per
 * picked event of a delivery's `events`, and deleting the webhook when unpublished.
 */
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startAsana, type AsanaFake } from '../fakes/asana';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { actionNodes, CatalogRun, type CredentialRef, importConnected, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Asana/asana.integration.yaml'));

let asana: AsanaFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let runs: CatalogRun;
const secrets: string[] = [];

const pat = { rillsAsanaApi: { id: 'asanaPat', name: 'Asana PAT' } };
let oauth: WorkflowNode['credentials'];
const node = actionNodes('CUSTOM.asana', { rillsAsanaApi: 'apiKey', rillsAsanaOAuth2Api: 'oAuth2' });
const asanaNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = pat) =>
	node(name, parameters, credentials);

const run = (...nodes: WorkflowNode[]) => runs.run(...nodes);

beforeAll(async () => {
	asana = await startAsana({ taskCount: 230 });
	const token = asana.grant(['tasks:read', 'tasks:write']);
	secrets.push(asana.pat, token, 'asana-client-secret-3b9d');
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	await n8n.importCredentials([
		{ id: 'asanaPat', name: 'Asana PAT', type: 'rillsAsanaApi', data: { host: asana.url, apiKey: asana.pat } },
	]);
	oauth = await importConnected(n8n, {
		id: 'asanaOAuth',
		type: 'rillsAsanaOAuth2Api',
		token,
		scopes: ['tasks:read', 'tasks:write'],
		tokenType: 'bearer',
		data: { host: asana.url, clientId: 'asana-client', clientSecret: 'asana-client-secret-3b9d' },
	});
});

afterAll(() => shutDown(server, runs, asana));

describe('actions', () => {
	it('creates a task, assigns it and updates the project, every body wrapped in data, with the PAT as Bearer', async () => {
		const execution = await run(
			asanaNode('Create', {
				resource: 'task',
				operation: 'create',
				// Picked From List; Project below and the others hold plain GIDs, as workflows saved before pickers.
				dataWorkspace: {
					__rl: true,
					mode: 'list',
					value: asana.workspace.gid,
					cachedResultName: 'Acme Workspace',
				},
				dataName: 'Write launch notes',
				additionalFields: { dataProjects: `["${asana.project.gid}"]`, dataDueOn: '2026-12-31' },
			}),
			asanaNode('Assign', {
				resource: 'task',
				operation: 'assign',
				taskGid: '={{ $json.gid }}',
				dataAssignee: 'grace@example.com',
			}),
			asanaNode('Project', {
				resource: 'project',
				operation: 'update',
				projectGid: asana.project.gid,
				additionalFields: { dataNotes: 'Launch on Monday', dataColor: 'dark-green', dataArchived: false },
			}),
		);
		expect(execution.error).toBeUndefined();
		const task = asana.tasks[asana.tasks.length - 1];
		expect(execution.output.Create).toEqual([
			expect.objectContaining({
				gid: task.gid,
				name: 'Write launch notes',
				due_on: '2026-12-31',
				assignee: null,
			}),
		]);
		expect(execution.output.Assign).toEqual([
			expect.objectContaining({
				gid: task.gid,
				assignee: { gid: asana.users[1].gid, name: 'Grace Hopper', resource_type: 'user' },
			}),
		]);
		expect(execution.output.Project).toEqual([
			expect.objectContaining({
				gid: asana.project.gid,
				notes: 'Launch on Monday',
				color: 'dark-green',
				archived: false,
			}),
		]);

		const [create] = asana.api('POST', '/tasks');
		expect(create.headers.authorization).toBe(`Bearer ${asana.pat}`);
		expect(create.body).toEqual({
			data: {
				workspace: asana.workspace.gid,
				name: 'Write launch notes',
				projects: [asana.project.gid],
				due_on: '2026-12-31',
			},
		});
		expect(asana.api('PUT', `/tasks/${task.gid}`)[0].body).toEqual({ data: { assignee: 'grace@example.com' } });
		expect(asana.api('PUT', `/projects/${asana.project.gid}`)[0].body).toEqual({
			data: { notes: 'Launch on Monday', color: 'dark-green', archived: false },
		});
		coverage.ran('task:create');
		coverage.ran('task:assign');
		coverage.ran('project:update');
	});

	it('Return All follows next_page.offset with limit=100 over three pages; Limit 5 asks for 5 once', async () => {
		const execution = await run(
			asanaNode('All', {
				resource: 'task',
				operation: 'getAll',
				returnAll: true,
				additionalFields: { project: asana.project.gid },
			}),
			asanaNode('Five', {
				resource: 'task',
				operation: 'getAll',
				returnAll: false,
				limit: 5,
				// By URL: the GID is read from the project's address in Asana's web app.
				additionalFields: {
					project: {
						__rl: true,
						mode: 'url',
						value: `https://app.asana.com/1/${asana.workspace.gid}/project/${asana.project.gid}/list/1`,
					},
				},
			}),
		);
		expect(execution.error).toBeUndefined();
		expect(execution.output.All.map((t) => t.gid)).toEqual(
			asana.tasks.filter((t) => t.projects.includes(asana.project.gid)).map((t) => t.gid),
		);
		expect(execution.output.Five.map((t) => t.name)).toEqual(['Task 1', 'Task 2', 'Task 3', 'Task 4', 'Task 5']);
		const pages = asana.api('GET', '/tasks');
		expect(pages.map((r) => [r.query.get('limit'), r.query.get('offset') !== null])).toEqual([
			['100', false],
			['100', true],
			['100', true],
			['5', false],
		]);
		expect(new Set(pages.slice(0, 3).map((r) => r.query.get('offset'))).size).toBe(3);
		coverage.ran('task:getAll');
	});

	it('Asana’s errors say what to do: missing list filter, unknown task, a scope the OAuth credential lacks; a 429 is waited out', async () => {
		asana.throttleNext(1, 2);
		const execution = await run(
			{
				...asanaNode('No filter', { resource: 'task', operation: 'getAll', returnAll: true }),
				onError: 'continueRegularOutput',
			},
			{
				...asanaNode('Unknown', { resource: 'task', operation: 'assign', taskGid: '999', dataAssignee: 'me' }),
				onError: 'continueRegularOutput',
			},
			{
				...asanaNode(
					'No scope',
					{
						resource: 'project',
						operation: 'update',
						projectGid: asana.project.gid,
						additionalFields: { dataName: 'X' },
					},
					oauth,
				),
				onError: 'continueRegularOutput',
			},
			asanaNode(
				'OAuth',
				{ resource: 'task', operation: 'assign', taskGid: asana.tasks[0].gid, dataAssignee: 'me' },
				oauth,
			),
		);
		expect(execution.error).toBeUndefined();
		// The first request met the 429, waited its 2 s and was retried: the error below is the retry's answer.
		expect(asana.violations).toEqual([]);
		expect(execution.output['No filter'][0].error).toBe('Asana rejected the request (400)');
		expect(execution.output['No filter'][0].description).toContain('Must specify exactly one of project');
		expect(execution.output.Unknown[0].error).toBe('Asana found nothing at this address');
		expect(execution.output.Unknown[0].description).toContain('task: Unknown object: 999');
		expect(execution.output['No scope'][0].error).toBe(
			'"asanaOAuth" was not granted the scope projects:write that this operation needs',
		);
		expect(execution.output.OAuth[0]).toMatchObject({
			gid: asana.tasks[0].gid,
			assignee: { name: 'Ada Lovelace' },
		});
		expect(asana.api('PUT', `/tasks/${asana.tasks[0].gid}`)[0].headers.authorization).toMatch(/^Bearer 2\/oauth\//);
	});

	it('Connection → Check reads /users/me', async () => {
		const execution = await run(asanaNode('Check', { resource: 'connection', operation: 'check' }));
		expect(execution.output.Check[0]).toMatchObject({ status: 'ok', httpStatus: 200 });
		expect(asana.api('GET', '/users/me')).toHaveLength(1);
	});
});

describe('triggers', () => {
	let taskWorkflow: string;
	let projectWorkflow: string;
	const settled = async (workflowId: string, count: number) => {
		const executions = await triggerExecutions(server!, workflowId, count);
		runs.logs.push(JSON.stringify(executions));
		return executions;
	};
	const hookOn = (resource: string) => [...asana.webhooks.values()].find((w) => w.resource === resource)!;

	beforeAll(async () => {
		const trigger = (name: string, parameters: Record<string, unknown>, webhookId: string): WorkflowNode => ({
			name,
			type: 'CUSTOM.asanaTrigger',
			webhookId,
			parameters: { authentication: 'apiKey', ...parameters },
			credentials: pat,
		});
		taskWorkflow = await n8n.importWorkflow({
			name: 'Asana task completed',
			nodes: [
				trigger(
					'Completed',
					{ trigger: 'taskCompleted', events: ['taskCompleted'], project: asana.project.gid },
					'7a5a0000-0000-4000-8000-000000000001',
				),
			],
			connections: {},
		});
		projectWorkflow = await n8n.importWorkflow({
			name: 'Asana project created',
			nodes: [
				trigger(
					'Project',
					{ trigger: 'projectCreated', events: ['projectCreated'], workspace: asana.workspace.gid },
					'7a5a0000-0000-4000-8000-000000000002',
				),
			],
			connections: {},
		});
		server = await N8nServer.start(n8n);
	});

	it('publishing creates each webhook and answers the X-Hook-Secret handshake sent while POST /webhooks is in flight', async () => {
		await server!.activate(taskWorkflow);
		await server!.activate(projectWorkflow);
		await waitFor('two webhooks', () => (asana.webhooks.size === 2 ? true : undefined));
		expect(asana.handshakes).toEqual([
			{ status: 200, echoed: true },
			{ status: 200, echoed: true },
		]);
		const creates = asana.api('POST', '/webhooks').map((r) => r.body);
		expect(creates).toEqual(
			expect.arrayContaining([
				{
					data: {
						resource: asana.project.gid,
						target: expect.stringContaining('/webhook/7a5a0000-0000-4000-8000-000000000001/'),
						filters: [{ resource_type: 'task', action: 'changed', fields: ['completed'] }],
					},
				},
				{
					data: {
						resource: asana.workspace.gid,
						target: expect.stringContaining('/webhook/7a5a0000-0000-4000-8000-000000000002/'),
						filters: [{ resource_type: 'project', action: 'added' }],
					},
				},
			]),
		);
		for (const webhook of asana.webhooks.values()) secrets.push(webhook.secret);
		// The handshakes started nothing.
		expect(await server!.executions(taskWorkflow)).toEqual([]);
	});

	it('a completed task and a new project each start one execution with the event; a heartbeat starts nothing', async () => {
		await asana.completeTask(asana.tasks[3].gid);
		await asana.createProject('Q3 Roadmap');
		await asana.heartbeat();
		expect(asana.deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200]);
		const tasks = await settled(taskWorkflow, 1);
		const projects = await settled(projectWorkflow, 1);
		expect(tasks[0].output.Completed).toEqual([
			expect.objectContaining({
				action: 'changed',
				resource: { gid: asana.tasks[3].gid, resource_type: 'task' },
				change: { field: 'completed', action: 'changed' },
			}),
		]);
		expect(projects[0].output.Project).toEqual([
			expect.objectContaining({
				action: 'added',
				resource: expect.objectContaining({ resource_type: 'project' }),
			}),
		]);
		coverage.ran('trigger:taskCompleted');
		coverage.ran('trigger:projectCreated');
	});

	it('of a batch, only the picked events become items; unsigned or wrongly signed deliveries get 401', async () => {
		const webhook = hookOn(asana.project.gid);
		const completed = {
			action: 'changed',
			resource: { gid: asana.tasks[5].gid, resource_type: 'task' },
			change: { field: 'completed', action: 'changed' },
		};
		const renamed = {
			action: 'changed',
			resource: { gid: asana.tasks[6].gid, resource_type: 'task' },
			change: { field: 'name', action: 'changed' },
		};
		expect((await asana.deliver(webhook, [completed], 'none')).status).toBe(401);
		expect((await asana.deliver(webhook, [completed], 'wrong')).status).toBe(401);
		expect((await asana.deliver(webhook, [renamed, completed])).status).toBe(200);
		const executions = await settled(taskWorkflow, 2);
		expect(executions).toHaveLength(2);
		const latest = executions.find(
			(e) =>
				e.output.Completed?.[0]?.resource &&
				(e.output.Completed[0].resource as { gid: string }).gid === asana.tasks[5].gid,
		);
		expect(latest?.output.Completed).toEqual([completed]);
	});

	it('unpublishing deletes the webhooks', async () => {
		const gids = [...asana.webhooks.keys()];
		await server!.deactivate(taskWorkflow);
		await server!.deactivate(projectWorkflow);
		await waitFor('both webhooks deleted', () => (asana.webhooks.size === 0 ? true : undefined));
		expect(gids.map((gid) => asana.api('DELETE', `/webhooks/${gid}`).length)).toEqual([1, 1]);
	});
});

describe('pickers', () => {
	const picker = (methodName: string, path: string, parameters: Record<string, unknown>, more = {}) =>
		server!.listSearch({
			nodeType: 'CUSTOM.asana',
			methodName,
			path,
			parameters: { authentication: 'apiKey', ...parameters },
			credentials: pat,
			...more,
		});

	it('Workspace lists the user’s workspaces; Project pages the chosen workspace’s open projects and filters by name', async () => {
		server ??= await N8nServer.start(n8n);
		const workspaces = await picker('dataWorkspace', 'dataWorkspace', { resource: 'task', operation: 'create' });
		expect(workspaces).toEqual({
			results: [
				{ name: 'Acme Workspace', value: asana.workspace.gid },
				{ name: 'Side Projects', value: '1100000000000002' },
			],
		});
		expect(asana.api('GET', '/workspaces').map((r) => r.query.get('limit'))).toEqual(['100']);

		const update = { resource: 'project', operation: 'update' };
		const chosen = { __rl: true, mode: 'list', value: asana.workspace.gid, cachedResultName: 'Acme Workspace' };
		const first = await picker('project', 'projectGid', { ...update, additionalFields: { workspace: chosen } });
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({
			name: 'Launch',
			value: asana.project.gid,
			url: `https://app.asana.com/0/${asana.project.gid}/list`,
		});
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await picker(
			'project',
			'projectGid',
			{ ...update, additionalFields: { workspace: chosen } },
			{ paginationToken: first.paginationToken },
		);
		// 131 projects in the workspace, 5 of them archived.
		expect(second.results).toHaveLength(26);
		expect(second.paginationToken).toBeUndefined();
		const names = [...first.results, ...second.results].map((p) => p.name);
		expect(new Set(names).size).toBe(126);
		expect(names).not.toContain('Project 026');
		const reads = asana.api('GET', '/projects');
		expect(reads.map((r) => [r.query.get('workspace'), r.query.get('archived'), r.query.has('offset')])).toEqual([
			[asana.workspace.gid, 'false', false],
			[asana.workspace.gid, 'false', true],
		]);
		expect(reads.every((r) => r.headers.authorization === `Bearer ${asana.pat}`)).toBe(true);

		// Asana's lists have no search: a page is filtered by name. The other workspace (By ID) has its own projects.
		const side = { __rl: true, mode: 'id', value: '1100000000000002' };
		expect(
			(
				await picker(
					'project',
					'additionalFields.project',
					{ resource: 'task', operation: 'getAll', additionalFields: { workspace: side } },
					{ filter: 'garden 2' },
				)
			).results,
		).toEqual([
			{ name: 'Garden 2', value: '1300000000000133', url: 'https://app.asana.com/0/1300000000000133/list' },
		]);
		await expect(picker('project', 'projectGid', update)).rejects.toThrow(/Choose \\"workspace\\" first/);
	});
});

it('no token, client secret or handshake secret appears in any log or output', () => {
	expect(secrets.length).toBe(5);
	for (const secret of secrets) {
		for (const log of [...runs.logs, server?.log ?? '']) expect(log).not.toContain(secret);
	}
	expect(coverage.missing()).toEqual([]);
});

it("answered and delivered events as Asana's description says", () => {
	expect(asana.drift).toEqual([]);
});
