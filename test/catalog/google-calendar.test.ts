/**
 * Google Calendar inside a real n8n 2.41: every action with a Google OAuth2 credential holding a
 * stored token (create, patch, list over pageToken pages, delete), a read-only credential failing
 * only the writes, 429 rateLimitExceeded retried with backoff, and the polling trigger asking for
 * `updatedMin` changes after its first poll.
 */
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer, type StoredExecution } from '../../scripts/harness/n8n-server';
import { GOOGLE_SCOPE } from '../fakes/google';
import { startGoogleCalendar, type GoogleCalendarFake } from '../fakes/google-calendar';
import { Coverage } from './coverage';
import { CatalogRun, importConnected, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/GoogleCalendar/googleCalendar.integration.yaml'));
const EVENTS = GOOGLE_SCOPE('calendar.events');
const READONLY = GOOGLE_SCOPE('calendar.readonly');
const CLIENT_SECRET = 'gcal-client-secret-5d0a';

let calendar: GoogleCalendarFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let runs: CatalogRun;
const tokens: string[] = [];

const full = { rillsGoogleCalendarOAuth2Api: { id: 'gcal', name: 'gcal' } };
const calendarNode = (
	name: string,
	parameters: Record<string, unknown>,
	credentials: WorkflowNode['credentials'] = full,
): WorkflowNode => ({
	name,
	type: 'CUSTOM.googleCalendar',
	executeOnce: true,
	parameters: { calendarId: 'primary', ...parameters },
	credentials,
});
const calls = (method: string, path = '/calendar/v3/calendars/primary/events') =>
	calendar.requests.filter((r) => r.method === method && r.path.startsWith(path));

const run = (...nodes: WorkflowNode[]) => runs.run(...nodes);

async function credential(id: string, scopes: string[]): Promise<void> {
	const token = calendar.issueToken(scopes);
	tokens.push(token);
	await importConnected(n8n, {
		id,
		type: 'rillsGoogleCalendarOAuth2Api',
		token,
		scopes,
		data: { apiUrl: calendar.url, clientId: 'gcal-client.apps.googleusercontent.com', clientSecret: CLIENT_SECRET },
	});
}

beforeAll(async () => {
	calendar = await startGoogleCalendar({ eventCount: 300 });
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	await credential('gcal', [EVENTS, READONLY]);
	await credential('gcalReadOnly', [READONLY]);
});

afterAll(() => shutDown(server, runs, calendar));

describe('actions', () => {
	it('creates an event, patches it, lists every event over pageToken pages and deletes it', async () => {
		const execution = await run(
			calendarNode('Create', {
				resource: 'event',
				operation: 'create',
				startDateTime: '2026-06-01T09:00:00Z',
				endDateTime: '2026-06-01T09:30:00Z',
				additionalFields: {
					summary: 'Launch review',
					startTimeZone: 'Europe/Berlin',
					attendees: '[{"email":"ada@example.com"}]',
					sendUpdates: 'none',
				},
			}),
			calendarNode('Update', {
				resource: 'event',
				operation: 'update',
				eventId: '={{ $json.id }}',
				additionalFields: { location: 'Room 4', status: 'tentative' },
			}),
			calendarNode('List', {
				resource: 'event',
				operation: 'getAll',
				returnAll: true,
				additionalFields: { singleEvents: true, orderBy: 'startTime' },
			}),
			calendarNode('Delete', {
				resource: 'event',
				operation: 'delete',
				eventId: "={{ $('Create').item.json.id }}",
			}),
		);
		expect(execution.error).toBeUndefined();
		const created = calendar.events[300];

		const [insert] = calls('POST');
		expect(insert.headers.authorization).toBe(`Bearer ${tokens[0]}`);
		expect(insert.query.get('sendUpdates')).toBe('none');
		expect(insert.body).toEqual({
			start: { dateTime: '2026-06-01T09:00:00Z', timeZone: 'Europe/Berlin' },
			end: { dateTime: '2026-06-01T09:30:00Z' },
			summary: 'Launch review',
			attendees: [{ email: 'ada@example.com' }],
		});
		expect(execution.output.Create).toEqual([
			expect.objectContaining({ kind: 'calendar#event', id: created.id, summary: 'Launch review' }),
		]);
		coverage.ran('event:create');

		const [patch] = calls('PATCH');
		expect(patch.path).toBe(`/calendar/v3/calendars/primary/events/${created.id}`);
		expect(patch.body).toEqual({ location: 'Room 4', status: 'tentative' });
		expect(execution.output.Update[0]).toMatchObject({
			id: created.id,
			location: 'Room 4',
			status: 'tentative',
			summary: 'Launch review',
		});
		coverage.ran('event:update');

		const pages = calls('GET');
		expect(
			pages.map((r) => [
				r.query.get('maxResults'),
				r.query.get('singleEvents'),
				r.query.get('orderBy'),
				r.query.get('pageToken') !== null,
			]),
		).toEqual([
			['250', 'true', 'startTime', false],
			['250', 'true', 'startTime', true],
		]);
		expect(execution.output.List.map((e) => e.id)).toEqual(calendar.events.map((e) => e.id));
		coverage.ran('event:getAll');

		const [del] = calls('DELETE');
		expect(del.path).toBe(`/calendar/v3/calendars/primary/events/${created.id}`);
		expect(execution.output.Delete).toEqual([{ success: true, statusCode: 204 }]);
		expect(created.status).toBe('cancelled');
		coverage.ran('event:delete');
	});

	it("a read-only credential lists but cannot create (named scope, no call); Google's 404 and 429 become n8n errors and retries", async () => {
		const readOnly = { rillsGoogleCalendarOAuth2Api: { id: 'gcalReadOnly', name: 'gcalReadOnly' } };
		calendar.throttleNext(1);
		const before = calendar.requests.length;
		const execution = await run(
			calendarNode('List', { resource: 'event', operation: 'getAll', returnAll: false, limit: 3 }, readOnly),
			calendarNode(
				'Create',
				{
					resource: 'event',
					operation: 'create',
					startDateTime: '2026-06-01T09:00:00Z',
					endDateTime: '2026-06-01T10:00:00Z',
				},
				readOnly,
			),
		);
		expect(execution.output.List.map((e) => e.id)).toEqual(['ev1', 'ev2', 'ev3']);
		const made = calendar.requests.slice(before);
		// The 429 was retried after a backoff; only then the page came back.
		expect(made.map((r) => r.method)).toEqual(['GET', 'GET']);
		expect(made[1].receivedAt - made[0].receivedAt).toBeGreaterThanOrEqual(900);
		expect(made[1].query.get('maxResults')).toBe('3');
		expect(execution.error?.message).toBe(
			`"gcalReadOnly" was not granted the scope ${EVENTS} that this operation needs`,
		);

		const missing = await run(calendarNode('Delete', { resource: 'event', operation: 'delete', eventId: 'nope' }));
		expect(missing.error?.message).toBe('Google Calendar found nothing at this address');
		expect(missing.error?.description).toContain('Google Calendar said: Not Found');
	});

	it('a calendar picked From List is the one read', async () => {
		// Chosen From List here; the other nodes hold the plain `primary` of workflows saved before the picker.
		const execution = await run(
			calendarNode('Team', {
				resource: 'event',
				operation: 'getAll',
				returnAll: false,
				limit: 1,
				calendarId: {
					__rl: true,
					mode: 'list',
					value: 'c_team@group.calendar.google.com',
					cachedResultName: 'Team launches',
				},
			}),
		);
		expect(execution.error).toBeUndefined();
		expect(execution.output.Team).toHaveLength(1);
		const read = calendar.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/events')).pop()!;
		expect(decodeURIComponent(read.path)).toBe('/calendar/v3/calendars/c_team@group.calendar.google.com/events');
	});
});

describe('trigger', () => {
	let workflow: string;
	const emitted = (executions: StoredExecution[]) =>
		executions.flatMap((e) => (e.output['Calendar Poll'] ?? []).map((ev) => `${ev.id}@${ev.updated}`));
	const polls = () => calls('GET');
	const settled = (count: number) => triggerExecutions(server!, workflow, count);

	beforeAll(async () => {
		workflow = await n8n.importWorkflow({
			name: 'Calendar changes',
			nodes: [
				{
					name: 'Calendar Poll',
					type: 'CUSTOM.googleCalendarPollingTrigger',
					parameters: {
						event: 'eventChanged',
						calendarId: 'primary',
						firstPoll: 'latest',
						firstPollCount: 2,
						additionalFields: { singleEvents: true, showDeleted: true },
						pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
					},
					credentials: full,
				},
			],
			connections: {},
		});
		server = await N8nServer.start(n8n);
	});

	it('the first poll reads every page and emits the two most recently changed events; the next asks for updatedMin and emits only the changes', async () => {
		const before = polls().length;
		await server!.activate(workflow);
		const first = await settled(1);
		const newest = [...calendar.events].sort((a, b) => Date.parse(a.updated) - Date.parse(b.updated)).slice(-2);
		expect(emitted(first)).toEqual(newest.map((e) => `${e.id}@${e.updated}`));
		const firstPoll = polls().slice(before);
		expect(firstPoll.map((r) => r.query.get('updatedMin'))).toEqual([null, null]);
		expect(
			firstPoll.every((r) => r.query.get('singleEvents') === 'true' && r.query.get('showDeleted') === 'true'),
		).toBe(true);

		const watermark = Date.parse(newest[1].updated);
		calendar.touch(calendar.events[9]);
		calendar.events[9].summary = 'Moved';
		const second = polls().length;
		await server!.deactivate(workflow);
		await server!.activate(workflow);
		const executions = await settled(2);
		expect(polls()[second].query.get('updatedMin')).toBe(new Date(watermark - 60_000).toISOString());
		expect(emitted(executions.slice(1))).toEqual([`ev10@${calendar.events[9].updated}`]);
		coverage.ran('trigger:eventChanged');
	});

	it('Calendar pages the user’s calendar list and filters a page by name', async () => {
		const picker = (more: { filter?: string; paginationToken?: string } = {}, credentials = full) =>
			server!.listSearch({
				nodeType: 'CUSTOM.googleCalendar',
				methodName: 'calendarId',
				path: 'calendarId',
				parameters: { resource: 'event', operation: 'getAll' },
				credentials,
				...more,
			});
		const link = (id: string) => `https://calendar.google.com/calendar/embed?src=${id}`;
		const first = await picker();
		expect(first.results).toHaveLength(250);
		expect(first.results.slice(0, 2)).toEqual([
			{ name: 'ada@example.com', value: 'ada@example.com', url: link('ada@example.com') },
			{
				name: 'Team launches',
				value: 'c_team@group.calendar.google.com',
				url: link('c_team@group.calendar.google.com'),
			},
		]);
		const second = await picker({ paginationToken: first.paginationToken });
		expect(second.results.map((c) => c.value)).toEqual(calendar.calendars.slice(250).map((c) => c.id));
		expect(second.paginationToken).toBeUndefined();
		expect((await picker({ filter: 'TEAM' })).results.map((c) => c.name)).toEqual(['Team launches']);
		const lists = calendar.requests.filter((r) => r.path === '/calendar/v3/users/me/calendarList');
		expect(lists.map((r) => [r.query.get('maxResults'), r.query.has('pageToken')])).toEqual([
			['250', false],
			['250', true],
			['250', false],
		]);
		expect(lists.every((r) => r.headers.authorization?.startsWith('Bearer '))).toBe(true);
	});

	it('no access token or client secret appears in any log or execution', async () => {
		const all = [...runs.logs, server!.log, JSON.stringify(await server!.executions(workflow))].join('\n');
		for (const secret of [...tokens, CLIENT_SECRET]) expect(all).not.toContain(secret);
	});
});

it('ran every action and trigger of the definition', () => {
	expect(coverage.missing()).toEqual([]);
});

it("answered as Google Calendar's description says", () => {
	expect(calendar.drift).toEqual([]);
});
