/**
 * GitHub inside a real n8n 2.41: every action with a personal access token and with an OAuth2
 * token (scopes checked before the call), Link-header pages, GitHub's primary and secondary rate
 * limits (403 + x-ratelimit-remaining: 0 / retry-after) waited out or reported, and the repository
 * webhook trigger: created on publish with a secret, pinged, X-Hub-Signature-256 verified, events
 * told apart by X-GitHub-Event and the payload's action, deleted on unpublish.
 */
import { join } from 'node:path';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { primaryLimit, secondaryLimit, startGitHub, type GitHubFake } from '../fakes/github';
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

const coverage = new Coverage(join(__dirname, '../../nodes/GitHub/gitHub.integration.yaml'));
const CLIENT_SECRET = 'github-client-secret-9c0d1e';

let github: GitHubFake;
let catalog: CatalogRun;
let server: N8nServer | undefined;
let pat: string;

const patCredential = { rillsGitHubApi: { id: 'ghPat', name: 'GitHub token' } };
let oauthCredential: CredentialRef;
let publicOnlyCredential: CredentialRef;
const repo = { owner: 'rills', repo: 'launchpad' };
const node = actionNodes('CUSTOM.gitHub', { rillsGitHubApi: 'apiKey', rillsGitHubOAuth2Api: 'oAuth2' }, repo);
const gitHubNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = patCredential) =>
	node(name, parameters, credentials);
const calls = (method: string, path: string) => github.requests.filter((r) => r.method === method && r.path === path);

beforeAll(async () => {
	github = await startGitHub();
	pat = github.issueToken(['repo', 'admin:repo_hook']);
	const oauthToken = github.issueToken(['repo', 'admin:repo_hook']);
	const publicOnly = github.issueToken(['public_repo']);
	catalog = await CatalogRun.create();
	catalog.secrets.push(pat, oauthToken, publicOnly, CLIENT_SECRET);
	await catalog.n8n.importCredentials([
		{ id: 'ghPat', name: 'GitHub token', type: 'rillsGitHubApi', data: { apiUrl: github.url, apiKey: pat } },
	]);
	// GitHub's token response lists scopes comma-separated with token_type bearer.
	const oauth = (id: string, token: string, scopes: string[]) =>
		importConnected(catalog.n8n, {
			id,
			type: 'rillsGitHubOAuth2Api',
			token,
			scopes,
			scopeSeparator: ',',
			tokenType: 'bearer',
			data: { apiUrl: github.url, server: github.url, clientId: 'Iv1.rills', clientSecret: CLIENT_SECRET },
		});
	oauthCredential = await oauth('ghOAuth', oauthToken, ['repo', 'admin:repo_hook']);
	publicOnlyCredential = await oauth('ghPublic', publicOnly, ['public_repo']);
});

afterAll(() => shutDown(server, catalog, github));

