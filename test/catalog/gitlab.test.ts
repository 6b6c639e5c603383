/**
 * GitLab inside a real n8n 2.41: every action with a PRIVATE-TOKEN access token, OAuth2 Bearer
 * tokens with their scopes, a project addressed by its URL-encoded path, Link/x-next-page pages,
 * a 429 with RateLimit-Reset waited out, and the three project-webhook triggers: each hook made
 * on publish for its events only with a generated secret token, deliveries checked against
 * X-Gitlab-Token, narrowed to the picked statuses/actions, hooks deleted on unpublish.
 */
import { join } from 'node:path';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { gitLabThrottled, startGitLab, type GitLabFake, type ProjectHook } from '../fakes/gitlab';
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

const coverage = new Coverage(join(__dirname, '../../nodes/GitLab/gitLab.integration.yaml'));
const CLIENT_SECRET = 'gitlab-client-secret-5b7a22';

let gitlab: GitLabFake;
let catalog: CatalogRun;
let server: N8nServer | undefined;
let pat: string;
let oauthToken: string;

const patCredential = { rillsGitLabApi: { id: 'glPat', name: 'GitLab token' } };
let oauthCredential: CredentialRef;
let readOnlyCredential: CredentialRef;
const node = actionNodes(
	'CUSTOM.gitLab',
	{ rillsGitLabApi: 'apiKey', rillsGitLabOAuth2Api: 'oAuth2' },
	{ id: 'rills/platform' },
);
const gitLabNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = patCredential) =>
	node(name, parameters, credentials);
const calls = (method: string, path: string) =>
	gitlab.requests.filter((r) => r.method === method && r.path === `/api/v4/projects/rills%2Fplatform${path}`);

beforeAll(async () => {
	gitlab = await startGitLab();
	pat = gitlab.issueToken(['api'], 'private');
	oauthToken = gitlab.issueToken(['api', 'read_api'], 'oauth');
	const readOnly = gitlab.issueToken(['read_api'], 'oauth');
	catalog = await CatalogRun.create();
	catalog.secrets.push(pat, oauthToken, readOnly, CLIENT_SECRET);
	await catalog.n8n.importCredentials([
		{ id: 'glPat', name: 'GitLab token', type: 'rillsGitLabApi', data: { server: gitlab.url, apiKey: pat } },
	]);
	const oauth = (id: string, token: string, scopes: string[]) =>
		importConnected(catalog.n8n, {
			id,
			type: 'rillsGitLabOAuth2Api',
			token,
			scopes,
			data: { server: gitlab.url, clientId: 'rills-app', clientSecret: CLIENT_SECRET },
		});
	oauthCredential = await oauth('glOAuth', oauthToken, ['api', 'read_api']);
	readOnlyCredential = await oauth('glRead', readOnly, ['read_api']);
});

afterAll(() => shutDown(server, catalog, gitlab));

