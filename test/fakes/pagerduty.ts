/**
 * PagerDuty's REST API v2 as a loopback service: `Authorization: Token token=<key>` REST keys and
 * scoped OAuth Bearer tokens, the required `Accept: application/vnd.pagerduty+json;version=2`,
 * the `From` header on writes, PagerDuty's `{ error: { message, code, errors } }` answers,
 * offset/limit pages with `more`, 429 with ratelimit-reset, and v3 webhook subscriptions whose
 * secret PagerDuty makes and returns once, delivering subscribed events signed as
 * `X-PagerDuty-Signature: v1=<hex>` (two signatures while a secret rotates). Who is on call:
 * `/oncalls` filtered by escalation policy, level, schedule and user, with user references or,
 * with `include[]=users`, the users in full (email included), and `/escalation_policies`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { bearer, deliver, hmacHex, Throttle } from './hooks';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

const ACCEPT = 'application/vnd.pagerduty+json;version=2';
const EVENTS = new Set([
	'incident.triggered',
	'incident.acknowledged',
	'incident.resolved',
	'incident.annotated',
	'incident.escalated',
	'incident.reassigned',
	'service.created',
]);

export interface PdSubscription {
	id: string;
	url: string;
	events: string[];
	filter: Record<string, unknown>;
	secret: string;
}

export interface PdPerson {
	id: string;
	name: string;
	email: string;
}

export interface PdOnCall {
	policy: string;
	level: number;
	schedule?: string;
	user: string;
}

export interface PagerDutyFake extends FakeService {
	apiKey: string;
	users: string[];
	/** The account's users, as /oncalls includes them. */
	people: PdPerson[];
	/** Escalation policies by id → name. */
	policies: Map<string, string>;
	/** Who is on call now. */
	oncalls: PdOnCall[];
	incidents: Array<Record<string, unknown>>;
	notes: Array<Record<string, unknown>>;
	subscriptions: Map<string, PdSubscription>;
	created: PdSubscription[];
	throttle: Throttle;
	issueToken(scopes: string[]): string;
	/**
	 * Sends a v3 event to the subscription if it subscribed to the type (else `skipped`); `rotating` signs with an old
	 * secret and the real one.
	 */
	deliver(
		subscription: PdSubscription,
		eventType: string,
		data: Record<string, unknown>,
		signature?: 'valid' | 'rotating' | 'none' | 'wrong',
	): Promise<{ status: number; body: string } | 'skipped'>;
}

const error = (status: number, message: string, code: number, errors?: string[]) =>
	json(status, { error: { message, code, ...(errors ? { errors } : {}) } });
const invalid = (...errors: string[]) => error(400, 'Invalid Input Provided', 2001, errors);
const notFound = () => error(404, 'Not Found', 2100);

