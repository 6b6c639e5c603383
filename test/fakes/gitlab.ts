/**
 * GitLab's REST API v4 as a loopback service: `PRIVATE-TOKEN` access tokens and OAuth2 Bearer
 * tokens with scopes (`api` to write, `read_api` to read; GitLab's 403 insufficient_scope
 * otherwise), projects addressed by ID or URL-encoded path, 400 "… is missing" errors, issues
 * paged by page/per_page with x-next-page and Link headers, 429 with RateLimit-Reset and
 * Retry-After, and project hooks that deliver only the events they were created for, carrying
 * their secret token in `X-Gitlab-Token` and the event in `X-Gitlab-Event`.
 */
import { randomUUID } from 'node:crypto';
import { bearer, deliver, linkPage, Throttle } from './hooks';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export interface ProjectHook {
	id: number;
	projectId: number;
	url: string;
	token?: string;
	flags: Record<string, boolean>;
}

export interface GitLabFake extends FakeService {
	project: {
		id: number;
		path: string;
		issues: Array<Record<string, unknown>>;
		mergeRequests: number[];
		branches: string[];
		pipelines: Array<Record<string, unknown>>;
		notes: Array<Record<string, unknown>>;
	};
	hooks: Map<number, ProjectHook>;
	createdHooks: ProjectHook[];
	throttle: Throttle;
	/** A token GitLab knows, with these scopes; `kind` says how it is sent. */
	issueToken(scopes: string[], kind: 'private' | 'oauth'): string;
	/** POSTs an event as GitLab does — only if the hook subscribed to it (else `skipped`). */
	deliver(
		hook: ProjectHook,
		kind: 'pipeline' | 'merge_request' | 'issue',
		payload: Record<string, unknown>,
		token?: 'valid' | 'none' | 'wrong',
	): Promise<{ status: number; body: string } | 'skipped'>;
}

const HOOK_EVENTS = {
	pipeline: ['pipeline_events', 'Pipeline Hook'],
	merge_request: ['merge_requests_events', 'Merge Request Hook'],
	issue: ['issues_events', 'Issue Hook'],
} as const;
const FLAGS = [
	'push_events',
	'issues_events',
	'confidential_issues_events',
	'merge_requests_events',
	'tag_push_events',
	'note_events',
	'job_events',
	'pipeline_events',
	'wiki_page_events',
	'releases_events',
];
const missing = (field: string) => json(400, { error: `${field} is missing` });
const notFound = (what = 'Not found') => json(404, { message: `404 ${what}` });

