/**
 * Microsoft Teams (Graph) inside a real n8n 2.41: create a team (202 + Location, no body) from a
 * template bind, add a member through user@odata.bind, post a channel message, read the channel's
 * delta over @odata.nextLink pages; a credential without a scope fails only the operation that
 * needs it; 429 Retry-After is waited out; the polling trigger asks Graph for
 * `lastModifiedDateTime gt …` after its first poll.
 */
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer, type StoredExecution } from '../../scripts/harness/n8n-server';
import { startMicrosoftTeams, type TeamsFake } from '../fakes/microsoft-teams';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { CatalogRun, importConnected, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/MicrosoftTeams/microsoftTeams.integration.yaml'));
const SCOPES = [
	'Team.ReadBasic.All',
	'Channel.ReadBasic.All',
	'ChannelMessage.Send',
	'ChannelMessage.Read.All',
	'Team.Create',
	'TeamMember.ReadWrite.All',
	'offline_access',
	'User.Read',
];
const CLIENT_SECRET = 'teams-client-secret-8c4e';
const CHANNEL = '19:general@thread.tacv2';

let teams: TeamsFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let runs: CatalogRun;
const tokens: string[] = [];

const full = { rillsMicrosoftTeamsOAuth2Api: { id: 'teams', name: 'teams' } };
const teamsNode = (
	name: string,
	parameters: Record<string, unknown>,
	credentials: WorkflowNode['credentials'] = full,
): WorkflowNode => ({ name, type: 'CUSTOM.microsoftTeams', executeOnce: true, parameters, credentials });
const calls = (method: string, path: string) =>
	teams.requests.filter((r) => r.method === method && r.path === `/v1.0${path}`);
const channelPath = (teamId: string) => `/teams/${teamId}/channels/${encodeURIComponent(CHANNEL)}/messages`;

const run = (...nodes: WorkflowNode[]) => runs.run(...nodes);

async function credential(id: string, scopes: string[]): Promise<void> {
	const token = teams.issueToken(scopes);
	tokens.push(token);
	await importConnected(n8n, {
		id,
		type: 'rillsMicrosoftTeamsOAuth2Api',
		token,
		scopes,
		data: {
			apiUrl: `${teams.url}/v1.0`,
			tenant: 'contoso.onmicrosoft.com',
			clientId: 'teams-client-id',
			clientSecret: CLIENT_SECRET,
		},
	});
}

beforeAll(async () => {
	teams = await startMicrosoftTeams({ messageCount: 120 });
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	await credential('teams', SCOPES);
	await credential('teamsMessagesOnly', ['ChannelMessage.Send', 'ChannelMessage.Read.All']);
});

afterAll(() => shutDown(server, runs, teams));

describe('actions', () => {
	it('creates a team, adds a member, posts a channel message and reads the channel delta over @odata.nextLink pages', async () => {
		const launch = teams.teams[0];
		const execution = await run(
			teamsNode('Create Team', {
				resource: 'team',
				operation: 'create',
				displayName: 'Rills Launch',
				templateOdataBind: 'standard',
				additionalFields: { description: 'Launch crew', visibility: 'private' },
			}),
			teamsNode('Add Member', {
				resource: 'member',
				operation: 'add',
				teamId: `={{ $json.contentLocation.split("'")[1] }}`,
				odataType: '#microsoft.graph.aadUserConversationMember',
				userOdataBind: 'grace@contoso.com',
				additionalFields: { roles: ['owner'] },
			}),
			teamsNode('Send', {
				resource: 'message',
				operation: 'send',
				teamId: launch.id,
				channelId: CHANNEL,
				bodyContent: '<b>Ship it</b>',
				additionalFields: { bodyContentType: 'html', subject: 'Release' },
			}),
			teamsNode('Messages', {
				resource: 'message',
				operation: 'getAll',
				// Picked From List; the other nodes hold the plain IDs of workflows saved before the pickers.
				teamId: { __rl: true, mode: 'list', value: launch.id, cachedResultName: 'Launch' },
				channelId: { __rl: true, mode: 'list', value: CHANNEL, cachedResultName: 'General' },
				returnAll: true,
			}),
			teamsNode('Check', { resource: 'connection', operation: 'check' }),
		);
		expect(execution.error).toBeUndefined();
		const created = teams.teams.at(-1)!;
		expect(created.displayName).toBe('Rills Launch');

		const [create] = calls('POST', '/teams');
		expect(create.headers.authorization).toBe(`Bearer ${tokens[0]}`);
		expect(create.body).toEqual({
			displayName: 'Rills Launch',
			'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('standard')",
			description: 'Launch crew',
			visibility: 'private',
		});
		expect(execution.output['Create Team']).toEqual([
			{
				success: true,
				statusCode: 202,
				location: `/teams('${created.id}')/operations('op-${created.id}')`,
				contentLocation: `/teams('${created.id}')`,
			},
		]);
		coverage.ran('team:create');

		expect(calls('POST', `/teams/${created.id}/members`)[0].body).toEqual({
			'@odata.type': '#microsoft.graph.aadUserConversationMember',
			'user@odata.bind': "https://graph.microsoft.com/v1.0/users('grace@contoso.com')",
			roles: ['owner'],
		});
		expect(created.members).toEqual([expect.objectContaining({ userId: teams.users[1].id, roles: ['owner'] })]);
		expect(execution.output['Add Member']).toEqual([
			expect.objectContaining({ email: 'grace@contoso.com', roles: ['owner'] }),
		]);
		coverage.ran('member:add');

		expect(calls('POST', channelPath(launch.id))[0].body).toEqual({
			body: { content: '<b>Ship it</b>', contentType: 'html' },
			subject: 'Release',
		});
		const sent = launch.channels[CHANNEL][120];
		expect(execution.output.Send[0]).toMatchObject({
			id: sent.id,
			subject: 'Release',
			body: { contentType: 'html', content: '<b>Ship it</b>' },
		});
		coverage.ran('message:send');

		const pages = calls('GET', `${channelPath(launch.id)}/delta`);
		expect(pages.map((r) => [r.query.get('$top'), r.query.get('$skiptoken') !== null])).toEqual([
			['50', false],
			[null, true],
			[null, true],
		]);
		expect(execution.output.Messages.map((m) => m.id)).toEqual(launch.channels[CHANNEL].map((m) => m.id));
		coverage.ran('message:getAll');

		// Connection → Check reads the signed-in user with the same token.
		expect(calls('GET', '/me')[0].headers.authorization).toBe(`Bearer ${tokens[0]}`);
		expect(execution.output.Check[0]).toMatchObject({
			status: 'ok',
			httpStatus: 200,
			credential: 'teams',
			error: null,
		});
	});

	it('a credential without Team.Create fails only team creation, before calling Graph; a 429 with Retry-After is waited out', async () => {
		const narrow = { rillsMicrosoftTeamsOAuth2Api: { id: 'teamsMessagesOnly', name: 'teamsMessagesOnly' } };
		teams.throttleNext(1, 2);
		const before = calls('POST', channelPath(teams.teams[0].id)).length;
		const execution = await run(
			teamsNode(
				'Send',
				{
					resource: 'message',
					operation: 'send',
					teamId: teams.teams[0].id,
					channelId: CHANNEL,
					bodyContent: 'after the wait',
				},
				narrow,
			),
			teamsNode(
				'Create Team',
				{ resource: 'team', operation: 'create', displayName: 'Nope', templateOdataBind: 'standard' },
				narrow,
			),
		);
		const sends = calls('POST', channelPath(teams.teams[0].id)).slice(before);
		expect(sends).toHaveLength(2);
		expect(sends[1].receivedAt - sends[0].receivedAt).toBeGreaterThanOrEqual(1950);
		expect(teams.violations).toEqual([]);
		expect(execution.output.Send[0]).toMatchObject({ body: { content: 'after the wait', contentType: 'text' } });
		expect(execution.error?.message).toBe(
			'"teamsMessagesOnly" was not granted the scope Team.Create that this operation needs',
		);
		expect(teams.teams.filter((t) => t.displayName === 'Nope')).toEqual([]);

		const missing = await run(
			teamsNode('Add Member', {
				resource: 'member',
				operation: 'add',
				teamId: teams.teams[0].id,
				odataType: '#microsoft.graph.aadUserConversationMember',
				userOdataBind: 'nobody@contoso.com',
			}),
		);
		expect(missing.error?.message).toBe('Microsoft Teams found nothing at this address');
		expect(missing.error?.description).toContain("User 'nobody@contoso.com' not found");
	});
});

describe('trigger', () => {
	let workflow: string;
	const emitted = (executions: StoredExecution[]) =>
		executions.flatMap((e) => (e.output['Teams Poll'] ?? []).map((m) => m.id));
	const deltas = () => calls('GET', `${channelPath(teams.teams[0].id)}/delta`);

	beforeAll(async () => {
		workflow = await n8n.importWorkflow({
			name: 'Teams channel messages',
			nodes: [
				{
					name: 'Teams Poll',
					type: 'CUSTOM.microsoftTeamsPollingTrigger',
					parameters: {
						event: 'newChannelMessage',
						teamId: teams.teams[0].id,
						channelId: CHANNEL,
						firstPoll: 'none',
						pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
					},
					credentials: full,
				},
			],
			connections: {},
		});
		server = await N8nServer.start(n8n);
	});

	it('the first poll reads the whole channel and emits nothing; the next asks for lastModifiedDateTime gt the watermark minus a minute and emits only new messages', async () => {
		let before = deltas().length;
		await server!.activate(workflow);
		await waitFor('the first poll', () => (deltas().length >= before + 3 ? true : undefined), 120_000);
		const first = deltas().slice(before);
		expect(first[0].query.get('$filter')).toBe('lastModifiedDateTime gt 1970-01-01T00:00:00Z');
		// The next pages are the @odata.nextLink URLs as Graph gave them, nothing added.
		expect(
			first.slice(1).every((r) => r.query.get('$skiptoken') && !r.query.has('$filter') && !r.query.has('$top')),
		).toBe(true);
		const watermark = Math.max(...teams.teams[0].channels[CHANNEL].map((m) => Date.parse(m.lastModifiedDateTime)));

		const fresh = [
			teams.post(teams.teams[0].id, CHANNEL, 'new one'),
			teams.post(teams.teams[0].id, CHANNEL, 'new two'),
		];
		before = deltas().length;
		await server!.deactivate(workflow);
		await server!.activate(workflow);
		const executions = await triggerExecutions(server!, workflow, 1);
		expect(deltas()[before].query.get('$filter')).toBe(
			`lastModifiedDateTime gt ${new Date(watermark - 60_000).toISOString()}`,
		);
		expect(emitted(executions)).toEqual(fresh.map((m) => m.id));
		coverage.ran('trigger:newChannelMessage');
	});

	it('Team pages the joined teams over @odata.nextLink and takes a copied link; Channel offers the chosen team’s channels', async () => {
		const picker = (nodeType: string, methodName: string, parameters: Record<string, unknown>, more = {}) =>
			server!.listSearch({ nodeType, methodName, path: methodName, parameters, credentials: full, ...more });
		const send = { resource: 'message', operation: 'send' };
		const joined = () => calls('GET', '/me/joinedTeams');
		const before = joined().length;
		const first = await picker('CUSTOM.microsoftTeams', 'teamId', send);
		expect(first.results).toHaveLength(20);
		expect(first.results[0]).toEqual({ name: 'Launch', value: teams.teams[0].id });
		const second = await picker('CUSTOM.microsoftTeams', 'teamId', send, {
			paginationToken: first.paginationToken,
		});
		expect([...first.results, ...second.results].map((t) => t.value)).toEqual(teams.teams.map((t) => t.id));
		expect(second.paginationToken).toBeUndefined();
		// Graph cannot search joined teams: the page is filtered by name.
		const found = await picker('CUSTOM.microsoftTeams', 'teamId', send, { filter: 'team 0' });
		expect(found.results.map((t) => t.name)).toEqual(teams.teams.slice(1, 10).map((t) => t.displayName));
		const listed = joined().slice(before);
		expect(listed.map((r) => r.query.get('$skiptoken') !== null)).toEqual([false, true, false]);
		expect(listed.every((r) => !r.query.has('$top') && r.headers.authorization === `Bearer ${tokens[0]}`)).toBe(
			true,
		);

		// A team's "Copy link" names it as groupId; the channels are the ones of that team.
		const launch = teams.teams[0];
		const team = {
			__rl: true,
			mode: 'url',
			value: `https://teams.microsoft.com/l/team/19%3aabc%40thread.tacv2/conversations?groupId=${launch.id}&tenantId=72f988bf-86f1-41af-91ab-2d7cd011db47`,
		};
		const channels = await picker('CUSTOM.microsoftTeams', 'channelId', { ...send, teamId: team });
		const more = await picker(
			'CUSTOM.microsoftTeams',
			'channelId',
			{ ...send, teamId: team },
			{ paginationToken: channels.paginationToken },
		);
		expect([...channels.results, ...more.results]).toEqual(
			Object.entries(launch.channelNames).map(([value, name]) => ({ name, value })),
		);
		expect(more.paginationToken).toBeUndefined();
		const polled = await picker('CUSTOM.microsoftTeamsPollingTrigger', 'channelId', {
			event: 'newChannelMessage',
			teamId: { __rl: true, mode: 'list', value: teams.teams[1].id, cachedResultName: 'Team 01' },
		});
		expect(polled).toEqual({ results: [{ name: 'General', value: CHANNEL }] });
		expect(
			teams.requests.filter((r) => r.path.endsWith('/channels')).map((r) => decodeURIComponent(r.path)),
		).toEqual([
			`/v1.0/teams/${launch.id}/channels`,
			`/v1.0/teams/${launch.id}/channels`,
			`/v1.0/teams/${teams.teams[1].id}/channels`,
		]);
	});

	it('no access token or client secret appears in any log or execution', async () => {
		const all = [...runs.logs, server!.log, JSON.stringify(await server!.executions(workflow))].join('\n');
		for (const secret of [...tokens, CLIENT_SECRET]) expect(all).not.toContain(secret);
	});
});

it('ran every action and trigger of the definition', () => {
	expect(coverage.missing()).toEqual([]);
});

it('answered as the Microsoft Graph description says', () => {
	expect(teams.drift).toEqual([]);
});
