/**
 * Jira Cloud inside a real n8n 2.41: every action with email + API token (Basic) on the site URL
 * and with an OAuth2 3LO token through api.atlassian.com's /ex/jira/{cloudId} form, plain text
 * sent as Atlassian Document Format, startAt/total and nextPageToken pages, transitions, 429 with
 * Retry-After, and the trigger receiving a Jira admin webhook's deliveries signed with the
 * credential's secret (X-Hub-Signature: sha256=…), issue and sprint events told apart by webhookEvent.
 */
import { join } from 'node:path';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { CLOUD_ID, jiraThrottled, startJira, type JiraFake } from '../fakes/jira';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import {
	actionNodes,
	CatalogRun,
	type CredentialRef,
	importConnected,
	shutDown,
	triggerExecutions,
	webhookWorkflow,
} from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Jira/jira.integration.yaml'));
const WEBHOOK_SECRET = 'jira-admin-webhook-secret-3e9b';
const CLIENT_SECRET = 'atlassian-client-secret-71aa';

let jira: JiraFake;
let catalog: CatalogRun;
let server: N8nServer | undefined;

const basic = { rillsJiraBasicAuthApi: { id: 'jiraBasic', name: 'Jira token' } };
let readOnly: CredentialRef;
const node = actionNodes('CUSTOM.jira', { rillsJiraBasicAuthApi: 'basicAuth', rillsJiraOAuth2Api: 'oAuth2' });
const jiraNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = basic) =>
	node(name, parameters, credentials);
const calls = (method: string, path: string) =>
	jira.requests.filter((r) => r.method === method && r.path === `/rest/api/3${path}`);
const doc = (...lines: string[]) => ({
	type: 'doc',
	version: 1,
	content: lines.map((text) => ({ type: 'paragraph', ...(text ? { content: [{ type: 'text', text }] } : {}) })),
});

beforeAll(async () => {
	jira = await startJira();
	const token = jira.issueToken(['read:jira-work']);
	catalog = await CatalogRun.create();
	catalog.secrets.push(jira.apiToken, token, WEBHOOK_SECRET, CLIENT_SECRET);
	await catalog.n8n.importCredentials([
		{
			id: 'jiraBasic',
			name: 'Jira token',
			type: 'rillsJiraBasicAuthApi',
			data: { domain: jira.url, username: jira.email, password: jira.apiToken, webhookSecret: WEBHOOK_SECRET },
		},
	]);
	readOnly = await importConnected(catalog.n8n, {
		id: 'jiraRead',
		type: 'rillsJiraOAuth2Api',
		token,
		scopes: ['read:jira-work', 'offline_access'],
		data: { domain: `${jira.url}/ex/jira/${CLOUD_ID}`, clientId: 'rills-3lo', clientSecret: CLIENT_SECRET },
	});
});

afterAll(() => shutDown(server, catalog, jira));