describe('actions', () => {
	it('creates an issue, comments on it and on a merge request, triggers a pipeline, and lists issues over two pages', async () => {
		const execution = await catalog.run(
			gitLabNode('Create Issue', {
				resource: 'issue',
				operation: 'create',
				title: 'Incident: checkout errors',
				additionalFields: { description: 'From PagerDuty', labels: 'incident,p0', assigneeIds: '[7]' },
			}),
			gitLabNode('Issue Comment', {
				resource: 'issue',
				operation: 'addComment',
				issueIid: "={{ $('Create Issue').item.json.iid }}",
				body: 'Rolling back',
			}),
			gitLabNode('MR Comment', {
				resource: 'mergeRequest',
				operation: 'addComment',
				mergeRequestIid: 3,
				body: 'Blocked by the incident',
			}),
			gitLabNode('Pipeline', {
				resource: 'pipeline',
				operation: 'trigger',
				ref: 'release/1.4',
				additionalFields: { variables: '[{"key": "ROLLBACK", "value": "true"}]' },
			}),
			gitLabNode('Issues', { resource: 'issue', operation: 'getAll', returnAll: true }),
		);
		expect(execution.error).toBeUndefined();

		const [create] = calls('POST', '/issues');
		expect(create.headers['private-token']).toBe(pat);
		expect(create.headers.authorization).toBeUndefined();
		expect(create.body).toEqual({
			title: 'Incident: checkout errors',
			description: 'From PagerDuty',
			labels: 'incident,p0',
			assignee_ids: [7],
		});
		expect(execution.output['Create Issue'][0]).toMatchObject({
			iid: 131,
			state: 'opened',
			labels: ['incident', 'p0'],
		});
		coverage.ran('issue:create');

		expect(calls('POST', '/issues/131/notes')[0].body).toEqual({ body: 'Rolling back' });
		expect(execution.output['Issue Comment'][0]).toMatchObject({
			noteable_type: 'Issue',
			noteable_iid: 131,
			body: 'Rolling back',
		});
		coverage.ran('issue:addComment');
		expect(calls('POST', '/merge_requests/3/notes')[0].body).toEqual({ body: 'Blocked by the incident' });
		expect(execution.output['MR Comment'][0]).toMatchObject({ noteable_type: 'MergeRequest', noteable_iid: 3 });
		coverage.ran('mergeRequest:addComment');

		expect(calls('POST', '/pipeline')[0].body).toEqual({
			ref: 'release/1.4',
			variables: [{ key: 'ROLLBACK', value: 'true' }],
		});
		expect(execution.output.Pipeline[0]).toMatchObject({ status: 'created', ref: 'release/1.4' });
		coverage.ran('pipeline:trigger');

		const pages = calls('GET', '/issues');
		expect(pages.map((r) => [r.query.get('page'), r.query.get('per_page')])).toEqual([
			[null, '100'],
			['2', '100'],
		]);
		expect(execution.output.Issues.map((i) => i.iid)).toEqual(gitlab.project.issues.map((i) => i.iid));
		coverage.ran('issue:getAll');
	});

	it('OAuth2 sends a Bearer token; a read_api-only credential reads but fails a write before GitLab is called; a 429 waits for RateLimit-Reset', async () => {
		gitlab.throttle.next(1, gitLabThrottled(1));
		const read = await catalog.run(
			gitLabNode(
				'Issues',
				{
					resource: 'issue',
					operation: 'getAll',
					// By URL: the project's path is read from an address copied from GitLab; the others hold a path.
					id: {
						__rl: true,
						mode: 'url',
						value: 'https://gitlab.example/rills/platform/-/issues?state=closed',
					},
					returnAll: false,
					limit: 4,
					additionalFields: { state: 'closed', labels: 'ui' },
				},
				readOnlyCredential,
			),
		);
		expect(read.error).toBeUndefined();
		expect(read.output.Issues.map((i) => i.iid)).toEqual([1, 13, 25, 37]);
		const [throttled, retried] = calls('GET', '/issues').slice(-2);
		expect(retried.receivedAt - throttled.receivedAt).toBeGreaterThanOrEqual(900);
		expect(retried.headers.authorization).toMatch(/^Bearer /);
		expect(Object.fromEntries(retried.query)).toEqual({ per_page: '4', state: 'closed', labels: 'ui' });

		const before = gitlab.requests.length;
		const denied = await catalog.run(
			gitLabNode('Pipeline', { resource: 'pipeline', operation: 'trigger', ref: 'main' }, readOnlyCredential),
		);
		expect(denied.error?.message).toBe('"glRead" was not granted the scope api that this operation needs');
		expect(gitlab.requests).toHaveLength(before);

		const missingRef = await catalog.run(
			gitLabNode(
				'Pipeline',
				{ resource: 'pipeline', operation: 'trigger', ref: 'no-such-branch' },
				oauthCredential,
			),
		);
		expect(missingRef.error?.message).toBe('GitLab rejected the request (400)');
		expect(calls('POST', '/pipeline').at(-1)!.headers.authorization).toBe(`Bearer ${oauthToken}`);
	});
});

