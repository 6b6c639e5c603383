/**
 * GitHub's REST API as a loopback service, for the operations the GitHub nodes use: tokens as
 * `Authorization: Bearer`, OAuth scopes (X-OAuth-Scopes; a token without `repo` gets GitHub's
 * 404), the API version header, a User-Agent, issues paged by `Link` headers, 422 validation
 * errors, the merge endpoint's 405/409, primary (403, x-ratelimit-remaining: 0) and secondary
 * (403, retry-after) rate limits, and repository webhooks: created with a secret, pinged, and
 * delivering events signed as `X-Hub-Signature-256: sha256=<hex>` with `X-GitHub-Event`.
 */
import { randomUUID } from 'node:crypto';
import { describedBy } from './described';
import { bearer, deliver, hmacHex, linkPage, Throttle } from './hooks';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

const DOCS = 'https://docs.github.com/rest';
const REST = '@octokit/openapi/generated/api.github.com.json';
const WEBHOOKS = '@octokit/openapi-webhooks/generated/api.github.com.json';
const github = describedBy(REST, 'https://api.github.com');
const schema = (name: string) => `/components/schemas/${name}`;
/** A user as GitHub shows one inside other objects. */
const user = (login: string, id: number) => github.shaped(schema('simple-user'), { login, id, type: 'User' });
const EVENTS = new Set(['push', 'issues', 'pull_request', 'issue_comment', 'release', 'ping', '*']);

export interface Hook {
	id: number;
	repo: string;
	url: string;
	events: string[];
	secret: string;
	contentType: string;
	/** n8n's answer to the ping GitHub sends right after creating the hook. */
	ping?: number;
}

export interface GitHubFake extends FakeService {
	/** `owner/name` → its issues, pull requests and releases. */
	repos: Map<
		string,
		{
			issues: Array<Record<string, unknown>>;
			pulls: Map<number, { mergeable: boolean; head: string; merged: boolean }>;
			releases: Array<Record<string, unknown>>;
		}
	>;
	hooks: Map<number, Hook>;
	/** Every hook ever created, deleted or not. */
	createdHooks: Hook[];
	throttle: Throttle;
	/** A token GitHub knows, with these OAuth scopes. */
	issueToken(scopes: string[]): string;
	/** Tokens GitHub answers 401 to while they are here, as after a revocation. */
	revoked: Set<string>;
	/** A webhook payload as GitHub describes `name` (`issues-opened`), with these fields. */
	payload(name: string, fields: Record<string, unknown>): Record<string, unknown>;
	/** POSTs `event` to the hook, signed with its secret unless told otherwise. */
	deliver(
		hook: Hook,
		event: string,
		payload: Record<string, unknown>,
		signature?: 'valid' | 'none' | 'wrong',
	): Promise<{ status: number; body: string }>;
}

/** The organisations the token's user belongs to. */
const ORGS = ['rills', 'rills-labs'];

const notFound = () => json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
const invalid = (resource: string, field: string, code = 'missing_field') =>
	json(422, {
		message: 'Validation Failed',
		errors: [{ resource, code, field }],
		documentation_url: DOCS,
		status: '422',
	});

