/**
 * Slack inside a real n8n 2.41: every action through both credentials (OAuth2 with a stored bot
 * token, and a pasted bot token), Slack's HTTP-200 `ok: false` errors turned into n8n errors,
 * cursor pages, one message a second per channel, 429 Retry-After, and the three Events API
 * triggers verifying Slack's v0 signatures with the credential's signing secret.
 */
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startSlack, type SlackFake } from '../fakes/slack';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { actionNodes, CatalogRun, type CredentialRef, importConnected, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Slack/slack.integration.yaml'));
const ALL_SCOPES = [
	'chat:write',
	'channels:manage',
	'channels:read',
	'channels:history',
	'reactions:read',
	'users:read',
	'users:read.email',
];

let slack: SlackFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let oauthToken: string;
let botToken: string;
let runs: CatalogRun;

const oauth = { rillsSlackOAuth2Api: { id: 'slackOAuth', name: 'slackOAuth' } };
const bot = { rillsSlackApi: { id: 'slackBot', name: 'Slack bot' } };
const node = actionNodes('CUSTOM.slack', { rillsSlackApi: 'apiKey', rillsSlackOAuth2Api: 'oAuth2' });
const slackNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = oauth) =>
	node(name, parameters, credentials);
const calls = (method: string) => slack.requests.filter((r) => r.path === `/api/${method}`);

const run = (...nodes: WorkflowNode[]) => runs.run(...nodes);

beforeAll(async () => {
	slack = await startSlack({ userCount: 5 });
	oauthToken = slack.issueToken(ALL_SCOPES);
	// A pasted bot token from an app that was only given users:read.
	botToken = slack.issueToken(['users:read']);
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	// What oauth.v2.access returns for a bot token: token_type "bot", scopes comma-separated.
	const asSlackGrants = { type: 'rillsSlackOAuth2Api', tokenType: 'bot', scopeSeparator: ',' };
	await importConnected(n8n, {
		...asSlackGrants,
		id: 'slackOAuth',
		token: oauthToken,
		scopes: ALL_SCOPES,
		data: {
			apiUrl: slack.url,
			clientId: 'slack-client-id',
			clientSecret: 'slack-client-secret-4e1f',
			webhookSecret: slack.signingSecret,
		},
	});
	await n8n.importCredentials([
		{
			id: 'slackBot',
			name: 'Slack bot',
			type: 'rillsSlackApi',
			data: { apiUrl: slack.url, apiKey: botToken, webhookSecret: slack.signingSecret },
		},
	]);
});

afterAll(() => shutDown(server, runs, slack));

