/**
 * Gmail inside a real n8n 2.41: sending and drafting compose an RFC 2822 message the fake parses
 * with a real MIME parser (UTF-8 subject, text + HTML alternative, CC/BCC/Reply-To), labels are
 * created, listed and added, messages are listed over pageToken pages and read; a credential
 * without a scope fails only the operations that need it; both polling triggers emit only what is
 * new since their previous poll.
 */
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer, type StoredExecution } from '../../scripts/harness/n8n-server';
import { startGmail, type GmailFake } from '../fakes/gmail';
import { GOOGLE_SCOPE } from '../fakes/google';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { CatalogRun, importConnected, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Gmail/gmail.integration.yaml'));
const SCOPES = ['gmail.send', 'gmail.compose', 'gmail.modify', 'gmail.readonly', 'gmail.labels'].map(GOOGLE_SCOPE);
const CLIENT_SECRET = 'gmail-client-secret-77b3';

let gmail: GmailFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let runs: CatalogRun;
const tokens: string[] = [];

const full = { rillsGmailOAuth2Api: { id: 'gmail', name: 'Gmail' } };
const gmailNode = (
	name: string,
	parameters: Record<string, unknown>,
	credentials: WorkflowNode['credentials'] = full,
): WorkflowNode => ({ name, type: 'CUSTOM.gmail', executeOnce: true, parameters, credentials });
const calls = (method: string, path: string) =>
	gmail.requests.filter((r) => r.method === method && r.path === `/gmail/v1/users/me${path}`);

const run = (...nodes: WorkflowNode[]) => runs.run(...nodes);

async function credential(id: string, scopes: string[]): Promise<void> {
	const token = gmail.issueToken(scopes);
	tokens.push(token);
	await importConnected(n8n, {
		id,
		type: 'rillsGmailOAuth2Api',
		token,
		scopes,
		data: { apiUrl: gmail.url, clientId: 'gmail-client.apps.googleusercontent.com', clientSecret: CLIENT_SECRET },
	});
}

beforeAll(async () => {
	gmail = await startGmail();
	for (let i = 8; i <= 150; i++) gmail.receive(`Hello ${i}`);
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	await credential('gmail', SCOPES);
	await credential('gmailSendOnly', [GOOGLE_SCOPE('gmail.send')]);
});

afterAll(() => shutDown(server, runs, gmail));

describe('actions', () => {
	it('sends a composed email, saves a draft, creates and lists labels, adds labels to a message, lists messages over pages and reads one', async () => {
		const inbox = gmail.messages[3];
		const execution = await run(
			gmailNode('Send', {
				resource: 'message',
				operation: 'send',
				to: 'Ada Lovelace <ada@example.com>, grace@example.com',
				subject: 'Grüße from the launch ✓',
				additionalFields: {
					text: 'Plain words.\nSecond line.',
					html: '<p>Plain <b>words</b>.</p>',
					cc: 'ops@example.com',
					bcc: 'audit@example.com',
					replyTo: 'team@example.com',
				},
			}),
			gmailNode('Draft', {
				resource: 'draft',
				operation: 'create',
				subject: 'Draft notes',
				additionalFields: { to: 'ada@example.com', text: 'Not yet.', messageThreadId: '={{ $json.threadId }}' },
			}),
			gmailNode('Create Label', {
				resource: 'label',
				operation: 'create',
				name: 'Clients/Acme',
				additionalFields: { labelListVisibility: 'labelShow' },
			}),
			gmailNode('Labels', { resource: 'label', operation: 'getAll', returnAll: true }),
			gmailNode('Add Labels', {
				resource: 'message',
				operation: 'addLabels',
				id: inbox.id,
				addLabelIds: "={{ JSON.stringify([$('Create Label').item.json.id, 'STARRED']) }}",
				additionalFields: { removeLabelIds: '["UNREAD"]' },
			}),
			gmailNode('Messages', {
				resource: 'message',
				operation: 'getAll',
				returnAll: true,
				additionalFields: { labelIds: '["INBOX"]' },
			}),
			gmailNode('Message', {
				resource: 'message',
				operation: 'get',
				id: inbox.id,
				additionalFields: { format: 'metadata' },
			}),
		);
		expect(execution.error).toBeUndefined();

		const [send] = calls('POST', '/messages/send');
		expect(send.headers.authorization).toBe(`Bearer ${tokens[0]}`);
		expect(Object.keys(send.body)).toEqual(['raw']);
		const sent = gmail.messages.find((m) => m.labelIds.includes('SENT'))!;
		expect(sent.mail).toEqual({
			to: '"Ada Lovelace" <ada@example.com>, grace@example.com',
			cc: 'ops@example.com',
			bcc: 'audit@example.com',
			replyTo: 'team@example.com',
			from: undefined,
			subject: 'Grüße from the launch ✓',
			text: 'Plain words.\nSecond line.',
			html: '<p>Plain <b>words</b>.</p>',
			contentType: 'multipart/alternative',
		});
		expect(execution.output.Send).toEqual([{ id: sent.id, threadId: sent.threadId, labelIds: ['SENT'] }]);
		coverage.ran('message:send');

		const [draft] = calls('POST', '/drafts');
		expect(Object.keys(draft.body)).toEqual(['message']);
		expect(Object.keys(draft.body.message as object).sort()).toEqual(['raw', 'threadId']);
		expect((draft.body.message as { threadId: string }).threadId).toBe(sent.threadId);
		expect(gmail.drafts[0].message.mail).toMatchObject({
			to: 'ada@example.com',
			subject: 'Draft notes',
			text: 'Not yet.',
			contentType: 'text/plain',
		});
		expect(execution.output.Draft[0]).toMatchObject({
			id: gmail.drafts[0].id,
			message: { threadId: sent.threadId, labelIds: ['DRAFT'] },
		});
		coverage.ran('draft:create');

		const label = gmail.labels.find((l) => l.name === 'Clients/Acme')!;
		expect(calls('POST', '/labels')[0].body).toEqual({ name: 'Clients/Acme', labelListVisibility: 'labelShow' });
		expect(execution.output['Create Label']).toEqual([
			expect.objectContaining({ id: label.id, name: 'Clients/Acme', type: 'user' }),
		]);
		coverage.ran('label:create');
		expect(calls('GET', '/labels')).toHaveLength(1);
		expect(execution.output.Labels.map((l) => l.id)).toEqual(gmail.labels.map((l) => l.id));
		coverage.ran('label:getAll');

		expect(calls('POST', `/messages/${inbox.id}/modify`)[0].body).toEqual({
			addLabelIds: [label.id, 'STARRED'],
			removeLabelIds: ['UNREAD'],
		});
		expect(inbox.labelIds).toEqual(['INBOX', label.id, 'STARRED']);
		expect(execution.output['Add Labels']).toEqual([
			{ id: inbox.id, threadId: inbox.threadId, labelIds: ['INBOX', label.id, 'STARRED'] },
		]);
		coverage.ran('message:addLabels');

		const pages = calls('GET', '/messages');
		expect(
			pages.map((r) => [
				r.query.getAll('labelIds'),
				r.query.get('maxResults'),
				r.query.get('pageToken') !== null,
			]),
		).toEqual([
			[['INBOX'], '100', false],
			[['INBOX'], '100', true],
		]);
		const listed = gmail.messages.filter((m) => m.labelIds.includes('INBOX'));
		expect(listed).toHaveLength(150);
		expect(execution.output.Messages).toEqual(listed.map((m) => ({ id: m.id, threadId: m.threadId })));
		coverage.ran('message:getAll');

		expect(calls('GET', `/messages/${inbox.id}`)[0].query.get('format')).toBe('metadata');
		expect(execution.output.Message[0]).toMatchObject({
			id: inbox.id,
			labelIds: inbox.labelIds,
			payload: { headers: [{ name: 'Subject', value: inbox.snippet }] },
		});
		coverage.ran('message:get');
	});

	it("a send-only credential sends but cannot draft (named scope, no call); Google's 429 is retried with backoff", async () => {
		const sendOnly = { rillsGmailOAuth2Api: { id: 'gmailSendOnly', name: 'gmailSendOnly' } };
		gmail.throttleNext(1);
		const drafts = calls('POST', '/drafts').length;
		const before = calls('POST', '/messages/send').length;
		const execution = await run(
			gmailNode(
				'Send',
				{
					resource: 'message',
					operation: 'send',
					to: 'ada@example.com',
					subject: 'Only sending',
					additionalFields: { text: 'hi' },
				},
				sendOnly,
			),
			gmailNode('Draft', { resource: 'draft', operation: 'create', subject: 'Nope' }, sendOnly),
		);
		const sends = calls('POST', '/messages/send').slice(before);
		// messages.send is not idempotent, but a 429 means Google did not act on it: retried after the backoff.
		expect(sends).toHaveLength(2);
		expect(sends[1].receivedAt - sends[0].receivedAt).toBeGreaterThanOrEqual(900);
		expect(sends[1].headers.authorization).toBe(`Bearer ${tokens[1]}`);
		expect(execution.output.Send[0]).toMatchObject({ labelIds: ['SENT'] });
		expect(execution.error?.message).toBe(
			`"gmailSendOnly" was not granted the scope ${GOOGLE_SCOPE('gmail.compose')} that this operation needs`,
		);
		expect(calls('POST', '/drafts')).toHaveLength(drafts);
	});
});

describe('triggers', () => {
	const workflows: Record<string, string> = {};
	const emitted = (executions: StoredExecution[]) =>
		executions.flatMap((e) => (e.output['Gmail Poll'] ?? []).map((m) => m.id));
	const settled = (workflow: string, count: number) => triggerExecutions(server!, workflow, count);
	const listRequests = () => calls('GET', '/messages').length;

	beforeAll(async () => {
		for (const [event, labelIds] of [
			['newEmail', '["INBOX"]'],
			['labelAdded', '["STARRED"]'],
		]) {
			workflows[event] = await n8n.importWorkflow({
				name: `Gmail ${event}`,
				nodes: [
					{
						name: 'Gmail Poll',
						type: 'CUSTOM.gmailPollingTrigger',
						parameters: {
							event,
							firstPoll: 'none',
							additionalFields: { labelIds },
							pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
						},
						credentials: full,
					},
				],
				connections: {},
			});
		}
		server = await N8nServer.start(n8n);
	});

	it('the first polls remember what exists and emit nothing; after new mail and a new star the next polls emit exactly those', async () => {
		let before = listRequests();
		await server!.activate(workflows.newEmail);
		await server!.activate(workflows.labelAdded);
		// INBOX of the last day is two pages, STARRED one; a first poll that emits nothing starts no execution.
		await waitFor('both first polls', () => (listRequests() >= before + 3 ? true : undefined), 120_000);
		const firstPolls = calls('GET', '/messages').slice(before);
		const starredPoll = firstPolls.find((r) => r.query.getAll('labelIds').includes('STARRED'))!;
		expect(starredPoll.headers.authorization).toBe(`Bearer ${tokens[0]}`);
		expect(starredPoll.query.get('q')).toBeNull();
		expect(
			firstPolls.filter((r) => r.query.getAll('labelIds').includes('INBOX')).map((r) => r.query.get('q')),
		).toEqual(['newer_than:1d', 'newer_than:1d']);
		const firstPollAt = Math.min(...firstPolls.map((r) => r.receivedAt));

		const fresh = [gmail.receive('Invoice 1'), gmail.receive('Invoice 2')];
		const starred = gmail.messages[40];
		starred.labelIds.push('STARRED');
		before = listRequests();
		for (const workflow of Object.values(workflows)) {
			await server!.deactivate(workflow);
			await server!.activate(workflow);
		}
		const newMail = await settled(workflows.newEmail, 1);
		// The second poll asked Gmail only for mail after the first poll began, less five minutes.
		const asked = calls('GET', '/messages')
			.slice(before)
			.find((r) => r.query.getAll('labelIds').includes('INBOX'))!;
		const after = Number(/^after:(\d+)$/.exec(asked.query.get('q') ?? '')?.[1]);
		expect(Math.abs(after - (firstPollAt - 300_000) / 1000)).toBeLessThanOrEqual(5);
		expect(emitted(newMail).sort()).toEqual(fresh.map((m) => m.id).sort());
		coverage.ran('trigger:newEmail');
		const labelled = await settled(workflows.labelAdded, 1);
		expect(emitted(labelled)).toEqual([starred.id]);
		coverage.ran('trigger:labelAdded');
		expect(listRequests()).toBeGreaterThanOrEqual(before + 2);
	});

	it('no access token or client secret appears in any log or execution', async () => {
		const stored = JSON.stringify(await Promise.all(Object.values(workflows).map((w) => server!.executions(w))));
		const all = [...runs.logs, server!.log, stored].join('\n');
		for (const secret of [...tokens, CLIENT_SECRET]) expect(all).not.toContain(secret);
	});
});

it('ran every action and trigger of the definition', () => {
	expect(coverage.missing()).toEqual([]);
});

it("answered as Gmail's description says", () => {
	expect(gmail.drift).toEqual([]);
});