describe('triggers: project webhooks', () => {
	const ids = {
		pipelineStatus: '7c1d0000-0000-4000-8000-0000000000b1',
		mergeRequestEvent: '7c1d0000-0000-4000-8000-0000000000b2',
		issueEvent: '7c1d0000-0000-4000-8000-0000000000b3',
	};
	const picked = {
		pipelineStatus: ['pipelineSuccess', 'pipelineFailed'],
		mergeRequestEvent: ['mergeRequestOpened', 'mergeRequestMerged'],
		issueEvent: ['issueOpened', 'issueClosed'],
	};
	const workflows: Record<string, string> = {};
	const hookFor = (trigger: keyof typeof ids) => gitlab.createdHooks.find((h) => h.url.includes(ids[trigger]))!;

	beforeAll(async () => {
		for (const trigger of Object.keys(ids) as Array<keyof typeof ids>) {
			const credentials = trigger === 'issueEvent' ? oauthCredential : patCredential;
			workflows[trigger] = await webhookWorkflow(catalog.n8n, `GitLab ${trigger}`, {
				name: 'GitLab Trigger',
				type: 'CUSTOM.gitLabTrigger',
				webhookId: ids[trigger],
				parameters: {
					authentication: 'rillsGitLabOAuth2Api' in credentials ? 'oAuth2' : 'apiKey',
					trigger,
					projectId: 'rills/platform',
					events: picked[trigger],
				},
				credentials,
			});
		}
		server = await N8nServer.start(catalog.n8n);
	});

	it('publishing creates one hook per trigger, for its events only, with a generated secret token', async () => {
		for (const workflow of Object.values(workflows)) await server!.activate(workflow);
		await waitFor('three hooks', () => (gitlab.hooks.size === 3 ? true : undefined));
		const bodies = calls('POST', '/hooks').map((r) => r.body);
		for (const [trigger, flag] of [
			['pipelineStatus', 'pipeline_events'],
			['mergeRequestEvent', 'merge_requests_events'],
			['issueEvent', 'issues_events'],
		] as const) {
			const body = bodies.find((b) => String(b.url).includes(ids[trigger]))!;
			expect(body).toEqual({
				url: `${server!.url}/webhook/${ids[trigger]}/webhook`,
				token: hookFor(trigger).token,
				[flag]: true,
				push_events: false,
				enable_ssl_verification: true,
			});
			expect(hookFor(trigger).token).toMatch(/^[0-9a-f]{64}$/);
			catalog.secrets.push(hookFor(trigger).token!);
		}
		expect(Object.values(hookFor('pipelineStatus').flags).filter(Boolean)).toHaveLength(1);
	});

	it('pipeline status: picked statuses start executions, others do not; a missing or wrong X-Gitlab-Token gets 401', async () => {
		const hook = hookFor('pipelineStatus');
		const pipeline = (status: string) => ({
			object_attributes: { id: 501, ref: 'main', status },
			project: { path_with_namespace: 'rills/platform' },
		});
		expect(await gitlab.deliver(hook, 'pipeline', pipeline('failed'), 'none')).toMatchObject({ status: 401 });
		expect(await gitlab.deliver(hook, 'pipeline', pipeline('failed'), 'wrong')).toMatchObject({ status: 401 });
		expect(await gitlab.deliver(hook, 'pipeline', pipeline('running'))).toMatchObject({ status: 200 });
		expect(await gitlab.deliver(hook, 'pipeline', pipeline('failed'))).toMatchObject({ status: 200 });
		expect(await gitlab.deliver(hook, 'pipeline', pipeline('success'))).toMatchObject({ status: 200 });
		// The hook was made for pipelines only: GitLab sends it no issue events.
		expect(await gitlab.deliver(hook, 'issue', { object_attributes: { action: 'open' } })).toBe('skipped');
		const executions = await triggerExecutions(server!, workflows.pipelineStatus, 2);
		expect(
			executions.map((e) =>
				e.output['GitLab Trigger'].map((i) => (i.object_attributes as { status: string }).status),
			),
		).toEqual([['failed'], ['success']]);
		expect(executions[0].output['GitLab Trigger'][0]).toEqual({ object_kind: 'pipeline', ...pipeline('failed') });
		coverage.ran('trigger:pipelineStatus');
	});

	it('merge request and issue events start executions for the picked actions only', async () => {
		const mr = (action: string) => ({
			object_attributes: { iid: 3, action, state: action === 'merge' ? 'merged' : 'opened' },
		});
		const mrHook = hookFor('mergeRequestEvent');
		for (const action of ['open', 'update', 'approved', 'merge'])
			expect(await gitlab.deliver(mrHook, 'merge_request', mr(action))).toMatchObject({ status: 200 });
		expect(await gitlab.deliver(mrHook, 'merge_request', mr('close'), 'wrong')).toMatchObject({ status: 401 });
		const mrs = await triggerExecutions(server!, workflows.mergeRequestEvent, 2);
		expect(mrs.map((e) => e.output['GitLab Trigger'])).toEqual([
			[{ object_kind: 'merge_request', ...mr('open') }],
			[{ object_kind: 'merge_request', ...mr('merge') }],
		]);
		coverage.ran('trigger:mergeRequestEvent');

		const issue = (action: string) => ({
			object_attributes: { iid: 131, action, title: 'Incident: checkout errors' },
		});
		const issueHook = hookFor('issueEvent');
		for (const action of ['open', 'update', 'close', 'reopen'])
			expect(await gitlab.deliver(issueHook, 'issue', issue(action))).toMatchObject({ status: 200 });
		const issues = await triggerExecutions(server!, workflows.issueEvent, 2);
		expect(
			issues.map((e) => (e.output['GitLab Trigger'][0].object_attributes as { action: string }).action),
		).toEqual(['open', 'close']);
		coverage.ran('trigger:issueEvent');
		// The OAuth2 credential created its hook with a Bearer token.
		expect(
			calls('POST', '/hooks').find((r) => String(r.body.url).includes(ids.issueEvent))!.headers.authorization,
		).toBe(`Bearer ${oauthToken}`);
	});

	it('unpublishing deletes each hook; no token or secret appears in any log or execution', async () => {
		const hookIds = gitlab.createdHooks.map((h: ProjectHook) => h.id);
		for (const workflow of Object.values(workflows)) await server!.deactivate(workflow);
		await waitFor('the hooks to be deleted', () => (gitlab.hooks.size === 0 ? true : undefined));
		expect(
			gitlab.requests
				.filter((r) => r.method === 'DELETE')
				.map((r) => r.path)
				.sort(),
		).toEqual(hookIds.map((id) => `/api/v4/projects/rills%2Fplatform/hooks/${id}`).sort());
		const stored = JSON.stringify(await Promise.all(Object.values(workflows).map((w) => server!.executions(w))));
		expect(catalog.leaks([server!.log, stored])).toEqual([]);
	});
});