export async function startPagerDuty(): Promise<PagerDutyFake> {
	const apiKey = 'u+rillsPdRestKey-4Qx9';
	const users = ['oncall@rills.example'];
	/** Checkout and Payments, and 118 more so that the Service picker pages. */
	const directory = [
		{ id: 'PSVC001', name: 'Checkout API' },
		{ id: 'PSVC002', name: 'Payments' },
		...Array.from({ length: 118 }, (_, i) => ({
			id: `PSVC${String(i + 3).padStart(3, '0')}`,
			name: `Service ${String(i + 3).padStart(3, '0')}`,
		})),
	];
	const services = new Set(directory.map((s) => s.id));
	const people: PdPerson[] = [
		{ id: 'PUSR001', name: 'Ada Lovelace', email: 'ada.lovelace@rills.example' },
		{ id: 'PUSR002', name: 'Grace Hopper', email: 'grace.hopper@rills.example' },
		{ id: 'PUSR003', name: 'Linus Torvalds', email: 'linus.torvalds@rills.example' },
	];
	const policies = new Map([
		['PPOL001', 'Checkout API (EP)'],
		['PPOL002', 'Payments (EP)'],
	]);
	const oncalls: PdOnCall[] = [
		{ policy: 'PPOL001', level: 1, schedule: 'PSCH001', user: 'PUSR001' },
		{ policy: 'PPOL001', level: 2, user: 'PUSR002' },
		{ policy: 'PPOL002', level: 1, schedule: 'PSCH002', user: 'PUSR003' },
		{ policy: 'PPOL002', level: 2, user: 'PUSR002' },
	];
	const tokens = new Map<string, string[]>();
	const subscriptions = new Map<string, PdSubscription>();
	const created: PdSubscription[] = [];
	const notes: Array<Record<string, unknown>> = [];
	const throttle = new Throttle();
	const statuses = ['triggered', 'acknowledged', 'resolved'];
	const incidents: Array<Record<string, unknown>> = Array.from({ length: 240 }, (_, i) => ({
		id: `PINC${String(i + 1).padStart(4, '0')}`,
		type: 'incident',
		incident_number: i + 1,
		title: `Incident ${i + 1}`,
		status: statuses[i % 3],
		urgency: i % 2 ? 'low' : 'high',
		service: { id: i % 4 ? 'PSVC001' : 'PSVC002', type: 'service_reference' },
	}));

	function authenticate(req: FakeRequest): string[] | 'key' | FakeResponse {
		if (req.headers.accept !== ACCEPT)
			return error(406, 'Not Acceptable: send Accept: application/vnd.pagerduty+json;version=2', 2000);
		const auth = req.headers.authorization ?? '';
		if (auth === `Token token=${apiKey}`) return 'key';
		const scopes = tokens.get(bearer(req) ?? '');
		return scopes ?? error(401, 'Unauthorized', 2006);
	}

	const fake = await startFake((req) => {
		const auth = authenticate(req);
		if (!Array.isArray(auth) && auth !== 'key') return auth;
		const limited = throttle.take();
		if (limited) return limited;
		const first = req.path.split('/')[1];
		const resource = ['webhook_subscriptions', 'services', 'oncalls', 'escalation_policies'].includes(first)
			? first
			: 'incidents';
		const needed = `${resource}.${req.method === 'GET' ? 'read' : 'write'}`;
		if (
			Array.isArray(auth) &&
			!auth.includes(needed) &&
			!(needed.endsWith('.read') && auth.includes(needed.replace('.read', '.write')))
		)
			return error(403, 'Forbidden', 2010, [`The access token lacks the ${needed} scope`]);
		if (req.method !== 'GET' && req.method !== 'DELETE' && req.path.startsWith('/incidents')) {
			const from = req.headers.from;
			if (!from)
				return invalid('You must specify a user\'s email address in the "From" header to perform this action');
			if (!users.includes(from))
				return invalid('The email address in the "From" header does not belong to a user of this account');
		}
		return route(req);
	});

	function route(req: FakeRequest): FakeResponse {
		const body = req.body;
		if (req.method === 'GET' && req.path === '/abilities')
			return json(200, { abilities: ['teams', 'read_only_users', 'webhook_subscriptions'] });
		if (req.method === 'POST' && req.path === '/incidents') {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const incident = (body.incident ?? {}) as Record<string, any>;
			if (incident.type !== 'incident') return invalid('Incident type must be "incident"');
			if (!incident.title) return invalid('Incident title is required');
			if (incident.service?.type !== 'service_reference' || !services.has(incident.service?.id))
				return invalid('Incident service must be a valid service_reference');
			if (incident.urgency !== undefined && !['high', 'low'].includes(incident.urgency))
				return invalid('Urgency must be high or low');
			if (incident.body !== undefined && incident.body.type !== 'incident_body')
				return invalid('Incident body type must be "incident_body"');
			if (
				incident.incident_key &&
				incidents.some((i) => i.incident_key === incident.incident_key && i.status !== 'resolved')
			)
				return invalid(`Open incident with key '${incident.incident_key}' already exists`);
			const made = {
				id: `PNEW${incidents.length + 1}`,
				type: 'incident',
				incident_number: incidents.length + 1,
				title: incident.title,
				status: 'triggered',
				urgency: incident.urgency ?? 'high',
				service: incident.service,
				incident_key: incident.incident_key ?? randomUUID(),
				body: incident.body,
				created_by: req.headers.from,
			};
			incidents.push(made);
			return json(201, { incident: made });
		}
		if (req.method === 'GET' && req.path === '/services') {
			// `query` matches names (case-insensitively); `sort_by` name; offset/limit pages with `more`.
			const offset = Number(req.query.get('offset') ?? 0);
			const limit = Math.min(Number(req.query.get('limit') ?? 25), 100);
			const query = req.query.get('query')?.toLowerCase();
			const sortBy = req.query.get('sort_by') ?? 'name';
			if (!['name', 'name:asc', 'name:desc'].includes(sortBy)) return invalid('Sort by is invalid');
			const matching = directory
				.filter((s) => !query || s.name.toLowerCase().includes(query))
				.sort((a, b) => a.name.localeCompare(b.name) * (sortBy === 'name:desc' ? -1 : 1));
			return json(200, {
				services: matching.slice(offset, offset + limit).map((s) => ({
					...s,
					type: 'service',
					summary: s.name,
					status: 'active',
					html_url: `https://rills.pagerduty.com/service-directory/${s.id}`,
				})),
				limit,
				offset,
				more: offset + limit < matching.length,
				total: null,
			});
		}
		if (req.method === 'GET' && req.path === '/oncalls') return listOnCalls(req);
		if (req.method === 'GET' && req.path === '/escalation_policies') {
			const offset = Number(req.query.get('offset') ?? 0);
			const limit = Math.min(Number(req.query.get('limit') ?? 25), 100);
			const query = req.query.get('query')?.toLowerCase();
			const matching = [...policies]
				.filter(([, name]) => !query || name.toLowerCase().includes(query))
				.sort(([, a], [, b]) => a.localeCompare(b));
			return json(200, {
				escalation_policies: matching
					.slice(offset, offset + limit)
					.map(([id, name]) => ({ id, type: 'escalation_policy', name, summary: name, num_loops: 0 })),
				limit,
				offset,
				more: offset + limit < matching.length,
				total: null,
			});
		}
		if (req.method === 'GET' && req.path === '/incidents') {
			const offset = Number(req.query.get('offset') ?? 0);
			const limit = Math.min(Number(req.query.get('limit') ?? 25), 100);
			const wanted = (key: string) => req.query.getAll(`${key}[]`);
			const matching = incidents.filter(
				(i) =>
					(!wanted('statuses').length || wanted('statuses').includes(String(i.status))) &&
					(!wanted('urgencies').length || wanted('urgencies').includes(String(i.urgency))) &&
					(!wanted('service_ids').length || wanted('service_ids').includes((i.service as { id: string }).id)),
			);
			return json(200, {
				incidents: matching.slice(offset, offset + limit),
				limit,
				offset,
				more: offset + limit < matching.length,
				total: null,
			});
		}
		const m = /^\/incidents\/([^/]+)(\/notes)?$/.exec(req.path);
		const incident = m && incidents.find((i) => i.id === m[1]);
		if (m && !incident) return notFound();
		if (incident && m && req.method === 'PUT' && !m[2]) {
			const change = (body.incident ?? {}) as Record<string, unknown>;
			if (change.type !== 'incident_reference') return invalid('Incident type must be "incident_reference"');
			if (change.status !== undefined && !['acknowledged', 'resolved'].includes(String(change.status)))
				return invalid('Status must be acknowledged or resolved');
			if (incident.status === 'resolved') return invalid('Incident Already Resolved');
			Object.assign(incident, {
				status: change.status ?? incident.status,
				...(change.resolution ? { resolution: change.resolution } : {}),
				last_status_change_by: req.headers.from,
			});
			return json(200, { incident });
		}
		if (incident && m && req.method === 'POST' && m[2]) {
			const content = (body.note as { content?: unknown } | undefined)?.content;
			if (typeof content !== 'string' || !content) return invalid('Note content is required');
			const note = {
				id: `PNOTE${notes.length + 1}`,
				content,
				user: { summary: req.headers.from, type: 'user_reference' },
				created_at: new Date().toISOString(),
				incident: incident.id,
			};
			notes.push(note);
			return json(201, { note });
		}
		if (req.method === 'POST' && req.path === '/webhook_subscriptions') return subscribe(body);
		const sub = /^\/webhook_subscriptions\/([^/]+)$/.exec(req.path)?.[1];
		if (sub) {
			const found = subscriptions.get(sub);
			if (!found) return notFound();
			if (req.method === 'GET') return json(200, { webhook_subscription: view(found, false) });
			if (req.method === 'DELETE') {
				subscriptions.delete(sub);
				return { status: 204 };
			}
		}
		return notFound();
	}

	function subscribe(body: Record<string, unknown>): FakeResponse {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const ws = (body.webhook_subscription ?? {}) as Record<string, any>;
		if (ws.type !== 'webhook_subscription') return invalid('type must be "webhook_subscription"');
		if (ws.delivery_method?.type !== 'http_delivery_method' || typeof ws.delivery_method?.url !== 'string')
			return invalid('delivery_method must be an http_delivery_method with a url');
		if (!Array.isArray(ws.events) || !ws.events.length || ws.events.some((e: string) => !EVENTS.has(e)))
			return invalid('events must list supported event types');
		const filter = ws.filter ?? {};
		if (
			!['account_reference', 'service_reference', 'team_reference'].includes(filter.type) ||
			(filter.type !== 'account_reference' && !filter.id)
		)
			return invalid('filter must be an account, service or team reference');
		const made: PdSubscription = {
			id: `PWSUB${created.length + 1}`,
			url: ws.delivery_method.url,
			events: ws.events,
			filter,
			secret: randomBytes(32).toString('base64'),
		};
		subscriptions.set(made.id, made);
		created.push(made);
		return json(201, { webhook_subscription: view(made, true) });
	}

	// The secret is returned only when the subscription is created.
	const view = (s: PdSubscription, withSecret: boolean) => ({
		id: s.id,
		type: 'webhook_subscription',
		active: true,
		description: 'n8n workflow',
		events: s.events,
		filter: s.filter,
		delivery_method: {
			id: `${s.id}-dm`,
			type: 'http_delivery_method',
			url: s.url,
			secret: withSecret ? s.secret : null,
			temporarily_disabled: false,
		},
	});

	function listOnCalls(req: FakeRequest): FakeResponse {
		const offset = Number(req.query.get('offset') ?? 0);
		const limit = Math.min(Number(req.query.get('limit') ?? 25), 100);
		const wanted = (key: string) => req.query.getAll(`${key}[]`);
		const include = wanted('include');
		if (include.some((i) => !['escalation_policies', 'users', 'schedules'].includes(i)))
			return invalid('Include is invalid');
		for (const key of ['since', 'until']) {
			const value = req.query.get(key);
			if (value !== null && Number.isNaN(Date.parse(value))) return invalid(`${key} is not a valid time`);
		}
		const levels = wanted('escalation_levels');
		if (levels.some((l) => !/^\d+$/.test(l))) return invalid('Escalation levels must be integers');
		const matching = oncalls.filter(
			(o) =>
				(!wanted('escalation_policy_ids').length || wanted('escalation_policy_ids').includes(o.policy)) &&
				(!levels.length || levels.includes(String(o.level))) &&
				(!wanted('schedule_ids').length || (o.schedule && wanted('schedule_ids').includes(o.schedule))) &&
				(!wanted('user_ids').length || wanted('user_ids').includes(o.user)),
		);
		const reference = (type: string, id: string, summary: string, path: string) => ({
			id,
			type: `${type}_reference`,
			summary,
			self: `https://api.pagerduty.com/${path}/${id}`,
			html_url: `https://rills.pagerduty.com/${path}/${id}`,
		});
		const hour = 3_600_000;
		const start = new Date(Math.floor(Date.now() / hour) * hour - 2 * hour).toISOString().replace('.000', '');
		const end = new Date(Date.parse(start) + 8 * hour).toISOString().replace('.000', '');
		const userOf = (id: string) => {
			const person = people.find((p) => p.id === id)!;
			return include.includes('users')
				? {
						...reference('user', id, person.name, 'users'),
						type: 'user',
						name: person.name,
						email: person.email,
						time_zone: 'Europe/London',
						role: 'user',
						job_title: 'Site Reliability Engineer',
					}
				: reference('user', id, person.name, 'users');
		};
		return json(200, {
			oncalls: matching.slice(offset, offset + limit).map((o) => ({
				escalation_policy: reference(
					'escalation_policy',
					o.policy,
					policies.get(o.policy)!,
					'escalation_policies',
				),
				escalation_level: o.level,
				schedule: o.schedule
					? reference('schedule', o.schedule, `${policies.get(o.policy)} rota`, 'schedules')
					: null,
				user: userOf(o.user),
				start: o.schedule ? start : null,
				end: o.schedule ? end : null,
			})),
			limit,
			offset,
			more: offset + limit < matching.length,
			total: null,
		});
	}

	return Object.assign(fake, {
		apiKey,
		users,
		people,
		policies,
		oncalls,
		incidents,
		notes,
		subscriptions,
		created,
		throttle,
		issueToken(scopes: string[]) {
			const token = `pdus+_${randomUUID()}`;
			tokens.set(token, scopes);
			return token;
		},
		async deliver(
			subscription: PdSubscription,
			eventType: string,
			data: Record<string, unknown>,
			signature: 'valid' | 'rotating' | 'none' | 'wrong' = 'valid',
		) {
			if (!subscription.events.includes(eventType)) return 'skipped' as const;
			const body = JSON.stringify({
				event: {
					id: randomUUID(),
					event_type: eventType,
					resource_type: 'incident',
					occurred_at: new Date().toISOString(),
					agent: null,
					client: null,
					data,
				},
			});
			const sign = (secret: string) => `v1=${hmacHex('sha256', secret, body)}`;
			const header = {
				valid: sign(subscription.secret),
				rotating: `${sign('the-previous-secret')},${sign(subscription.secret)}`,
				wrong: sign('not-the-secret'),
				none: '',
			}[signature];
			return await deliver(subscription.url, body, {
				'user-agent': 'PagerDuty-Webhook/V3.0',
				'x-webhook-id': randomUUID(),
				'x-webhook-subscription': subscription.id,
				...(header ? { 'x-pagerduty-signature': header } : {}),
			});
		},
	});
}

/** PagerDuty's throttle answer: 429 with ratelimit-reset in seconds. */
export const pagerDutyThrottled = (seconds: number) => (): FakeResponse =>
	json(
		429,
		{ error: { message: 'Rate Limit Exceeded', code: 2020 } },
		{ 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': String(seconds) },
	);