describe('actions', () => {
	it('creates an issue, comments on it, merges a pull request, creates a release and lists issues over Link-header pages', async () => {
		const execution = await catalog.run(
			gitHubNode('Create Issue', {
				resource: 'issue',
				operation: 'create',
				title: 'Pager: API latency',
				additionalFields: { body: 'p99 above 2 s', labels: '["incident","p0"]', assignees: '["octo-rills"]' },
			}),
			gitHubNode('Comment', {
				resource: 'issue',
				operation: 'createComment',
				issueNumber: "={{ $('Create Issue').item.json.number }}",
				body: 'Investigating',
			}),
			// The others hold plain names, as workflows saved before Owner and Repository were resource locators.
			gitHubNode('Merge', {
				resource: 'pullRequest',
				operation: 'merge',
				owner: { __rl: true, mode: 'url', value: 'https://github.com/rills' },
				repo: { __rl: true, mode: 'list', value: 'launchpad', cachedResultName: 'launchpad' },
				pullNumber: 7,
				additionalFields: { mergeMethod: 'squash', commitTitle: 'Fix latency (#7)', sha: 'a1b2c3d' },
			}),
			gitHubNode('Release', {
				resource: 'release',
				operation: 'create',
				tagName: 'v1.4.0',
				additionalFields: { name: 'v1.4.0', body: 'Latency fix', prerelease: true },
			}),
			gitHubNode('Issues', {
				resource: 'issue',
				operation: 'getAll',
				returnAll: true,
				additionalFields: { state: 'all' },
			}),
		);
		expect(execution.error).toBeUndefined();

		const [create] = calls('POST', '/repos/rills/launchpad/issues');
		expect(create.headers).toMatchObject({
			authorization: `Bearer ${pat}`,
			accept: 'application/vnd.github+json',
			'x-github-api-version': '2022-11-28',
		});
		expect(create.body).toEqual({
			title: 'Pager: API latency',
			body: 'p99 above 2 s',
			labels: ['incident', 'p0'],
			assignees: ['octo-rills'],
		});
		const issue = execution.output['Create Issue'][0];
		expect(issue).toMatchObject({
			number: 231,
			title: 'Pager: API latency',
			state: 'open',
			labels: [{ name: 'incident' }, { name: 'p0' }],
		});
		coverage.ran('issue:create');

		expect(calls('POST', '/repos/rills/launchpad/issues/231/comments')[0].body).toEqual({ body: 'Investigating' });
		expect(execution.output.Comment[0]).toMatchObject({ body: 'Investigating' });
		coverage.ran('issue:createComment');

		const [merge] = calls('PUT', '/repos/rills/launchpad/pulls/7/merge');
		expect(merge.body).toEqual({ merge_method: 'squash', commit_title: 'Fix latency (#7)', sha: 'a1b2c3d' });
		expect(execution.output.Merge).toEqual([
			{ sha: 'ma1b2c3d', merged: true, message: 'Pull Request successfully merged' },
		]);
		coverage.ran('pullRequest:merge');

		expect(calls('POST', '/repos/rills/launchpad/releases')[0].body).toEqual({
			tag_name: 'v1.4.0',
			name: 'v1.4.0',
			body: 'Latency fix',
			prerelease: true,
		});
		expect(execution.output.Release[0]).toMatchObject({ tag_name: 'v1.4.0', prerelease: true, draft: false });
		coverage.ran('release:create');

		const pages = calls('GET', '/repos/rills/launchpad/issues');
		expect(pages.map((r) => [r.query.get('page'), r.query.get('per_page'), r.query.get('state')])).toEqual([
			[null, '100', 'all'],
			['2', '100', 'all'],
			['3', '100', 'all'],
		]);
		expect(execution.output.Issues.map((i) => i.number)).toEqual(
			github.repos.get('rills/launchpad')!.issues.map((i) => i.number),
		);
		coverage.ran('issue:getAll');
	});

	it('Connection → Check names the account the token acts as, from GET /user', async () => {
		const execution = await catalog.run(gitHubNode('Check', { resource: 'connection', operation: 'check' }));
		expect(execution.output.Check[0]).toMatchObject({
			status: 'ok',
			service: 'GitHub',
			account: { user: 'octo-rills', userId: 1 },
		});
	});

	it('OAuth2: the token goes out as Bearer; a token granted only public_repo fails an operation needing repo before GitHub is called', async () => {
		const ok = await catalog.run(
			gitHubNode(
				'Issues',
				{
					resource: 'issue',
					operation: 'getAll',
					returnAll: false,
					limit: 3,
					additionalFields: { labels: 'bug' },
				},
				oauthCredential,
			),
		);
		expect(ok.error).toBeUndefined();
		expect(ok.output.Issues.map((i) => i.number)).toEqual([2, 4, 8]);
		const last = github.requests.at(-1)!;
		expect(Object.fromEntries(last.query)).toEqual({ per_page: '3', labels: 'bug' });
		expect(last.headers['x-github-api-version']).toBe('2022-11-28');
		const before = github.requests.length;
		const denied = await catalog.run(
			gitHubNode('Create Issue', { resource: 'issue', operation: 'create', title: 'x' }, publicOnlyCredential),
		);
		expect(denied.error?.message).toBe('"ghPublic" was not granted the scope repo that this operation needs');
		expect(github.requests).toHaveLength(before);
	});

	it('waits out a primary (403, x-ratelimit-remaining: 0) and a secondary (403, retry-after) rate limit; a reset an hour away is reported with the wait', async () => {
		github.throttle.next(1, primaryLimit(1));
		github.throttle.next(1, secondaryLimit(1));
		const waited = await catalog.run(
			gitHubNode('Issues', { resource: 'issue', operation: 'getAll', returnAll: false, limit: 2 }),
		);
		expect(waited.error).toBeUndefined();
		expect(waited.output.Issues).toHaveLength(2);
		const [first, second, third] = calls('GET', '/repos/rills/launchpad/issues').slice(-3);
		expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(900);
		expect(third.receivedAt - second.receivedAt).toBeGreaterThanOrEqual(950);

		github.throttle.next(1, primaryLimit(3600));
		// Another credential: the hour GitHub asks for holds every later request of this one back.
		const refused = await catalog.run(
			gitHubNode(
				'Issues',
				{ resource: 'issue', operation: 'getAll', returnAll: false, limit: 2 },
				oauthCredential,
			),
		);
		expect(refused.error?.message).toMatch(/^GitHub rate limit hit: try again in 3[56]\d\d s$/);
		expect(refused.error?.description).toContain('GitHub said: API rate limit exceeded for user ID 1.');
		// A 403 that is not a rate limit (a pull request GitHub will not merge is 405) is not retried.
		const notMergeable = await catalog.run(
			gitHubNode('Merge', { resource: 'pullRequest', operation: 'merge', pullNumber: 8 }),
		);
		expect(notMergeable.error?.description).toContain('Pull Request is not mergeable');
		expect(calls('PUT', '/repos/rills/launchpad/pulls/8/merge')).toHaveLength(1);
	});
});

