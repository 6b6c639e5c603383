/**
 * HubSpot as a loopback service: Bearer tokens (private app tokens and OAuth access tokens from
 * /oauth/v1/token, client in the form body) carrying granular scopes, CRM v3 objects
 * (`{ properties }` bodies, `paging.next.after` cursors, `limit` ≤ 100), the transactional
 * single-send API, HubSpot's error bodies (`{ status: "error", message, category }`), its
 * ten-secondly rolling limit answered with 429 and a policy body but no Retry-After, and webhook
 * deliveries — batches of events signed with X-HubSpot-Signature-v3 by the app's client secret.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export interface CrmObject {
	id: string;
	properties: Record<string, string | null>;
	createdAt: string;
	updatedAt: string;
	archived: boolean;
}

export interface HubSpotFake extends FakeService {
	client: { id: string; secret: string };
	contacts: CrmObject[];
	deals: CrmObject[];
	emailsSent: Array<Record<string, unknown>>;
	/** Associates a contact with a deal (read back by GET …/deals/{id}?associations=contacts). */
	associate(dealId: string, contactId: string): void;
	/** A token (private app or OAuth access token) granted these scopes. */
	issueToken(scopes: string[]): string;
	/** Answer the next `count` API calls with HubSpot's ten-secondly 429. */
	throttleNext(count: number): void;
	/** API calls that came back within a second of a 429 (HubSpot's window is rolling; a client must back off). */
	violations: FakeRequest[];
	tokenRequests: Array<Record<string, string>>;
	/**
	 * POSTs a batch of events to `url` as HubSpot does, signed v3 with the client secret (or a wrong one, or none, or
	 * an old timestamp).
	 */
	deliver(
		url: string,
		events: Array<Record<string, unknown>>,
		options?: { signature?: 'none' | 'wrong'; timestampMs?: number },
	): Promise<{ status: number; body: string }>;
}

const MAX_LIMIT = 100;
const error = (status: number, category: string, message: string, extra: Record<string, unknown> = {}): FakeResponse =>
	json(status, { status: 'error', message, correlationId: randomUUID(), category, ...extra });

const stage = (id: string, label: string, displayOrder: number, probability: string) => ({
	id,
	label,
	displayOrder,
	metadata: { isClosed: String(probability === '1.0' || probability === '0.0'), probability },
	archived: false,
	createdAt: '2026-01-01T00:00:00Z',
	updatedAt: '2026-01-01T00:00:00Z',
});
/** Sales (HubSpot's `default` pipeline) and a second pipeline with stages of its own. */
export const PIPELINES = [
	{
		id: 'default',
		label: 'Sales Pipeline',
		displayOrder: 0,
		archived: false,
		stages: [
			stage('appointmentscheduled', 'Appointment Scheduled', 0, '0.2'),
			stage('qualifiedtobuy', 'Qualified To Buy', 1, '0.4'),
			stage('closedwon', 'Closed Won', 2, '1.0'),
			stage('closedlost', 'Closed Lost', 3, '0.0'),
		],
	},
	{
		id: '7654321',
		label: 'Renewals',
		displayOrder: 1,
		archived: false,
		stages: [stage('1111', 'Up for renewal', 0, '0.5'), stage('2222', 'Renewed', 1, '1.0')],
	},
];

