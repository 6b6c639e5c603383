/**
 * The "Alert when a connection fails" template (nodes/templates/connection-alerts.json) in a real
 * `n8n start`: its GitHub Polling Trigger watches the credential's connection (Connection Status
 * Changed) and posts each change to Slack #alerts. Every publish runs one poll (the template's
 * Poll Times do not come during the test); GitHub's fake revokes the token and takes it back, and
 * the test asserts which polls reached Slack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { N8nInstance, WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startGitHub, type GitHubFake } from '../fakes/github';
import { startSlack, type SlackFake } from '../fakes/slack';
import { CatalogRun, connectedCredential, publishAndPoll, shutDown, triggerExecutions } from './helpers';

let catalog: CatalogRun;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let github: GitHubFake;
let slack: SlackFake;
let workflowId: string;
let token: string;

const TRIGGER = 'GitHub Connection Status Changed';
// Slack records a message under the channel as the request named it.
const alerts = () => slack.messages.filter((m) => m.channel === 'C0ALERTS' || m.channel === '#alerts');
const connectionTests = () => github.requests.filter((r) => r.path === '/user').length;
/** One poll: the workflow published again, waited for until its connection test reached GitHub. */
const poll = async () => await publishAndPoll(server!, workflowId, connectionTests, 1, true);

beforeAll(async () => {
	[github, slack] = await Promise.all([startGitHub(), startSlack()]);
	slack.channels.push({ id: 'C0ALERTS', name: 'alerts', is_private: false, created: 1_700_000_000 });
	catalog = await CatalogRun.create();
	n8n = catalog.n8n;
	token = github.issueToken(['repo']);
	const slackScopes = ['chat:write'];
	const slackToken = slack.issueToken(slackScopes);
	catalog.secrets.push(token, slackToken);
	await n8n.importCredentials([
		{
			id: 'gitHub',
			name: 'GitHub',
			type: 'rillsGitHubApi',
			data: { apiUrl: github.url, server: github.url, apiKey: token },
		},
		connectedCredential({
			id: 'slack',
			type: 'rillsSlackOAuth2Api',
			token: slackToken,
			scopes: slackScopes,
			scopeSeparator: ',',
			tokenType: 'bot',
			data: { clientId: 'slack-client', clientSecret: 'slack-client-secret-7d1c', apiUrl: slack.url },
		}),
	]);
	// What a user does after importing the template: pick a credential on each node, keep the rest.
	const template = JSON.parse(
		readFileSync(join(__dirname, '../../nodes/templates/connection-alerts.json'), 'utf8'),
	) as { nodes: WorkflowNode[]; connections: Record<string, unknown>; name: string };
	const chosen: Record<string, WorkflowNode['credentials']> = {
		'CUSTOM.gitHubPollingTrigger': { rillsGitHubApi: { id: 'gitHub', name: 'GitHub' } },
		'CUSTOM.slack': { rillsSlackOAuth2Api: { id: 'slack', name: 'slack' } },
	};
	for (const node of template.nodes) {
		node.type = node.type.replace(/^n8n-nodes-rills\./, 'CUSTOM.');
		node.credentials = chosen[node.type];
	}
	workflowId = await n8n.importWorkflow(template);
	server = await N8nServer.start(n8n);
}, 600_000);

afterAll(async () => await shutDown(server, catalog, github, slack));

it('alerts once when the token is revoked, with the reason and "reconnect", and once when it works again', async () => {
	// The first poll sets the baseline: the connection works, nothing is sent.
	await poll();
	github.revoked.add(token);
	await poll();
	const [failed] = await triggerExecutions(server!, workflowId, 1);
	expect(failed.status).toBe('success');
	expect(alerts()).toHaveLength(1);
	expect(alerts()[0].text).toBe(
		':warning: GitHub connection "GitHub" is expired (was active). GitHub said: Bad credentials. ' +
			'What to do: Reconnect "GitHub": open it and sign in again, or paste a new key.',
	);
	// Still revoked: the status did not change, so this poll sends nothing.
	await poll();
	github.revoked.delete(token);
	await poll();
	const executions = await triggerExecutions(server!, workflowId, 2);
	expect(alerts().map((m) => m.text)).toEqual([
		alerts()[0].text,
		':white_check_mark: GitHub connection "GitHub" is active (was expired).',
	]);
	// Two changes, two executions: neither the baseline nor the unchanged poll started one.
	expect(executions).toHaveLength(2);
	expect(executions.map((e) => e.output[TRIGGER])).toEqual([
		[
			{
				service: 'GitHub',
				credential: 'GitHub',
				previousStatus: 'active',
				connectionStatus: 'expired',
				lastError: 'Bad credentials',
				httpStatus: 401,
				consecutiveFailures: 1,
				// The baseline poll's success.
				lastValidatedAt: expect.any(String),
				checkedAt: expect.any(String),
				whatToDo: 'Reconnect "GitHub": open it and sign in again, or paste a new key.',
			},
		],
		[
			expect.objectContaining({
				previousStatus: 'expired',
				connectionStatus: 'active',
				lastError: null,
				httpStatus: 200,
				consecutiveFailures: 0,
				whatToDo: null,
			}),
		],
	]);
}, 600_000);

it('a manual run answers with the connection as it is now, and sends a sample alert', async () => {
	const run = await server!.runToEnd(workflowId, TRIGGER);
	expect(run.status).toBe('success');
	// previousStatus is what the active workflow last reported, as far as n8n has stored it yet.
	expect(run.output[TRIGGER]).toEqual([
		expect.objectContaining({ service: 'GitHub', connectionStatus: 'active', httpStatus: 200, whatToDo: null }),
	]);
	expect(alerts()).toHaveLength(3);
	expect(alerts()[2].text).toMatch(/^:white_check_mark: GitHub connection "GitHub" is active \(was \w+\)\.$/);
});

it('no token appears in n8n’s output or stored executions', async () => {
	const stored = JSON.stringify(await server!.executions(workflowId));
	expect(catalog.leaks([server!.log, stored])).toEqual([]);
});