describe('trigger: repository webhook', () => {
	const webhookId = '6b1d0000-0000-4000-8000-00000000a001';
	let workflow: string;

	beforeAll(async () => {
		workflow = await webhookWorkflow(catalog.n8n, 'GitHub events', {
			name: 'GitHub Trigger',
			type: 'CUSTOM.gitHubTrigger',
			webhookId,
			parameters: {
				authentication: 'apiKey',
				...repo,
				events: ['push', 'issueOpened', 'pullRequestOpened', 'pullRequestMerged'],
				onlyWhen: { labels: 'bug, urgent' },
			},
			credentials: patCredential,
		});
		server = await N8nServer.start(catalog.n8n);
	});

	it('publishing creates one hook for push, issues and pull_request with a secret, which answers GitHub’s ping', async () => {
		await server!.activate(workflow);
		const hook = await waitFor('the hook and its ping', () =>
			github.createdHooks[0]?.ping !== undefined ? github.createdHooks[0] : undefined,
		);
		expect(github.createdHooks).toHaveLength(1);
		const [create] = calls('POST', '/repos/rills/launchpad/hooks');
		expect(create.headers.authorization).toBe(`Bearer ${pat}`);
		expect(create.body).toEqual({
			name: 'web',
			active: true,
			events: ['push', 'issues', 'pull_request'],
			config: {
				url: `${server!.url}/webhook/${webhookId}/webhook`,
				content_type: 'json',
				secret: hook.secret,
				insecure_ssl: '0',
			},
		});
		expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
		catalog.secrets.push(hook.secret);
		// The ping is signed but not a picked event: acknowledged, nothing started.
		expect(hook.ping).toBe(200);
	});

	it('signed push, opened issue, opened and merged pull request labelled bug and urgent start executions; other actions, other labels, unsigned and wrongly signed deliveries do not', async () => {
		const hook = github.createdHooks[0];
		// Payloads as GitHub describes each event (@octokit/openapi-webhooks), with the fields that matter here.
		const repository = { full_name: 'rills/launchpad' };
		const push = github.payload('push', {
			ref: 'refs/heads/main',
			after: 'f00d',
			commits: [
				{
					id: 'f00d',
					tree_id: 'beef',
					distinct: true,
					message: 'Fix latency',
					timestamp: '2026-12-06T05:00:00Z',
					url: 'https://github.com/rills/launchpad/commit/f00d',
					author: { name: 'Ada', email: 'ada@rills.test' },
					committer: { name: 'Ada', email: 'ada@rills.test' },
				},
			],
			repository,
		});
		const label = (name: string, id: number) => ({
			id,
			node_id: `LA_${id}`,
			url: `https://api.github.com/repos/rills/launchpad/labels/${name}`,
			name,
			description: null,
			color: 'd73a4a',
			default: false,
		});
		const labels = [label('checkout', 1), label('urgent', 2), label('bug', 3)];
		const opened = github.payload('issues-opened', {
			action: 'opened',
			issue: { number: 232, title: 'Checkout fails', labels },
			repository,
		});
		const labeled = github.payload('issues-labeled', { ...opened, action: 'labeled' });
		// Only When labels `bug, urgent`: an issue or pull request missing one of them starts nothing.
		const bugOnly = github.payload('issues-opened', {
			action: 'opened',
			issue: { number: 233, title: 'Typo', labels: [label('bug', 3)] },
			repository,
		});
		const prOpened = github.payload('pull-request-opened', {
			action: 'opened',
			number: 9,
			pull_request: { number: 9, merged: false, labels },
		});
		const prUnlabelled = github.payload('pull-request-opened', {
			action: 'opened',
			number: 10,
			pull_request: { number: 10, merged: false, labels: [] },
		});
		const prClosed = github.payload('pull-request-closed', {
			action: 'closed',
			number: 9,
			pull_request: { number: 9, merged: false, labels },
		});
		const prMerged = github.payload('pull-request-closed', {
			action: 'closed',
			number: 7,
			pull_request: { number: 7, merged: true, merge_commit_sha: 'ma1b2c3d', labels },
		});
		const commented = github.payload('issue-comment-created', {
			action: 'created',
			issue: opened.issue,
			repository,
		});
		expect((await github.deliver(hook, 'push', push, 'none')).status).toBe(401);
		expect((await github.deliver(hook, 'push', push, 'wrong')).status).toBe(401);
		expect((await github.deliver(hook, 'push', push)).status).toBe(200);
		expect((await github.deliver(hook, 'issues', labeled)).status).toBe(200);
		expect((await github.deliver(hook, 'issues', bugOnly)).status).toBe(200);
		expect((await github.deliver(hook, 'issues', opened)).status).toBe(200);
		expect((await github.deliver(hook, 'pull_request', prUnlabelled)).status).toBe(200);
		expect((await github.deliver(hook, 'pull_request', prOpened)).status).toBe(200);
		expect((await github.deliver(hook, 'pull_request', prClosed)).status).toBe(200);
		expect((await github.deliver(hook, 'pull_request', prMerged)).status).toBe(200);
		// A comment's payload carries its issue too, and is still not an opened issue.
		expect((await github.deliver(hook, 'issue_comment', commented)).status).toBe(200);
		const executions = await triggerExecutions(server!, workflow, 4);
		expect(executions.map((e) => e.output['GitHub Trigger'])).toEqual([[push], [opened], [prOpened], [prMerged]]);
		coverage.ran('trigger:repositoryEvent');
	});

	it('unpublishing deletes the hook', async () => {
		const hook = github.createdHooks[0];
		await server!.deactivate(workflow);
		await waitFor('the hook to be deleted', () => (github.hooks.size === 0 ? true : undefined));
		expect(calls('DELETE', `/repos/rills/launchpad/hooks/${hook.id}`)).toHaveLength(1);
	});

	it('Owner lists the organisations; Repository lists the chosen owner’s repositories over Link-header pages', async () => {
		const picker = (methodName: string, path: string, parameters: Record<string, unknown> = {}, token?: string) =>
			server!.listSearch({
				nodeType: 'CUSTOM.gitHub',
				methodName,
				path,
				parameters: { authentication: 'apiKey', resource: 'issue', operation: 'create', ...parameters },
				credentials: patCredential,
				paginationToken: token,
			});
		expect(await picker('owner', 'owner')).toEqual({
			results: [
				{ name: 'rills', value: 'rills', url: 'https://github.com/rills' },
				{ name: 'rills-labs', value: 'rills-labs', url: 'https://github.com/rills-labs' },
			],
		});
		for (let i = 0; i < 120; i++)
			github.repos.set(`rills-labs/tool-${String(i).padStart(3, '0')}`, {
				issues: [],
				pulls: new Map(),
				releases: [],
			});
		const owner = { __rl: true, mode: 'list', value: 'rills-labs' };
		const first = await picker('repo', 'repo', { owner });
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({
			name: 'tool-000',
			value: 'tool-000',
			url: 'https://github.com/rills-labs/tool-000',
		});
		const second = await picker('repo', 'repo', { owner }, first.paginationToken);
		expect(second.results.map((r) => r.value)).toEqual(
			Array.from({ length: 20 }, (_, i) => `tool-${String(100 + i).padStart(3, '0')}`),
		);
		expect(second.paginationToken).toBeUndefined();
		const pages = calls('GET', '/users/rills-labs/repos');
		expect(pages.map((r) => r.query.get('page'))).toEqual([null, '2']);
		expect(pages.every((r) => r.headers.authorization === `Bearer ${pat}`)).toBe(true);
		expect(pages[0].query.get('sort')).toBe('full_name');
		// A plain owner name, as a workflow saved before Owner was a locator holds it.
		const plain = await picker('repo', 'repo', { owner: 'rills' });
		expect(plain.results.map((r) => r.value)).toEqual(['launchpad']);
	});

	it('no token, client secret or hook secret appears in any log or execution', async () => {
		const stored = JSON.stringify(await server!.executions(workflow));
		expect(catalog.logs.length).toBeGreaterThanOrEqual(4);
		expect(catalog.leaks([server!.log, stored])).toEqual([]);
	});
});

it('ran every action and trigger of the definition', () => {
	expect(coverage.missing()).toEqual([]);
});

it("answered and delivered as GitHub's descriptions say (REST and webhooks)", () => {
	expect(github.drift).toEqual([]);
});