describe('actions', () => {
	it('creates an issue from plain text, updates it with an ADF document, comments, transitions it, and pages comments and a JQL search', async () => {
		const execution = await catalog.run(
			jiraNode('Create Issue', {
				resource: 'issue',
				operation: 'create',
				// By URL: the project key is read from a board's address.
				fieldsProjectKey: {
					__rl: true,
					mode: 'url',
					value: 'https://rills.atlassian.net/jira/software/projects/OPS/boards/1',
				},
				fieldsIssuetypeName: 'Bug',
				fieldsSummary: 'P0: checkout errors',
				additionalFields: {
					fieldsDescription: 'Error rate 12 %\n\nStarted 10:02 UTC',
					fieldsPriorityName: 'Highest',
					fieldsLabels: '["incident"]',
				},
			}),
			jiraNode('Update', {
				resource: 'issue',
				operation: 'update',
				issueIdOrKey: "={{ $('Create Issue').item.json.key }}",
				additionalFields: {
					fieldsSummary: 'P0: checkout errors (EU)',
					fieldsDescription: JSON.stringify(doc('Rolled back')),
					notifyUsers: false,
				},
			}),
			jiraNode('Comment', {
				resource: 'comment',
				operation: 'create',
				issueIdOrKey: "={{ $('Create Issue').item.json.key }}",
				body: 'Paged the on-call engineer',
			}),
			jiraNode('Transitions', {
				resource: 'issue',
				operation: 'getTransitions',
				issueIdOrKey: "={{ $('Create Issue').item.json.key }}",
			}),
			jiraNode('Transition', {
				resource: 'issue',
				operation: 'transition',
				issueIdOrKey: "={{ $('Create Issue').item.json.key }}",
				transitionId: "={{ $('Transitions').all().find(t => t.json.name === 'Done').json.id }}",
			}),
			jiraNode('Comments', { resource: 'comment', operation: 'getAll', issueIdOrKey: 'OPS-1', returnAll: true }),
			jiraNode('Search', {
				resource: 'issue',
				operation: 'getAll',
				jql: 'project = OPS ORDER BY created DESC',
				returnAll: true,
				additionalFields: { fields: 'summary,status' },
			}),
		);
		expect(execution.error).toBeUndefined();
		const auth = `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`;

		const [create] = calls('POST', '/issue');
		expect(create.headers.authorization).toBe(auth);
		expect(create.body).toEqual({
			fields: {
				project: { key: 'OPS' },
				issuetype: { name: 'Bug' },
				summary: 'P0: checkout errors',
				description: doc('Error rate 12 %', '', 'Started 10:02 UTC'),
				priority: { name: 'Highest' },
				labels: ['incident'],
			},
		});
		expect(execution.output['Create Issue']).toEqual([
			{ id: '10230', key: 'OPS-231', self: `${jira.url}/rest/api/3/issue/10230` },
		]);
		coverage.ran('issue:create');

		const [update] = calls('PUT', '/issue/OPS-231');
		expect(update.body).toEqual({
			fields: { summary: 'P0: checkout errors (EU)', description: doc('Rolled back') },
		});
		expect(update.query.get('notifyUsers')).toBe('false');
		expect(execution.output.Update).toEqual([{ success: true, statusCode: 204 }]);
		expect(jira.issues[230].fields.summary).toBe('P0: checkout errors (EU)');
		coverage.ran('issue:update');

		expect(calls('POST', '/issue/OPS-231/comment')[0].body).toEqual({ body: doc('Paged the on-call engineer') });
		expect(execution.output.Comment[0]).toMatchObject({ body: doc('Paged the on-call engineer') });
		coverage.ran('comment:create');

		expect(execution.output.Transitions.map((t) => t.name)).toEqual(['To Do', 'In Progress', 'Done']);
		coverage.ran('issue:getTransitions');
		expect(calls('POST', '/issue/OPS-231/transitions')[0].body).toEqual({ transition: { id: '31' } });
		expect(jira.issues[230].fields.status).toEqual({ name: 'Done' });
		coverage.ran('issue:transition');

		const commentPages = calls('GET', '/issue/OPS-1/comment');
		expect(commentPages.map((r) => [r.query.get('startAt'), r.query.get('maxResults')])).toEqual([
			['0', '50'],
			['50', '50'],
			['100', '50'],
		]);
		expect(execution.output.Comments.map((c) => c.id)).toEqual(jira.issues[0].comments.map((c) => c.id));
		coverage.ran('comment:getAll');

		const searches = calls('GET', '/search/jql');
		expect(searches.map((r) => r.query.get('nextPageToken'))).toEqual([null, 'b2Zmc2V0OjEwMA', 'b2Zmc2V0OjIwMA']);
		expect(
			searches.every(
				(r) =>
					r.query.get('jql') === 'project = OPS ORDER BY created DESC' &&
					r.query.get('fields') === 'summary,status' &&
					r.query.get('maxResults') === '100',
			),
		).toBe(true);
		expect(execution.output.Search).toHaveLength(231);
		expect(execution.output.Search[230]).toEqual({
			id: '10230',
			key: 'OPS-231',
			fields: { summary: 'P0: checkout errors (EU)', status: { name: 'Done' } },
		});
		coverage.ran('issue:getAll');
	});

	it('OAuth2 (3LO) goes through /ex/jira/{cloudId} with a Bearer token; a write needing write:jira-work fails before Jira is called; a 429 waits for Retry-After', async () => {
		jira.throttle.next(1, jiraThrottled(1));
		const read = await catalog.run(
			jiraNode(
				'Search',
				{ resource: 'issue', operation: 'getAll', jql: 'project = OPS', returnAll: false, limit: 5 },
				readOnly,
			),
		);
		expect(read.error).toBeUndefined();
		expect(read.output.Search.map((i) => i.key)).toEqual(['OPS-1', 'OPS-2', 'OPS-3', 'OPS-4', 'OPS-5']);
		const [throttled, retried] = jira.requests.filter(
			(r) => r.path === `/ex/jira/${CLOUD_ID}/rest/api/3/search/jql`,
		);
		expect(retried.receivedAt - throttled.receivedAt).toBeGreaterThanOrEqual(950);
		expect(retried.headers.authorization).toMatch(/^Bearer eyJraWQi\./);
		const before = jira.requests.length;
		const denied = await catalog.run(
			jiraNode(
				'Comment',
				{ resource: 'comment', operation: 'create', issueIdOrKey: 'OPS-2', body: 'x' },
				readOnly,
			),
		);
		expect(denied.error?.message).toBe(
			'"jiraRead" was not granted the scope write:jira-work that this operation needs',
		);
		expect(jira.requests).toHaveLength(before);
		// Jira's own field errors come back in the message.
		const invalid = await catalog.run(
			jiraNode('Create Issue', {
				resource: 'issue',
				operation: 'create',
				fieldsProjectKey: 'NOPE',
				fieldsIssuetypeName: 'Task',
				fieldsSummary: 'x',
			}),
		);
		expect(invalid.error?.message).toBe('Jira rejected the request (400)');
	});
});

