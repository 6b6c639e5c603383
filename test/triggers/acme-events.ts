/**
 * Acme Tasks as a loopback service for trigger tests: an API-key-protected task list paged by
 * `Link` headers (two tasks a page, in no particular order), tasks that carry `updated_at`, and
 * webhook subscriptions that it delivers signed events to — signed here with node:crypto as a
 * real service would, independently of the runtime under test. Subscribing first checks the URL
 * with an echo handshake, as Slack does.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from '../fakes/server';

export interface Task {
	id: string;
	title: string;
	updated_at: string;
}

export interface Subscription {
	id: string;
	url: string;
	events: string[];
	secret: string;
	/** Epoch ms after which an Acme webhook lapses unless renewed (project hooks do not expire). */
	expiresAt?: number;
}

export interface AcmeEvents extends FakeService {
	apiKey: string;
	tasks: Task[];
	subscriptions: Map<string, Subscription>;
	/** Project hooks: Acme makes their signing secret and returns it. */
	projectHooks: Map<string, Subscription>;
	/** POSTs a project event signed Stripe-style: `t=<time>,v1=<base64 HMAC-SHA512 of "<time>.<body>">`. */
	deliverProject(
		hook: Subscription,
		event: Record<string, unknown>,
		secret?: string,
	): Promise<{ status: number; body: string }>;
	/** Every subscription ever created, deleted or not. */
	created: Subscription[];
	/** Renewal requests: for which subscription, and whether it had already lapsed (or was gone). */
	renewals: Array<{ id: string; lapsed: boolean }>;
	/** Handshakes sent before subscribing: n8n's answer (status, headers), and whether it echoed the challenge. */
	challenges: Array<{ status: number; echoed: boolean; headers: Record<string, string> }>;
	/** Answer the next request for page `failPage` with 400 (once); hold each list response `delayMs`. */
	listing: { failPage?: number; delayMs: number };
	/** Requests to the task list, one run of pages per poll. */
	listRequests(): FakeRequest[];
	/** POSTs an event to a subscription's URL, signed unless told otherwise. */
	deliver(
		subscription: Subscription,
		event: Record<string, unknown>,
		options?: DeliveryOptions,
	): Promise<{ status: number; body: string }>;
}

export interface DeliveryOptions {
	/** `none`: no signature header; `wrong`: signed with another secret. */
	signature?: 'valid' | 'none' | 'wrong';
	/** Epoch seconds sent as X-Acme-Timestamp (default: now). */
	timestamp?: number;
}

const PAGE_SIZE = 2;
/** Acme webhooks last eight minutes from creation or renewal. */
const LIFETIME_MS = 8 * 60 * 1000;