export async function startGitLab(): Promise<GitLabFake> {
	const tokens = new Map<string, { scopes: string[]; kind: 'private' | 'oauth' }>();
	const project: GitLabFake['project'] = {
		id: 42,
		path: 'rills/platform',
		issues: Array.from({ length: 130 }, (_, i) => ({
			id: 9000 + i,
			iid: i + 1,
			project_id: 42,
			title: `Issue ${i + 1}`,
			state: i % 4 === 0 ? 'closed' : 'opened',
			labels: i % 3 ? ['backend'] : ['ui'],
		})),
		mergeRequests: [3, 4],
		branches: ['main', 'release/1.4'],
		pipelines: [],
		notes: [],
	};
	const hooks = new Map<number, ProjectHook>();
	const createdHooks: ProjectHook[] = [];
	const throttle = new Throttle();
	let nextId = 100;

	function authenticate(req: FakeRequest): string[] | FakeResponse {
		const privateToken = req.headers['private-token'];
		const oauth = bearer(req);
		const known = privateToken ? tokens.get(privateToken) : oauth ? tokens.get(oauth) : undefined;
		if (!known || (privateToken && known.kind !== 'private') || (oauth && known.kind !== 'oauth'))
			return json(401, { message: '401 Unauthorized' });
		return known.scopes;
	}

	const fake = await startFake((req) => {
		const scopes = authenticate(req);
		if (!Array.isArray(scopes)) return scopes;
		const limited = throttle.take();
		if (limited) return limited;
		const write = req.method !== 'GET';
		if (!scopes.includes('api') && (write || !scopes.includes('read_api'))) {
			return json(403, {
				error: 'insufficient_scope',
				error_description: 'The request requires higher privileges than provided by the access token.',
				scope: write ? 'api' : 'api read_api',
			});
		}
		if (req.method === 'GET' && req.path === '/api/v4/user') return json(200, { id: 7, username: 'rills-bot' });
		if (req.method === 'GET' && req.path === '/api/v4/projects') return listProjects(req);
		const m = /^\/api\/v4\/projects\/([^/]+)(\/.*)?$/.exec(req.path);
		// The ID, or the path with its slash encoded: /projects/rills%2Fplatform.
		if (!m || (m[1] !== String(project.id) && decodeURIComponent(m[1]) !== project.path) || m[1].includes('/'))
			return notFound('Project Not Found');
		return route(req, m[2] ?? '');
	});

	/**
	 * GET /projects as GitLab answers it: `membership` (only the user's), `search` (name and path, any case),
	 * `order_by` name|id|path with `sort`, `simple`, paged by page/per_page with Link and x-next-page headers.
	 */
	function listProjects(req: FakeRequest): FakeResponse {
		const orderBy = req.query.get('order_by') ?? 'created_at';
		if (!['id', 'name', 'path', 'created_at', 'updated_at', 'last_activity_at'].includes(orderBy))
			return json(400, { error: 'order_by does not have a valid value' });
		const search = req.query.get('search')?.toLowerCase();
		const mine = req.query.get('membership') === 'true';
		const all = [
			{ id: project.id, name: 'Platform', path: project.path, member: true },
			{ id: 43, name: 'Website', path: 'rills/website', member: true },
			...Array.from({ length: 128 }, (_, i) => ({
				id: 100 + i,
				name: `Tool ${String(i + 1).padStart(3, '0')}`,
				path: `rills/tools/tool-${i + 1}`,
				member: true,
			})),
			{ id: 900, name: 'Someone else’s', path: 'other/public', member: false },
		];
		const found = all
			.filter((p) => (!mine || p.member) && (!search || `${p.name} ${p.path}`.toLowerCase().includes(search)))
			.map((p) => ({
				id: p.id,
				name: p.name,
				name_with_namespace: `Rills / ${p.name}`,
				path: p.path.split('/').pop(),
				path_with_namespace: p.path,
				web_url: `https://gitlab.example/${p.path}`,
			}));
		if (orderBy === 'name') found.sort((a, b) => a.name.localeCompare(b.name));
		if (req.query.get('sort') === 'desc') found.reverse();
		return linkPage(req, found, 100, (page, last) => ({
			'x-page': String(page),
			'x-total-pages': String(last),
			'x-next-page': page < last ? String(page + 1) : '',
		}));
	}

	function route(req: FakeRequest, rest: string): FakeResponse {
		const body = req.body;
		if (req.method === 'POST' && rest === '/issues') {
			if (typeof body.title !== 'string' || !body.title) return missing('title');
			if (body.assignee_ids !== undefined && !Array.isArray(body.assignee_ids))
				return json(400, { error: 'assignee_ids is invalid' });
			const iid = project.issues.length + 1;
			const issue = {
				id: ++nextId,
				iid,
				project_id: project.id,
				title: body.title,
				description: body.description ?? null,
				state: 'opened',
				labels: typeof body.labels === 'string' ? body.labels.split(',') : [],
				assignees: ((body.assignee_ids as number[]) ?? []).map((id) => ({ id })),
				confidential: body.confidential ?? false,
				web_url: `https://gitlab.example/${project.path}/-/issues/${iid}`,
			};
			project.issues.push(issue);
			return json(201, issue);
		}
		if (req.method === 'GET' && rest === '/issues') {
			const state = req.query.get('state');
			const labels = req.query.get('labels')?.split(',') ?? [];
			const matching = project.issues.filter(
				(i) => (!state || i.state === state) && labels.every((l) => (i.labels as string[]).includes(l)),
			);
			return linkPage(req, matching, 100, (page, last) => ({
				'x-page': String(page),
				'x-total-pages': String(last),
				'x-total': String(matching.length),
				'x-next-page': page < last ? String(page + 1) : '',
			}));
		}
		const note = /^\/(issues|merge_requests)\/(\d+)\/notes$/.exec(rest);
		if (req.method === 'POST' && note) {
			const iid = Number(note[2]);
			const exists =
				note[1] === 'issues' ? project.issues.some((i) => i.iid === iid) : project.mergeRequests.includes(iid);
			if (!exists) return notFound(note[1] === 'issues' ? 'Issue Not Found' : 'Merge Request Not Found');
			if (typeof body.body !== 'string' || !body.body) return missing('body');
			const created = {
				id: ++nextId,
				body: body.body,
				noteable_type: note[1] === 'issues' ? 'Issue' : 'MergeRequest',
				noteable_iid: iid,
				author: { username: 'rills-bot' },
				system: false,
			};
			project.notes.push(created);
			return json(201, created);
		}
		if (req.method === 'POST' && rest === '/pipeline') {
			if (typeof body.ref !== 'string' || !body.ref) return missing('ref');
			if (!project.branches.includes(body.ref)) return json(400, { message: { base: ['Reference not found'] } });
			const variables = body.variables ?? [];
			if (
				!Array.isArray(variables) ||
				variables.some((v) => typeof v !== 'object' || typeof (v as { key?: unknown }).key !== 'string')
			)
				return json(400, { error: 'variables is invalid' });
			const pipeline = {
				id: ++nextId,
				iid: project.pipelines.length + 1,
				project_id: project.id,
				status: 'created',
				ref: body.ref,
				sha: 'c0ffee42',
				source: 'api',
				web_url: `https://gitlab.example/${project.path}/-/pipelines/${nextId}`,
			};
			project.pipelines.push({ ...pipeline, variables });
			return json(201, pipeline);
		}
		if (req.method === 'POST' && rest === '/hooks') {
			if (typeof body.url !== 'string' || !body.url) return missing('url');
			const flags = Object.fromEntries(
				FLAGS.map((f) => [f, f === 'push_events' ? body[f] !== false : body[f] === true]),
			);
			const hook: ProjectHook = {
				id: ++nextId,
				projectId: project.id,
				url: body.url,
				token: typeof body.token === 'string' ? body.token : undefined,
				flags,
			};
			hooks.set(hook.id, hook);
			createdHooks.push(hook);
			return json(201, hookView(hook));
		}
		const hookId = /^\/hooks\/(\d+)$/.exec(rest)?.[1];
		if (hookId) {
			const hook = hooks.get(Number(hookId));
			if (!hook) return notFound();
			if (req.method === 'GET') return json(200, hookView(hook));
			if (req.method === 'DELETE') {
				hooks.delete(hook.id);
				return { status: 204 };
			}
		}
		return notFound();
	}

	// GitLab never returns the token.
	const hookView = (hook: ProjectHook) => ({
		id: hook.id,
		url: hook.url,
		project_id: hook.projectId,
		enable_ssl_verification: true,
		created_at: new Date().toISOString(),
		...hook.flags,
	});

	return Object.assign(fake, {
		project,
		hooks,
		createdHooks,
		throttle,
		issueToken(scopes: string[], kind: 'private' | 'oauth') {
			const token =
				kind === 'private'
					? `glpat-${randomUUID().replace(/-/g, '').slice(0, 20)}`
					: randomUUID().replace(/-/g, '');
			tokens.set(token, { scopes, kind });
			return token;
		},
		async deliver(
			hook: ProjectHook,
			kind: 'pipeline' | 'merge_request' | 'issue',
			payload: Record<string, unknown>,
			token: 'valid' | 'none' | 'wrong' = 'valid',
		) {
			const [flag, event] = HOOK_EVENTS[kind];
			if (!hook.flags[flag]) return 'skipped' as const;
			const sent =
				token === 'none' || !hook.token
					? {}
					: { 'x-gitlab-token': token === 'wrong' ? 'not-the-token' : hook.token };
			return await deliver(hook.url, JSON.stringify({ object_kind: kind, ...payload }), {
				'user-agent': 'GitLab/17.0.0',
				'x-gitlab-event': event,
				'x-gitlab-instance': 'https://gitlab.example',
				'x-gitlab-webhook-uuid': randomUUID(),
				'x-gitlab-event-uuid': randomUUID(),
				...sent,
			});
		},
	});
}

/** GitLab's throttle answer: 429 "Retry later" with RateLimit-* headers and Retry-After. */
export const gitLabThrottled = (seconds: number) => (): FakeResponse => ({
	status: 429,
	body: 'Retry later\n',
	headers: {
		'content-type': 'text/plain',
		'ratelimit-limit': '2000',
		'ratelimit-remaining': '0',
		'ratelimit-reset': String(Math.ceil(Date.now() / 1000 + seconds)),
		'retry-after': String(seconds),
	},
});
