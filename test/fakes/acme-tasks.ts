/**
 * Acme Tasks as a loopback service: an API key sent as `Authorization: Token <key>` with two
 * required client headers, or an OAuth1 signature (HMAC-SHA256, verified with oauth-1.0a), and
 * task lists paged through `Link` headers.
 */
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export interface AcmeTask {
	id: string;
	title: string;
	status: 'open' | 'done';
	assignee?: string;
	notes?: string;
	due?: string;
	labels?: string[];
}

export interface AcmeTasksOptions {
	apiKey?: string;
	taskCount?: number;
	oauth1?: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
	port?: number;
}

export interface AcmeTasksFake extends FakeService {
	apiKey: string;
	tasks: AcmeTask[];
	/** Requests whose OAuth1 signature checked out. */
	oauth1Verified: FakeRequest[];
}

const MAX_PAGE = 100;

export async function startAcmeTasks(options: AcmeTasksOptions = {}): Promise<AcmeTasksFake> {
	const apiKey = options.apiKey ?? 'acme-key-7f3a9c';
	const tasks: AcmeTask[] = Array.from({ length: options.taskCount ?? 520 }, (_, i) => ({
		id: `t${i + 1}`,
		title: `Task ${i + 1}`,
		status: i % 3 === 0 ? 'done' : 'open',
		assignee: `u${i % 4}`,
	}));
	const oauth1Verified: FakeRequest[] = [];
	const signer = options.oauth1 && oauth1Signer(options.oauth1.consumerKey, options.oauth1.consumerSecret);

	function authenticate(req: FakeRequest): FakeResponse | undefined {
		const authorization = req.headers.authorization ?? '';
		if (authorization.startsWith('OAuth ') && signer && options.oauth1) {
			const params = parseOAuthHeader(authorization);
			const expected = signer.getSignature(
				{ url: req.url, method: req.method, data: {} },
				options.oauth1.tokenSecret,
				withoutSignature(params),
			);
			if (params.oauth_token !== options.oauth1.token || params.oauth_signature !== expected)
				return json(401, { message: 'OAuth signature does not match' });
			oauth1Verified.push(req);
			return undefined;
		}
		if (authorization !== `Token ${apiKey}`) return json(401, { message: 'Invalid API key' });
		if (req.headers['x-acme-client'] !== 'n8n-rills') return json(400, { message: 'X-Acme-Client header missing' });
		if (req.headers.accept !== 'application/vnd.acme.v1+json')
			return json(406, { message: 'Accept must be application/vnd.acme.v1+json' });
		return undefined;
	}

	const fake = await startFake(
		(req) => {
			const denied = authenticate(req);
			if (denied) return denied;
			const route = req.path.replace(/^\/api\/v1/, '');
			const taskId = /^\/tasks\/([^/]+)/.exec(route)?.[1];
			const task = taskId && tasks.find((t) => t.id === decodeURIComponent(taskId));
			if (req.method === 'GET' && route === '/me') return json(200, { id: 'u0', name: 'Ada' });
			if (req.method === 'GET' && route === '/tasks') return listTasks(req);
			if (req.method === 'POST' && route === '/tasks') {
				if (typeof req.body.title !== 'string' || !req.body.title)
					return json(422, { message: 'title is required' });
				const created: AcmeTask = {
					id: `t${tasks.length + 1}`,
					status: 'open',
					...(req.body as Partial<AcmeTask>),
					title: req.body.title,
				};
				tasks.push(created);
				return json(201, created);
			}
			if (taskId && !task) return json(404, { message: `No task ${taskId}` });
			if (task && req.method === 'GET' && route === `/tasks/${taskId}`) return json(200, task);
			if (task && req.method === 'POST' && route === `/tasks/${taskId}/complete`) {
				task.status = 'done';
				return json(200, task);
			}
			if (task && req.method === 'DELETE') {
				tasks.splice(tasks.indexOf(task), 1);
				return { status: 204 };
			}
			return json(404, { message: `No route ${req.method} ${req.path}` });
		},
		{ port: options.port },
	);

	function listTasks(req: FakeRequest): FakeResponse {
		const perPage = Math.min(Number(req.query.get('per_page') ?? 30), MAX_PAGE);
		const page = Number(req.query.get('page') ?? 1);
		const matching = tasks.filter(
			(t) =>
				(!req.query.get('status') || t.status === req.query.get('status')) &&
				(!req.query.get('assignee') || t.assignee === req.query.get('assignee')),
		);
		const lastPage = Math.max(1, Math.ceil(matching.length / perPage));
		const link = (p: number, rel: string) => {
			const next = new URL(req.url);
			next.searchParams.set('page', String(p));
			next.searchParams.set('per_page', String(perPage));
			return `<${next.toString()}>; rel="${rel}"`;
		};
		const links = [...(page < lastPage ? [link(page + 1, 'next')] : []), link(lastPage, 'last')];
		return json(200, matching.slice((page - 1) * perPage, page * perPage), { link: links.join(', ') });
	}

	return Object.assign(fake, { apiKey, tasks, oauth1Verified });
}

function oauth1Signer(key: string, secret: string): OAuth {
	return new OAuth({
		consumer: { key, secret },
		signature_method: 'HMAC-SHA256',
		hash_function: (base, signingKey) => createHmac('sha256', signingKey).update(base).digest('base64'),
	});
}

function parseOAuthHeader(header: string): Record<string, string> {
	const params: Record<string, string> = {};
	for (const match of header.slice('OAuth '.length).matchAll(/([\w]+)="([^"]*)"/g))
		params[match[1]] = decodeURIComponent(match[2]);
	return params;
}

function withoutSignature(params: Record<string, string>): OAuth.Data {
	const { oauth_signature: _, ...rest } = params;
	return rest as unknown as OAuth.Data;
}