describe('pickers', () => {
	it('Project pages the user’s projects by their Link header and searches them with GitLab’s search', async () => {
		server ??= await N8nServer.start(catalog.n8n);
		const projects = (more: { filter?: string; paginationToken?: string } = {}) =>
			server!.listSearch({
				nodeType: 'CUSTOM.gitLab',
				methodName: 'id',
				path: 'id',
				parameters: { authentication: 'apiKey', resource: 'issue', operation: 'create' },
				credentials: patCredential,
				...more,
			});
		const first = await projects();
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({ name: 'Rills / Platform', value: '42' });
		expect(new URL(first.paginationToken!).searchParams.get('page')).toBe('2');
		const second = await projects({ paginationToken: first.paginationToken });
		expect(second.results).toHaveLength(30);
		expect(second.results.pop()).toEqual({ name: 'Rills / Website', value: '43' });
		expect(second.paginationToken).toBeUndefined();
		expect((await projects({ filter: 'webs' })).results).toEqual([{ name: 'Rills / Website', value: '43' }]);
		const listed = gitlab.requests.filter((r) => r.path === '/api/v4/projects');
		expect(listed.map((r) => [r.query.get('page'), r.query.get('search'), r.query.get('membership')])).toEqual([
			[null, null, 'true'],
			['2', null, 'true'],
			[null, 'webs', 'true'],
		]);
		expect(listed.every((r) => r.headers['private-token'] === pat)).toBe(true);

		// A next link that leaves GitLab's origin is not followed with the token.
		await expect(projects({ paginationToken: 'https://evil.example/api/v4/projects?page=2' })).rejects.toThrow(
			/Pagination stopped/,
		);
		expect(gitlab.requests.filter((r) => r.path === '/api/v4/projects')).toHaveLength(3);
	});
});

it('ran every action and trigger of the definition', () => {
	expect(coverage.missing()).toEqual([]);
});