export async function startAcmeEvents(apiKey = 'acme-trigger-key-51c2'): Promise<AcmeEvents> {
	const tasks: Task[] = [];
	const subscriptions = new Map<string, Subscription>();
	const created: Subscription[] = [];
	const renewals: AcmeEvents['renewals'] = [];
	const listing: AcmeEvents['listing'] = { delayMs: 0 };
	const projectHooks = new Map<string, Subscription>();
	const challenges: AcmeEvents['challenges'] = [];

	const fake = await startFake(async (req) => {
		if (req.headers.authorization !== `Token ${apiKey}` || req.headers['x-acme-client'] !== 'n8n-rills')
			return json(401, { message: 'Invalid API key' });
		const route = req.path.replace(/^\/api\/v1/, '');
		if (req.method === 'GET' && route === '/tasks') {
			if (listing.failPage !== undefined && Number(req.query.get('page') ?? 1) === listing.failPage) {
				listing.failPage = undefined;
				return json(400, { message: 'page expired, start over' });
			}
			if (listing.delayMs) await new Promise((resolve) => setTimeout(resolve, listing.delayMs));
			return listTasks(req);
		}
		if (req.method === 'POST' && route === '/webhooks') {
			const { url, events, secret } = req.body as Partial<Subscription>;
			if (typeof url !== 'string' || !Array.isArray(events) || typeof secret !== 'string' || secret.length < 32)
				return json(422, { message: 'url, events and a secret of 32+ characters are required' });
			// Like Slack's url_verification: the URL must echo a challenge before it is subscribed.
			const challenge = randomBytes(12).toString('hex');
			const echo = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ event: 'url_verification', challenge }),
			});
			const echoed = await echo.text();
			challenges.push({
				status: echo.status,
				echoed: echoed === challenge,
				headers: Object.fromEntries(echo.headers),
			});
			if (!echo.ok || echoed !== challenge) return json(400, { message: 'the URL did not echo the challenge' });
			const subscription = {
				id: `wh_${created.length + 1}`,
				url,
				events,
				secret,
				expiresAt: Date.now() + LIFETIME_MS,
			};
			subscriptions.set(subscription.id, subscription);
			created.push(subscription);
			return json(201, {
				id: subscription.id,
				url,
				events,
				expires_at: new Date(subscription.expiresAt).toISOString(),
			});
		}
		if (req.method === 'POST' && route === '/project-hooks') {
			const { target, topics } = req.body as { target?: string; topics?: string[] };
			if (typeof target !== 'string' || !Array.isArray(topics))
				return json(422, { message: 'target and topics are required' });
			const hook = {
				id: `ph_${projectHooks.size + 1}`,
				url: target,
				events: topics,
				secret: randomBytes(24).toString('base64'),
			};
			projectHooks.set(hook.id, hook);
			return json(201, { hook: { id: hook.id, target, topics, signing_secret: hook.secret } });
		}
		const projectHook = /^\/project-hooks\/([^/]+)$/.exec(route)?.[1];
		if (projectHook && req.method === 'DELETE')
			return projectHooks.delete(projectHook)
				? { status: 204 }
				: json(404, { message: `No hook ${projectHook}` });
		const hook = /^\/webhooks\/([^/]+)$/.exec(route)?.[1];
		if (hook && req.method === 'PATCH') {
			const subscription = subscriptions.get(hook);
			renewals.push({ id: hook, lapsed: !subscription || subscription.expiresAt! < Date.now() });
			if (!subscription) return json(404, { message: `No webhook ${hook}` });
			subscription.expiresAt = Date.now() + LIFETIME_MS;
			return json(200, { id: hook, expires_at: new Date(subscription.expiresAt).toISOString() });
		}
		if (hook && !subscriptions.has(hook)) return json(404, { message: `No webhook ${hook}` });
		if (hook && req.method === 'GET') return json(200, { id: hook, url: subscriptions.get(hook)!.url });
		if (hook && req.method === 'DELETE') {
			subscriptions.delete(hook);
			return { status: 204 };
		}
		return json(404, { message: `No route ${req.method} ${req.path}` });
	});

	/** Pages of two, ordered by title: not by time, so a poll cannot rely on order. */
	function listTasks(req: FakeRequest): FakeResponse {
		const page = Number(req.query.get('page') ?? 1);
		const sorted = [...tasks].sort((a, b) => a.title.localeCompare(b.title));
		const last = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
		const next = new URL(req.url);
		next.searchParams.set('page', String(page + 1));
		return json(
			200,
			sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
			page < last ? { link: `<${next.toString()}>; rel="next"` } : {},
		);
	}

	async function deliver(subscription: Subscription, event: Record<string, unknown>, options: DeliveryOptions = {}) {
		const body = JSON.stringify(event);
		const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
		const secret = options.signature === 'wrong' ? 'not-the-subscription-secret-0000000000' : subscription.secret;
		const signature = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
		const response = await fetch(subscription.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-acme-timestamp': timestamp,
				...(options.signature === 'none' ? {} : { 'x-acme-signature': signature }),
			},
			body,
		});
		return { status: response.status, body: await response.text() };
	}

	async function deliverProject(hook: Subscription, event: Record<string, unknown>, secret = hook.secret) {
		const body = JSON.stringify(event);
		const t = Math.floor(Date.now() / 1000);
		const signature = `t=${t},v1=${createHmac('sha512', secret).update(`${t}.${body}`).digest('base64')}`;
		const response = await fetch(hook.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-acme-project-signature': signature },
			body,
		});
		return { status: response.status, body: await response.text() };
	}

	const listRequests = () => fake.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/tasks');
	return Object.assign(fake, {
		apiKey,
		tasks,
		subscriptions,
		created,
		renewals,
		challenges,
		listing,
		projectHooks,
		listRequests,
		deliver,
		deliverProject,
	});
}