export async function startGitHub(): Promise<GitHubFake> {
	const tokens = new Map<string, string[]>();
	const revoked = new Set<string>();
	const repos: GitHubFake['repos'] = new Map();
	const hooks = new Map<number, Hook>();
	const createdHooks: Hook[] = [];
	const throttle = new Throttle();
	let nextId = 1000;
	repos.set('rills/launchpad', {
		issues: Array.from({ length: 230 }, (_, i) =>
			github.shaped(schema('issue'), {
				id: 5000 + i,
				number: i + 1,
				title: `Issue ${i + 1}`,
				state: i % 5 === 0 ? 'closed' : 'open',
				labels: [{ name: i % 2 ? 'bug' : 'feature' }],
				updated_at: new Date(Date.UTC(2026, 0, 1 + (i % 28))).toISOString(),
			}),
		),
		pulls: new Map([
			[7, { mergeable: true, head: 'a1b2c3d', merged: false }],
			[8, { mergeable: false, head: 'e4f5a6b', merged: false }],
		]),
		releases: [],
	});

	function authenticate(req: FakeRequest): { scopes: string[] } | FakeResponse {
		if (!req.headers['user-agent'])
			return json(403, {
				message:
					'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.',
			});
		const token = bearer(req, ['Bearer', 'token']);
		const scopes = token && !revoked.has(token) && tokens.get(token);
		if (!scopes) return json(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
		if (req.headers['x-github-api-version'] !== '2022-11-28')
			return json(400, {
				message: `Invalid API version: ${req.headers['x-github-api-version'] ?? '(none)'}`,
				documentation_url: DOCS,
			});
		if (!(req.headers.accept ?? '').includes('application/vnd.github+json'))
			return json(415, { message: 'Unsupported Accept header', documentation_url: DOCS });
		return { scopes };
	}

	const fake = await startFake(
		async (req) => {
			const auth = authenticate(req);
			if (!('scopes' in auth)) return auth;
			const limited = throttle.take();
			if (limited) return limited;
			const headers = {
				'x-oauth-scopes': auth.scopes.join(', '),
				'x-ratelimit-limit': '5000',
				'x-ratelimit-remaining': '4999',
				'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
			};
			const answer = route(req, auth.scopes);
			return { ...answer, headers: { ...headers, ...answer.headers } };
		},
		{ conformance: github.answer },
	);

	function route(req: FakeRequest, scopes: string[]): FakeResponse {
		if (req.method === 'GET' && req.path === '/user')
			return json(200, github.shaped(schema('private-user'), { login: 'octo-rills', id: 1, type: 'User' }));
		if (req.method === 'GET' && req.path === '/user/orgs')
			return linkPage(
				req,
				ORGS.map((login, i) =>
					github.shaped(schema('organization-simple'), {
						login,
						id: 100 + i,
						url: `${fake.url}/orgs/${login}`,
					}),
				),
			);
		// An owner's public repositories, sorted by full name as `sort=full_name` asks.
		const owned = /^\/users\/([^/]+)\/repos$/.exec(req.path);
		if (req.method === 'GET' && owned) {
			const names = [...repos.keys()].filter((r) => r.startsWith(`${owned[1]}/`)).sort();
			if (!names.length && !ORGS.includes(owned[1])) return notFound();
			return linkPage(
				req,
				names.map((full_name, i) =>
					github.shaped(schema('minimal-repository'), {
						id: 7000 + i,
						name: full_name.split('/')[1],
						full_name,
						private: false,
					}),
				),
			);
		}
		const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(req.path);
		const repo = m && repos.get(`${m[1]}/${m[2]}`);
		// A token without repo access is not told the private repository exists.
		if (
			!m ||
			!repo ||
			!scopes.some(
				(s) => s === 'repo' || s === 'public_repo' || (s === 'admin:repo_hook' && /^\/hooks/.test(m[3] ?? '')),
			)
		)
			return notFound();
		const rest = m[3] ?? '';
		const body = req.body;
		if (req.method === 'POST' && rest === '/issues') {
			if (typeof body.title !== 'string' || !body.title) return invalid('Issue', 'title');
			for (const key of ['labels', 'assignees'] as const)
				if (body[key] !== undefined && !Array.isArray(body[key])) return invalid('Issue', key, 'invalid');
			const issue = github.shaped(schema('issue'), {
				id: ++nextId,
				number: repo.issues.length + 1,
				title: body.title,
				body: body.body ?? null,
				state: 'open',
				labels: ((body.labels as string[] | undefined) ?? []).map((name) => ({ name })),
				assignees: ((body.assignees as string[] | undefined) ?? []).map((login, i) => user(login, 200 + i)),
				html_url: `https://github.com/${m[1]}/${m[2]}/issues/${repo.issues.length + 1}`,
				updated_at: new Date().toISOString(),
			});
			repo.issues.push(issue);
			return json(201, issue);
		}
		if (req.method === 'GET' && rest === '/issues') {
			const state = req.query.get('state') ?? 'open';
			const labels = req.query.get('labels')?.split(',') ?? [];
			const since = req.query.get('since');
			const matching = repo.issues.filter(
				(i) =>
					(state === 'all' || i.state === state) &&
					labels.every((l) => (i.labels as Array<{ name: string }>).some((x) => x.name === l)) &&
					(!since || String(i.updated_at) >= since),
			);
			return linkPage(req, matching);
		}
		const comment = /^\/issues\/(\d+)\/comments$/.exec(rest);
		if (req.method === 'POST' && comment) {
			if (!repo.issues.some((i) => i.number === Number(comment[1]))) return notFound();
			if (typeof body.body !== 'string' || !body.body) return invalid('IssueComment', 'body');
			return json(
				201,
				github.shaped(schema('issue-comment'), {
					id: ++nextId,
					body: body.body,
					issue_url: `${fake.url}${req.path.replace(/\/comments$/, '')}`,
					user: user('octo-rills', 1),
				}),
			);
		}
		const merge = /^\/pulls\/(\d+)\/merge$/.exec(rest);
		if (req.method === 'PUT' && merge) {
			const pull = repo.pulls.get(Number(merge[1]));
			if (!pull) return notFound();
			if (body.merge_method !== undefined && !['merge', 'squash', 'rebase'].includes(String(body.merge_method)))
				return invalid('PullRequest', 'merge_method', 'invalid');
			if (!pull.mergeable || pull.merged)
				return json(405, { message: 'Pull Request is not mergeable', documentation_url: DOCS, status: '405' });
			if (body.sha !== undefined && body.sha !== pull.head)
				return json(409, {
					message: 'Head branch was modified. Review and try the merge again.',
					documentation_url: DOCS,
					status: '409',
				});
			pull.merged = true;
			return json(200, { sha: `m${pull.head}`, merged: true, message: 'Pull Request successfully merged' });
		}
		if (req.method === 'POST' && rest === '/releases') {
			if (typeof body.tag_name !== 'string' || !body.tag_name) return invalid('Release', 'tag_name');
			if (repo.releases.some((r) => r.tag_name === body.tag_name))
				return invalid('Release', 'tag_name', 'already_exists');
			const release = github.shaped(schema('release'), {
				id: ++nextId,
				tag_name: body.tag_name,
				name: body.name ?? body.tag_name,
				body: body.body ?? null,
				draft: body.draft ?? false,
				prerelease: body.prerelease ?? false,
				target_commitish: body.target_commitish ?? 'main',
				html_url: `https://github.com/${m[1]}/${m[2]}/releases/tag/${body.tag_name}`,
			});
			repo.releases.push(release);
			return json(201, release);
		}
		if (rest.startsWith('/hooks') && !scopes.some((s) => s === 'repo' || s === 'admin:repo_hook'))
			return notFound();
		if (req.method === 'POST' && rest === '/hooks') return createHook(`${m[1]}/${m[2]}`, body);
		const hookId = /^\/hooks\/(\d+)$/.exec(rest)?.[1];
		const hook = hookId ? hooks.get(Number(hookId)) : undefined;
		if (hookId && (!hook || hook.repo !== `${m[1]}/${m[2]}`)) return notFound();
		if (hook && req.method === 'GET') return json(200, hookView(hook));
		if (hook && req.method === 'DELETE') {
			hooks.delete(hook.id);
			return { status: 204 };
		}
		return notFound();
	}

	function createHook(repo: string, body: Record<string, unknown>): FakeResponse {
		const config = (body.config ?? {}) as Record<string, unknown>;
		if (body.name !== undefined && body.name !== 'web') return invalid('Hook', 'name', 'invalid');
		if (typeof config.url !== 'string' || !/^https?:\/\//.test(config.url)) return invalid('Hook', 'url');
		const events = (body.events ?? ['push']) as string[];
		if (!Array.isArray(events) || !events.length || events.some((e) => !EVENTS.has(e)))
			return invalid('Hook', 'events', 'invalid');
		if (new Set(events).size !== events.length) return invalid('Hook', 'events', 'invalid');
		const hook: Hook = {
			id: ++nextId,
			repo,
			url: config.url,
			events,
			secret: String(config.secret ?? ''),
			contentType: String(config.content_type ?? 'form'),
		};
		hooks.set(hook.id, hook);
		createdHooks.push(hook);
		// GitHub pings a new hook right away.
		setTimeout(
			() =>
				void send(hook, 'ping', { zen: 'Keep it logically awesome.', hook_id: hook.id }).then(
					(r) => (hook.ping = r.status),
				),
			50,
		);
		return json(201, hookView(hook));
	}

	function hookView(hook: Hook): Record<string, unknown> {
		return github.shaped(schema('hook'), {
			type: 'Repository',
			id: hook.id,
			name: 'web',
			active: true,
			events: hook.events,
			config: {
				url: hook.url,
				content_type: hook.contentType,
				insecure_ssl: '0',
				...(hook.secret ? { secret: '********' } : {}),
			},
		});
	}

	async function send(
		hook: Hook,
		event: string,
		payload: Record<string, unknown>,
		signature: 'valid' | 'none' | 'wrong' = 'valid',
	) {
		const body = JSON.stringify(payload);
		// `issue_comment` with action `created` is described as `webhook-issue-comment-created`.
		const described = [event, payload.action]
			.filter((p) => typeof p === 'string')
			.join('-')
			.replace(/_/g, '-');
		fake.drift.push(...github.payload(schema(`webhook-${described}`), payload, WEBHOOKS));
		const secret = signature === 'wrong' ? 'not-the-hook-secret' : hook.secret;
		const signed =
			signature === 'none'
				? {}
				: {
						'x-hub-signature': `sha1=${hmacHex('sha1', secret, body)}`,
						'x-hub-signature-256': `sha256=${hmacHex('sha256', secret, body)}`,
					};
		return await deliver(hook.url, body, {
			'user-agent': 'GitHub-Hookshot/rills',
			'x-github-event': event,
			'x-github-delivery': randomUUID(),
			'x-github-hook-id': String(hook.id),
			...signed,
		});
	}

	return Object.assign(fake, {
		repos,
		hooks,
		createdHooks,
		throttle,
		revoked,
		issueToken(scopes: string[]) {
			const token = `gho_${randomUUID().replace(/-/g, '')}`;
			tokens.set(token, scopes);
			return token;
		},
		payload: (name: string, fields: Record<string, unknown>) =>
			github.shaped(schema(`webhook-${name}`), fields, WEBHOOKS),
		deliver: send,
	});
}

/** GitHub's primary limit: 403 with x-ratelimit-remaining 0 and the reset time `inSeconds` away. */
export const primaryLimit = (inSeconds: number) => (): FakeResponse =>
	json(
		403,
		{
			message: 'API rate limit exceeded for user ID 1.',
			documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
		},
		{
			'x-ratelimit-limit': '5000',
			'x-ratelimit-remaining': '0',
			'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000 + inSeconds)),
		},
	);

/** GitHub's secondary limit: 403 with retry-after. */
export const secondaryLimit = (seconds: number) => (): FakeResponse =>
	json(
		403,
		{
			message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
			documentation_url: DOCS,
		},
		{ 'retry-after': String(seconds) },
	);