describe('trigger: admin webhook with a secret', () => {
	const webhookId = '8d2e0000-0000-4000-8000-0000000000c1';
	let workflow: string;

	beforeAll(async () => {
		workflow = await webhookWorkflow(catalog.n8n, 'Jira events', {
			name: 'Jira Trigger',
			type: 'CUSTOM.jiraTrigger',
			webhookId,
			parameters: { authentication: 'basicAuth', events: ['jira:issue_created', 'sprint_started'] },
			credentials: basic,
		});
		server = await N8nServer.start(catalog.n8n);
		await server.activate(workflow);
		// The admin registers the workflow's URL in Jira with the same secret as the credential.
		jira.addAdminWebhook(`${server.url}/webhook/${webhookId}/webhook`, WEBHOOK_SECRET, [
			'jira:issue_created',
			'jira:issue_updated',
			'sprint_started',
		]);
	});

	it('signed issue-created and sprint-started deliveries start executions; issue updates are not picked; unsigned and wrongly signed ones get 401', async () => {
		const created = {
			webhookEvent: 'jira:issue_created',
			issue_event_type_name: 'issue_created',
			issue: { key: 'OPS-232', fields: { summary: 'New incident' } },
		};
		await waitFor('the webhook', async () =>
			(await jira.fire(created, 'none'))[0].status === 404 ? undefined : true,
		);
		expect((await jira.fire(created, 'none'))[0].status).toBe(401);
		expect((await jira.fire(created, 'wrong'))[0].status).toBe(401);
		expect((await jira.fire(created))[0].status).toBe(200);
		expect((await jira.fire({ webhookEvent: 'jira:issue_updated', issue: { key: 'OPS-232' } }))[0].status).toBe(
			200,
		);
		const sprint = { webhookEvent: 'sprint_started', sprint: { id: 37, name: 'Sprint 12', state: 'active' } };
		expect((await jira.fire(sprint))[0].status).toBe(200);
		const executions = await triggerExecutions(server!, workflow, 2);
		expect(executions.map((e) => e.output['Jira Trigger'].map((i) => i.webhookEvent))).toEqual([
			['jira:issue_created'],
			['sprint_started'],
		]);
		expect(executions[1].output['Jira Trigger'][0]).toMatchObject(sprint);
		coverage.ran('trigger:issueOrSprintEvent');
	});

	it('Project pages and searches Jira’s projects; issue types, priorities and transitions load for the chosen project and issue', async () => {
		const fields = { authentication: 'basicAuth', resource: 'issue', operation: 'create' };
		const projects = (more: { filter?: string; paginationToken?: string } = {}) =>
			server!.listSearch({
				nodeType: 'CUSTOM.jira',
				methodName: 'fieldsProjectKey',
				path: 'fieldsProjectKey',
				parameters: fields,
				credentials: basic,
				...more,
			});
		const first = await projects();
		expect(first.results[0]).toEqual({ name: 'Operations', value: 'OPS' });
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		const second = await projects({ paginationToken: first.paginationToken });
		expect(second.results.map((p) => p.value)).toEqual(Array.from({ length: 10 }, (_, i) => `P${50 + i}`));
		expect(second.paginationToken).toBeUndefined();
		expect((await projects({ filter: 'operations' })).results).toEqual([{ name: 'Operations', value: 'OPS' }]);
		const searches = jira.requests.filter((r) => r.path === '/rest/api/3/project/search');
		expect(searches.map((r) => [r.query.get('startAt'), r.query.get('query')])).toEqual([
			['0', null],
			['50', null],
			['0', 'operations'],
		]);
		expect(searches.every((r) => r.headers.authorization?.startsWith('Basic '))).toBe(true);

		const options = (methodName: string, path: string, parameters: Record<string, unknown>) =>
			server!.loadOptions({ nodeType: 'CUSTOM.jira', methodName, path, parameters, credentials: basic });
		const project = { __rl: true, mode: 'list', value: 'OPS', cachedResultName: 'Operations' };
		expect(
			(await options('fieldsIssuetypeName', 'fieldsIssuetypeName', { ...fields, fieldsProjectKey: project })).map(
				(t) => t.name,
			),
		).toEqual(['Task', 'Bug', 'Story', 'Epic']);
		expect(jira.requests.some((r) => r.path === '/rest/api/3/issue/createmeta/OPS/issuetypes')).toBe(true);
		expect(await options('fieldsPriorityName', 'additionalFields.fieldsPriorityName', fields)).toEqual(
			['Highest', 'High', 'Medium', 'Low', 'Lowest'].map((name) => ({ name, value: name })),
		);
		const transitions = await options('transitionId', 'transitionId', {
			...fields,
			operation: 'transition',
			issueIdOrKey: 'OPS-2',
		});
		expect(transitions).toEqual([
			{ name: 'To Do', value: '11' },
			{ name: 'In Progress', value: '21' },
			{ name: 'Done', value: '31' },
		]);
	});

	it('no API token, OAuth token, client secret or webhook secret appears in any log or execution', async () => {
		const stored = JSON.stringify(await server!.executions(workflow));
		expect(catalog.logs.length).toBeGreaterThanOrEqual(3);
		expect(catalog.leaks([server!.log, stored])).toEqual([]);
	});
});

it('ran every action and trigger of the definition', () => {
	expect(coverage.missing()).toEqual([]);
});

it("answered as Jira's description says", () => {
	expect(jira.drift).toEqual([]);
});