describe('actions', () => {
	it('Connection → Check names the bot and the workspace the token acts as, from auth.test', async () => {
		const execution = await run(slackNode('Check', { resource: 'connection', operation: 'check' }));
		expect(execution.output.Check[0]).toMatchObject({
			status: 'ok',
			service: 'Slack',
			account: { user: 'rills-bot', userId: 'U0RILLSBOT', team: 'Rills', teamId: 'T0RILLS' },
		});
	});

	it('sends two messages (one a second per channel), updates one, creates a channel, lists channels and users over cursor pages, gets a user', async () => {
		const execution = await run(
			// A plain ID, as workflows saved before Channel was a resource locator hold it.
			slackNode('Send', {
				resource: 'message',
				operation: 'send',
				channel: 'C0GENERAL',
				text: 'Deploy finished :rocket:',
				additionalFields: { unfurlLinks: false },
			}),
			slackNode('Send Again', {
				resource: 'message',
				operation: 'send',
				channel: { __rl: true, mode: 'list', value: 'C0GENERAL', cachedResultName: 'general' },
				text: 'Second note',
				additionalFields: { threadTs: '={{ $json.ts }}' },
			}),
			slackNode('Update', {
				resource: 'message',
				operation: 'update',
				// By URL: n8n reads the ID through the locator's pattern.
				channel: { __rl: true, mode: 'url', value: 'https://app.slack.com/client/T0RILLS/C0GENERAL' },
				ts: "={{ $('Send').item.json.ts }}",
				text: 'Deploy finished (edited)',
			}),
			slackNode('Create Channel', {
				resource: 'channel',
				operation: 'create',
				name: 'rills-launch',
				additionalFields: { isPrivate: false },
			}),
			slackNode('Channels', {
				resource: 'channel',
				operation: 'getAll',
				returnAll: true,
				additionalFields: { excludeArchived: true },
			}),
			slackNode('Users', { resource: 'user', operation: 'getAll', returnAll: true }),
			slackNode('User', {
				resource: 'user',
				operation: 'get',
				user: { __rl: true, mode: 'id', value: 'U00000003' },
			}),
			slackNode('By Email', { resource: 'user', operation: 'getByEmail', email: 'USER4@rills.example' }),
		);
		expect(execution.error).toBeUndefined();

		const [send, sendAgain] = calls('chat.postMessage');
		expect(send.method).toBe('POST');
		expect(send.headers.authorization).toBe(`Bearer ${oauthToken}`);
		expect(send.headers['content-type']).toContain('application/json');
		expect(send.body).toEqual({ channel: 'C0GENERAL', text: 'Deploy finished :rocket:', unfurl_links: false });
		const first = slack.messages[0];
		expect(execution.output.Send).toEqual([
			expect.objectContaining({ ok: true, channel: 'C0GENERAL', ts: first.ts }),
		]);
		expect(sendAgain.body).toEqual({ channel: 'C0GENERAL', text: 'Second note', thread_ts: first.ts });
		// The operation's own limit spaced the two posts a second apart, so Slack never answered 429.
		expect(sendAgain.receivedAt - send.receivedAt).toBeGreaterThanOrEqual(950);
		expect(slack.violations).toEqual([]);
		coverage.ran('message:send');

		expect(calls('chat.update')[0].body).toEqual({
			channel: 'C0GENERAL',
			ts: first.ts,
			text: 'Deploy finished (edited)',
		});
		expect(first).toMatchObject({ text: 'Deploy finished (edited)', edited: true });
		expect(execution.output.Update[0]).toMatchObject({ ok: true, ts: first.ts, text: 'Deploy finished (edited)' });
		coverage.ran('message:update');

		expect(calls('conversations.create')[0].body).toEqual({ name: 'rills-launch', is_private: false });
		expect(execution.output['Create Channel']).toEqual([
			expect.objectContaining({ name: 'rills-launch', is_private: false, id: slack.channels[3].id }),
		]);
		coverage.ran('channel:create');

		const channelPages = calls('conversations.list');
		expect(channelPages.map((r) => r.method)).toEqual(['GET']);
		expect(channelPages[0].query.get('limit')).toBe('200');
		expect(channelPages[0].query.get('exclude_archived')).toBe('true');
		expect(execution.output.Channels.map((c) => c.name)).toEqual([
			'general',
			'random',
			'engineering',
			'rills-launch',
		]);
		coverage.ran('channel:getAll');

		const userPages = calls('users.list');
		expect(execution.output.Users.map((u) => u.id)).toEqual(slack.users.map((u) => u.id));
		expect(userPages).toHaveLength(1);
		coverage.ran('user:getAll');

		expect(calls('users.info')[0].query.get('user')).toBe('U00000003');
		expect(execution.output.User).toMatchObject([slack.users[2]]);
		coverage.ran('user:get');

		expect(calls('users.lookupByEmail')[0].query.get('email')).toBe('USER4@rills.example');
		expect(execution.output['By Email']).toMatchObject([slack.users[3]]);
		coverage.ran('user:getByEmail');
	});

	it('Limit follows next_cursor page by page and stops once it has enough; a 429 with Retry-After is waited out', async () => {
		slack.users.push(
			...Array.from({ length: 445 }, (_, i) => ({
				id: `UX${String(i).padStart(6, '0')}`,
				name: `extra${i}`,
				real_name: `Extra ${i}`,
				profile: { email: `extra${i}@rills.example`, real_name: `Extra ${i}` },
			})),
		);
		slack.throttleNext(1, 1);
		const before = calls('users.list').length;
		const execution = await run(
			slackNode('Users', { resource: 'user', operation: 'getAll', returnAll: false, limit: 420 }, bot),
		);
		expect(execution.error).toBeUndefined();
		expect(execution.output.Users.map((u) => u.id)).toEqual(slack.users.slice(0, 420).map((u) => u.id));
		const pages = calls('users.list').slice(before);
		// One throttled request, then three pages: 200 + 200 + 20, each page's cursor the last page's next_cursor.
		expect(pages.map((r) => r.query.get('limit'))).toEqual(['200', '200', '200', '200']);
		expect(pages.map((r) => r.query.get('cursor'))).toEqual([
			null,
			null,
			Buffer.from('offset:200').toString('base64'),
			Buffer.from('offset:400').toString('base64'),
		]);
		expect(pages[1].receivedAt - pages[0].receivedAt).toBeGreaterThanOrEqual(950);
		expect(pages.every((r) => r.headers.authorization === `Bearer ${botToken}`)).toBe(true);
		expect(slack.violations).toEqual([]);
	});

	it("Slack's 200 `ok: false` answers become n8n errors: missing_scope names the scope, channel_not_found says to check the IDs", async () => {
		const denied = await run(
			slackNode('Send', { resource: 'message', operation: 'send', channel: 'C0GENERAL', text: 'hi' }, bot),
		);
		expect(denied.error?.message).toBe(
			'Slack refused access: "Slack bot" lacks the permission or scope this operation needs',
		);
		expect(denied.error?.description).toContain('Slack said: missing_scope (needed: chat:write)');
		const notFound = await run(
			slackNode('Update', { resource: 'message', operation: 'update', channel: 'C0NOPE', ts: '1.2', text: 'x' }),
		);
		expect(notFound.error?.message).toBe('Slack found nothing at this address');
		expect(notFound.error?.description).toContain('Slack said: message_not_found');
	});

	it('an OAuth2 credential without a scope fails only the operation that needs it, before calling Slack', async () => {
		const token = slack.issueToken(['users:read']);
		const narrow = await importConnected(n8n, {
			id: 'slackNarrow',
			type: 'rillsSlackOAuth2Api',
			tokenType: 'bot',
			token,
			scopes: ['users:read'],
			data: { apiUrl: slack.url, clientId: 'c', clientSecret: 'slack-client-secret-4e1f' },
		});
		const before = calls('conversations.create').length;
		const execution = await run(
			slackNode('Create Channel', { resource: 'channel', operation: 'create', name: 'nope' }, narrow),
		);
		expect(execution.error?.message).toBe(
			'"slackNarrow" was not granted the scope channels:manage that this operation needs',
		);
		expect(calls('conversations.create')).toHaveLength(before);
	});
});