export async function startHubSpot(options: { contactCount?: number } = {}): Promise<HubSpotFake> {
	const client = { id: 'hubspot-client-2f9e', secret: 'hubspot-client-secret-8b3d0a' };
	const tokens = new Map<string, string[]>();
	const tokenRequests: Array<Record<string, string>> = [];
	const violations: FakeRequest[] = [];
	const emailsSent: Array<Record<string, unknown>> = [];
	let throttle = 0;
	let throttledAt = 0;
	const stamp = (i: number) => new Date(Date.UTC(2026, 9, 1, 8, i)).toISOString();
	const object = (id: string, properties: Record<string, string | null>, at: string): CrmObject => ({
		id,
		properties,
		createdAt: at,
		updatedAt: at,
		archived: false,
	});
	const contacts: CrmObject[] = Array.from({ length: options.contactCount ?? 5 }, (_, i) =>
		object(
			String(101 + i),
			{
				email: `person${i + 1}@example.com`,
				firstname: `Person${i + 1}`,
				lastname: 'Example',
				createdate: stamp(i),
				hs_object_id: String(101 + i),
			},
			stamp(i),
		),
	);
	const dealContacts = new Map<string, string[]>();
	const deals: CrmObject[] = [
		object(
			'9001',
			{ dealname: 'Initech renewal', dealstage: 'appointmentscheduled', pipeline: 'default', amount: '1200' },
			stamp(0),
		),
	];

	function issueToken(scopes: string[]): string {
		const token = `pat-na1-${randomUUID()}`;
		tokens.set(token, scopes);
		return token;
	}

	function tokenEndpoint(req: FakeRequest): FakeResponse {
		const body = req.body as Record<string, string>;
		tokenRequests.push(body);
		if (body.client_id !== client.id || body.client_secret !== client.secret)
			return json(400, { status: 'BAD_CLIENT_ID', message: 'missing or unknown client id' });
		if (body.grant_type !== 'refresh_token')
			return json(400, {
				status: 'BAD_GRANT_TYPE',
				message: 'grant_type must be authorization_code or refresh_token',
			});
		// This fake issues no refresh tokens: every refresh is refused as HubSpot refuses an unknown one.
		return json(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' });
	}

	function need(scopes: string[], scope: string): FakeResponse | undefined {
		if (scopes.includes(scope)) return undefined;
		return error(
			403,
			'MISSING_SCOPES',
			"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
			{
				errors: [
					{
						message: 'One or more of the following scopes are required.',
						context: { requiredGranularScopes: [scope] },
					},
				],
			},
		);
	}

	function list(req: FakeRequest, all: CrmObject[]): FakeResponse {
		const limit = Number(req.query.get('limit') ?? 10);
		if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
			return error(400, 'VALIDATION_ERROR', `limit must be between 1 and ${MAX_LIMIT}`);
		const after = req.query.get('after');
		const start = after ? Number(Buffer.from(after, 'base64').toString()) : 0;
		if (Number.isNaN(start)) return error(400, 'VALIDATION_ERROR', 'Invalid after');
		const page = all.slice(start, start + limit).map((o) => project(o, req.query.get('properties')));
		const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
		return json(200, {
			results: page,
			...(next
				? { paging: { next: { after: next, link: `https://api.hubapi.com${req.path}?after=${next}` } } }
				: {}),
		});
	}

	/** Like HubSpot: a few default properties unless `properties` names others. */
	function project(o: CrmObject, properties: string | null): CrmObject {
		if (!properties) return o;
		const wanted = properties.split(',');
		return {
			...o,
			properties: Object.fromEntries(
				Object.entries(o.properties).filter(([k]) => wanted.includes(k) || k === 'hs_object_id'),
			),
		};
	}

	function properties(req: FakeRequest): Record<string, string> | FakeResponse {
		const props = req.body.properties;
		if (!props || typeof props !== 'object' || Array.isArray(props))
			return error(400, 'VALIDATION_ERROR', 'Invalid input JSON: a "properties" object is required');
		const bad = Object.entries(props).find(([, v]) => typeof v !== 'string');
		if (bad) return error(400, 'VALIDATION_ERROR', `Property values were not valid: ${bad[0]} must be a string`);
		return props as Record<string, string>;
	}
	const refused = (props: Record<string, string> | FakeResponse): props is FakeResponse =>
		typeof props.status === 'number';

	const fake = await startFake((req) => {
		if (req.method === 'POST' && req.path === '/oauth/v1/token') return tokenEndpoint(req);
		const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const scopes = bearer ? tokens.get(bearer) : undefined;
		if (!scopes)
			return error(
				401,
				'INVALID_AUTHENTICATION',
				'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
			);
		if (req.receivedAt - throttledAt < 1000) violations.push(req);
		if (throttle > 0) {
			throttle--;
			throttledAt = req.receivedAt;
			return json(
				429,
				{
					status: 'error',
					message: 'You have reached your ten_secondly_rolling limit.',
					errorType: 'RATE_LIMIT',
					correlationId: randomUUID(),
					policyName: 'TEN_SECONDLY_ROLLING',
					groupName: 'private-app',
				},
				{
					'x-hubspot-ratelimit-interval-milliseconds': '10000',
					'x-hubspot-ratelimit-max': '100',
					'x-hubspot-ratelimit-remaining': '0',
				},
			);
		}
		if (req.method !== 'GET' && !req.headers['content-type']?.includes('application/json'))
			return error(415, 'VALIDATION_ERROR', 'Content-Type must be application/json');
		const contactId = /^\/crm\/v3\/objects\/contacts\/(\w+)$/.exec(req.path)?.[1];
		const dealId = /^\/crm\/v3\/objects\/deals\/(\w+)$/.exec(req.path)?.[1];
		if (req.method === 'GET' && req.path === '/crm/v3/objects/contacts')
			return need(scopes, 'crm.objects.contacts.read') ?? list(req, contacts);
		if (req.method === 'GET' && contactId) {
			const found = contacts.find((c) => c.id === contactId);
			return (
				need(scopes, 'crm.objects.contacts.read') ??
				(found
					? json(200, project(found, req.query.get('properties')))
					: error(404, 'OBJECT_NOT_FOUND', 'resource not found'))
			);
		}
		if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts') {
			const denied = need(scopes, 'crm.objects.contacts.write');
			if (denied) return denied;
			const props = properties(req);
			if (refused(props)) return props;
			const existing = contacts.find((c) => c.properties.email === props.email);
			if (existing) return error(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
			const now = new Date().toISOString();
			const contact = object(
				String(101 + contacts.length),
				{ ...props, createdate: now, hs_object_id: String(101 + contacts.length) },
				now,
			);
			contacts.push(contact);
			return json(201, contact);
		}
		if (req.method === 'GET' && req.path === '/crm/v3/objects/deals')
			return need(scopes, 'crm.objects.deals.read') ?? list(req, deals);
		// The portal's deal pipelines and their stages (unpaged, as HubSpot answers them), ordered by displayOrder.
		if (req.method === 'GET' && req.path === '/crm/v3/pipelines/deals')
			return need(scopes, 'crm.objects.deals.read') ?? json(200, { results: PIPELINES });
		const stagesOf = /^\/crm\/v3\/pipelines\/deals\/([^/]+)\/stages$/.exec(req.path);
		if (req.method === 'GET' && stagesOf) {
			const denied = need(scopes, 'crm.objects.deals.read');
			if (denied) return denied;
			const pipeline = PIPELINES.find((p) => p.id === decodeURIComponent(stagesOf[1]));
			if (!pipeline)
				return error(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${stagesOf[1]} for object type deals`);
			return json(200, { results: pipeline.stages });
		}
		if (req.method === 'GET' && dealId) {
			const denied = need(scopes, 'crm.objects.deals.read');
			if (denied) return denied;
			const deal = deals.find((d) => d.id === dealId);
			if (!deal) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
			const types = req.query.get('associations')?.split(',') ?? [];
			const contactIds = dealContacts.get(deal.id) ?? [];
			const associations =
				types.includes('contacts') && contactIds.length
					? {
							associations: {
								contacts: { results: contactIds.map((id) => ({ id, type: 'deal_to_contact' })) },
							},
						}
					: {};
			return json(200, { ...project(deal, req.query.get('properties')), ...associations });
		}
		if (req.method === 'POST' && req.path === '/crm/v3/objects/deals') {
			const denied = need(scopes, 'crm.objects.deals.write');
			if (denied) return denied;
			const props = properties(req);
			if (refused(props)) return props;
			if (!props.dealname)
				return error(400, 'VALIDATION_ERROR', 'Property values were not valid: dealname is required');
			const now = new Date().toISOString();
			const deal = object(String(9001 + deals.length), { ...props }, now);
			deals.push(deal);
			return json(201, deal);
		}
		if (req.method === 'PATCH' && dealId) {
			const denied = need(scopes, 'crm.objects.deals.write');
			if (denied) return denied;
			const deal = deals.find((d) => d.id === dealId);
			if (!deal) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
			const props = properties(req);
			if (refused(props)) return props;
			Object.assign(deal.properties, props);
			deal.updatedAt = new Date().toISOString();
			return json(200, deal);
		}
		if (req.method === 'POST' && req.path === '/marketing/v3/transactional/single-email/send') {
			const denied = need(scopes, 'transactional-email');
			if (denied) return denied;
			const message = req.body.message as Record<string, unknown> | undefined;
			if (typeof req.body.emailId !== 'number') return error(400, 'VALIDATION_ERROR', 'emailId must be a number');
			if (!message || typeof message.to !== 'string')
				return error(400, 'VALIDATION_ERROR', 'message.to is required');
			emailsSent.push(req.body);
			return json(200, { requestedAt: new Date().toISOString(), statusId: randomUUID(), status: 'PENDING' });
		}
		return error(404, 'OBJECT_NOT_FOUND', `No route ${req.method} ${req.path}`);
	});

	async function deliver(
		url: string,
		events: Array<Record<string, unknown>>,
		opts: { signature?: 'none' | 'wrong'; timestampMs?: number } = {},
	) {
		const body = JSON.stringify(events);
		const timestamp = String(opts.timestampMs ?? Date.now());
		const secret = opts.signature === 'wrong' ? 'some-other-apps-client-secret' : client.secret;
		const v3 = createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
		// The older v1 header (SHA-256 of client secret + body) comes along, as HubSpot sends it too.
		const v1 = createHash('sha256')
			.update(client.secret + body)
			.digest('hex');
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'x-hubspot-request-timestamp': timestamp,
			'x-hubspot-signature-version': 'v1',
			'x-hubspot-signature': v1,
		};
		if (opts.signature !== 'none') headers['x-hubspot-signature-v3'] = v3;
		const response = await fetch(url, { method: 'POST', headers, body });
		return { status: response.status, body: await response.text() };
	}

	return Object.assign(fake, {
		client,
		contacts,
		deals,
		emailsSent,
		associate: (dealId: string, contactId: string) =>
			void dealContacts.set(dealId, [...(dealContacts.get(dealId) ?? []), contactId]),
		issueToken,
		throttleNext: (count: number) => void (throttle = count),
		violations,
		tokenRequests,
		deliver,
	});
}