describe('triggers (Events API)', () => {
	const hook = (id: string) => `${server!.url}/webhook/5a1c0000-0000-4000-8000-${id}/webhook`;
	const workflows: Record<string, string> = {};
	const envelope = (event: Record<string, unknown>) => ({
		token: 'legacy-verification-token',
		team_id: 'T0RILLS',
		api_app_id: 'A0RILLS',
		type: 'event_callback',
		event_id: `Ev${Date.now()}`,
		event_time: Math.floor(Date.now() / 1000),
		event,
	});
	const settled = (workflow: string, count: number) => triggerExecutions(server!, workflow, count);

	beforeAll(async () => {
		for (const [trigger, id, credentials] of [
			['newMessage', '000000000001', oauth],
			['reactionAdded', '000000000002', bot],
			['userJoined', '000000000003', oauth],
		] as const) {
			workflows[trigger] = await n8n.importWorkflow({
				name: `Slack ${trigger}`,
				nodes: [
					{
						name: 'Slack Trigger',
						type: 'CUSTOM.slackTrigger',
						webhookId: `5a1c0000-0000-4000-8000-${id}`,
						parameters: { authentication: 'rillsSlackApi' in credentials ? 'apiKey' : 'oAuth2', trigger },
						credentials,
					},
				],
				connections: {},
			});
		}
		server = await N8nServer.start(n8n);
		for (const workflow of Object.values(workflows)) await server.activate(workflow);
	});

	it('answers url_verification with the challenge and starts nothing; a signed message event starts one execution; unsigned, wrongly signed and stale ones get 401', async () => {
		const url = hook('000000000001');
		const challenge = await waitFor('the webhook to be registered', async () => {
			const r = await slack.deliver(url, { token: 't', challenge: 'c-3eCkB8dVd', type: 'url_verification' });
			return r.status === 404 ? undefined : r;
		});
		expect(challenge).toEqual({ status: 200, body: 'c-3eCkB8dVd' });
		const message = envelope({
			type: 'message',
			channel: 'C0GENERAL',
			user: 'U00000001',
			text: 'hello',
			ts: '1760000000.000100',
		});
		expect((await slack.deliver(url, message, { signature: 'none' })).status).toBe(401);
		expect((await slack.deliver(url, message, { signature: 'wrong' })).status).toBe(401);
		expect((await slack.deliver(url, message, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(
			401,
		);
		expect((await slack.deliver(url, message)).status).toBe(200);
		// A reaction delivered to the message trigger is acknowledged and starts nothing.
		expect(
			(await slack.deliver(url, envelope({ type: 'reaction_added', user: 'U1', reaction: 'tada' }))).status,
		).toBe(200);
		const executions = await settled(workflows.newMessage, 1);
		expect(executions.map((e) => e.output['Slack Trigger'])).toEqual([[message]]);
		coverage.ran('trigger:newMessage');
	});

	it('reaction added and user joined (channel and workspace) start their workflows', async () => {
		const reaction = envelope({
			type: 'reaction_added',
			user: 'U00000002',
			reaction: 'thumbsup',
			item: { type: 'message', channel: 'C0GENERAL', ts: '1760000000.000100' },
			event_ts: '1760000001.000200',
		});
		const reactionUrl = hook('000000000002');
		await waitFor('the reaction webhook', async () =>
			(await slack.deliver(reactionUrl, { challenge: 'x', type: 'url_verification' })).status === 404
				? undefined
				: true,
		);
		expect((await slack.deliver(reactionUrl, reaction, { signature: 'wrong' })).status).toBe(401);
		expect((await slack.deliver(reactionUrl, reaction)).status).toBe(200);
		expect((await settled(workflows.reactionAdded, 1)).map((e) => e.output['Slack Trigger'])).toEqual([[reaction]]);
		coverage.ran('trigger:reactionAdded');

		const joinedUrl = hook('000000000003');
		await waitFor('the join webhook', async () =>
			(await slack.deliver(joinedUrl, { challenge: 'x', type: 'url_verification' })).status === 404
				? undefined
				: true,
		);
		const joinedChannel = envelope({
			type: 'member_joined_channel',
			user: 'U00000004',
			channel: 'C00000ENG',
			channel_type: 'C',
			team: 'T0RILLS',
		});
		const joinedTeam = envelope({ type: 'team_join', user: { id: 'U00000099', name: 'newcomer' } });
		expect((await slack.deliver(joinedUrl, joinedChannel)).status).toBe(200);
		expect((await settled(workflows.userJoined, 1)).length).toBe(1);
		expect((await slack.deliver(joinedUrl, joinedTeam)).status).toBe(200);
		const joins = await settled(workflows.userJoined, 2);
		expect(joins.map((e) => e.output['Slack Trigger'])).toEqual([[joinedChannel], [joinedTeam]]);
		coverage.ran('trigger:userJoined');
	});

	it('no token, client secret or signing secret appears in any log or execution', async () => {
		const stored = JSON.stringify(await Promise.all(Object.values(workflows).map((w) => server!.executions(w))));
		const all = [...runs.logs, server!.log, stored].join('\n');
		expect(runs.logs.length).toBeGreaterThanOrEqual(4);
		for (const secret of [oauthToken, botToken, slack.signingSecret, 'slack-client-secret-4e1f'])
			expect(all).not.toContain(secret);
	});
});

describe('pickers (what the editor asks n8n for)', () => {
	const search = (methodName: string, path: string, more: { filter?: string; paginationToken?: string } = {}) =>
		server!.listSearch({
			nodeType: 'CUSTOM.slack',
			methodName,
			path,
			parameters: { authentication: 'oAuth2', resource: 'message', operation: 'send' },
			credentials: oauth,
			...more,
		});

	beforeAll(async () => {
		server ??= await N8nServer.start(n8n);
	});

	it('Channel lists conversations.list page by page, filtered by name, on the node credential', async () => {
		slack.channels.push(
			...Array.from({ length: 250 }, (_, i) => ({
				id: `CP${String(i).padStart(7, '0')}`,
				name: `project-${i}`,
				is_private: false,
				created: 1_700_001_000 + i,
			})),
		);
		const before = calls('conversations.list').length;
		const first = await search('channel', 'channel');
		expect(first.results.slice(0, 3)).toEqual([
			{ name: 'general', value: 'C0GENERAL' },
			{ name: 'random', value: 'C00RANDOM' },
			{ name: 'engineering', value: 'C00000ENG' },
		]);
		expect(first.results).toHaveLength(200);
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await search('channel', 'channel', { paginationToken: first.paginationToken });
		expect(second.results.map((c) => c.value)).toEqual(slack.channels.slice(200).map((c) => c.id));
		expect(second.paginationToken).toBeUndefined();
		const pages = calls('conversations.list').slice(before);
		expect(pages.map((r) => [r.query.get('limit'), r.query.get('cursor')])).toEqual([
			['200', null],
			['200', first.paginationToken],
		]);
		expect(pages.every((r) => r.headers.authorization === `Bearer ${oauthToken}`)).toBe(true);

		const found = await search('channel', 'channel', { filter: 'ENGINE' });
		expect(found.results).toEqual([{ name: 'engineering', value: 'C00000ENG' }]);
	});

	it('User lists users.list by real name; a credential without the scope gets its error', async () => {
		const users = await search('user', 'user');
		expect(users.results.slice(0, 2)).toEqual([
			{ name: 'User 1', value: 'U00000001' },
			{ name: 'User 2', value: 'U00000002' },
		]);
		const denied = server!.listSearch({
			nodeType: 'CUSTOM.slack',
			methodName: 'channel',
			path: 'channel',
			parameters: { authentication: 'apiKey', resource: 'message', operation: 'send' },
			credentials: bot,
		});
		await expect(denied).rejects.toThrow(/Slack bot\W+lacks the permission or scope/);
	});
});

it('ran every action and trigger of the definition', () => {
	expect(coverage.missing()).toEqual([]);
});

it("answered as Slack's Web API description says", () => {
	expect(slack.drift).toEqual([]);
});
