/**
 * Orbit CRM as a loopback service: an OAuth2 token endpoint (client credentials with the client
 * in the body, refresh tokens with the client in a Basic header, recorded with the client in the body
 * too when it is sent there), bearer tokens (or, when asked, bare or query-parameter ones) that carry scopes
 * and can expire or be revoked, cursor-paged lists, and a rate limit of 5 requests a second per
 * token answered with 429 and Retry-After.
 */
import { createHash, randomBytes } from 'node:crypto';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export interface OrbitContact {
	id: string;
	name: string;
	email: string;
	company?: { name?: string };
	updatedAt: string;
}

interface Token {
	scopes: string[];
	expired: boolean;
}

export interface OrbitCrmFake extends FakeService {
	client: { id: string; secret: string };
	contacts: OrbitContact[];
	deals: Array<{ id: string; stage: string; amount: number }>;
	/**
	 * Issues an access/refresh token pair with these scopes, as an authorization-code grant would; or honours `pair`
	 * (another Orbit fake's), so several fakes serve one credential.
	 */
	grant(
		scopes: string[],
		pair?: { accessToken: string; refreshToken: string },
	): { accessToken: string; refreshToken: string };
	expire(accessToken: string): void;
	revoke(refreshToken: string): void;
	/** Answer the next `count` API requests with 429 and this Retry-After. */
	throttleNext(count: number, retryAfterSeconds: number): void;
	/** API requests that arrived faster than the declared limit, or before a Retry-After ran out. */
	violations: FakeRequest[];
	/** The query of each visit to the authorization page (`/oauth/authorize`). */
	authorizations: URLSearchParams[];
	/** Token endpoint calls, by grant type; `both`: a Basic header and the client in the body too. */
	tokenRequests: Array<{ grantType: string; clientAuth: 'header' | 'body' | 'both' | 'none'; scope?: string }>;
}

const RATE = { requests: 5, perMs: 1000 };
/** Clock skew between n8n's limiter and this server's arrival times that is not held against the client. */
const TOLERANCE_MS = 50;
const MAX_PAGE = 100;
const SCOPES = ['contacts.read', 'contacts.write', 'deals.read', 'offline_access'];

/** How a request may carry its access token: `Authorization: Bearer`, a bare `Authorization`, `?access_token=`. */
export type TokenForm = 'bearer' | 'plain' | 'query';

export async function startOrbitCrm(
	options: { contactCount?: number; port?: number; tokenForms?: TokenForm[] } = {},
): Promise<OrbitCrmFake> {
	const tokenForms = new Set(options.tokenForms ?? ['bearer']);
	const client = { id: 'orbit-client', secret: 'orbit-client-secret-91c2' };
	const tokens = new Map<string, Token>();
	const refreshTokens = new Map<string, string[]>();
	const contacts: OrbitContact[] = Array.from({ length: options.contactCount ?? 230 }, (_, i) => ({
		id: `c${i + 1}`,
		name: `Contact ${i + 1}`,
		email: `contact${i + 1}@example.com`,
		updatedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
	}));
	const deals = Array.from({ length: 12 }, (_, i) => ({
		id: `d${i + 1}`,
		stage: ['lead', 'won', 'lost'][i % 3],
		amount: 1000 * (i + 1),
	}));
	const violations: FakeRequest[] = [];
	const tokenRequests: OrbitCrmFake['tokenRequests'] = [];
	const authorizations: URLSearchParams[] = [];
	/** Authorization codes: the scopes consented to, where they were sent, and the PKCE challenge if any. */
	const codes = new Map<string, { scopes: string[]; redirectUri: string; challenge?: string }>();
	const recent: number[] = [];
	let throttle = { count: 0, retryAfter: 0, until: 0 };

	function issue(scopes: string[], pair?: { accessToken: string; refreshToken: string }) {
		const accessToken = pair?.accessToken ?? `at_${randomBytes(12).toString('hex')}`;
		const refreshToken = pair?.refreshToken ?? `rt_${randomBytes(12).toString('hex')}`;
		tokens.set(accessToken, { scopes, expired: false });
		refreshTokens.set(refreshToken, scopes);
		return { accessToken, refreshToken };
	}

	/** The consent page, consented at once: back to `redirect_uri` with a code and the client's state. */
	function authorize(req: FakeRequest): FakeResponse {
		authorizations.push(req.query);
		const redirectUri = req.query.get('redirect_uri');
		if (req.query.get('client_id') !== client.id || req.query.get('response_type') !== 'code' || !redirectUri)
			return json(400, { error: 'invalid_request' });
		const code = `code_${randomBytes(8).toString('hex')}`;
		const asked = (req.query.get('scope') ?? '').split(/[\s,]+/);
		const challenge = req.query.get('code_challenge') ?? undefined;
		codes.set(code, { scopes: asked.filter((s) => SCOPES.includes(s)), redirectUri, challenge });
		const back = new URL(redirectUri);
		back.searchParams.set('code', code);
		if (req.query.get('state')) back.searchParams.set('state', req.query.get('state')!);
		return { status: 302, headers: { location: back.toString() } };
	}

	/** An authorization code exchanged once, by the client it was issued to (with its PKCE verifier, if any). */
	function exchangeCode(req: FakeRequest, secret: unknown): FakeResponse {
		const grant = codes.get(String(req.body.code));
		codes.delete(String(req.body.code));
		if (!grant || grant.redirectUri !== req.body.redirect_uri) return json(400, { error: 'invalid_grant' });
		const verifier = String(req.body.code_verifier ?? '');
		const verified = grant.challenge
			? createHash('sha256').update(verifier).digest('base64url') === grant.challenge
			: secret === client.secret;
		if (!verified) return json(400, { error: 'invalid_grant', error_description: 'client not verified' });
		const pair = issue(grant.scopes);
		return json(200, {
			access_token: pair.accessToken,
			refresh_token: pair.refreshToken,
			token_type: 'Bearer',
			expires_in: 3600,
			scope: grant.scopes.join(' '),
		});
	}

	function tokenEndpoint(req: FakeRequest): FakeResponse {
		const basic = req.headers.authorization?.startsWith('Basic ')
			? Buffer.from(req.headers.authorization.slice(6), 'base64').toString()
			: undefined;
		const clientAuth = basic ? (req.body.client_id ? 'both' : 'header') : req.body.client_id ? 'body' : 'none';
		const [id, secret] = basic
			? basic.split(':').map(decodeURIComponent)
			: [req.body.client_id, req.body.client_secret];
		tokenRequests.push({
			grantType: String(req.body.grant_type),
			clientAuth,
			...(req.body.scope ? { scope: String(req.body.scope) } : {}),
		});
		// A PKCE client proves itself with its verifier rather than a secret.
		if (req.body.grant_type === 'authorization_code' && id === client.id) return exchangeCode(req, secret);
		if (id !== client.id || secret !== client.secret) return json(401, { error: 'invalid_client' });
		if (req.body.grant_type === 'client_credentials') {
			const asked = String(req.body.scope ?? '')
				.split(/[\s,]+/)
				.filter(Boolean);
			const scopes = asked.filter((s) => SCOPES.includes(s));
			const { accessToken } = issue(scopes);
			return json(200, {
				access_token: accessToken,
				token_type: 'Bearer',
				expires_in: 3600,
				scope: scopes.join(' '),
			});
		}
		if (req.body.grant_type === 'refresh_token') {
			const scopes = refreshTokens.get(String(req.body.refresh_token));
			if (!scopes) return json(400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
			refreshTokens.delete(String(req.body.refresh_token));
			const pair = issue(scopes);
			return json(200, {
				access_token: pair.accessToken,
				refresh_token: pair.refreshToken,
				token_type: 'Bearer',
				expires_in: 3600,
				scope: scopes.join(' '),
			});
		}
		return json(400, { error: 'unsupported_grant_type' });
	}

	function rateLimited(req: FakeRequest): FakeResponse | undefined {
		const now = req.receivedAt;
		if (now < throttle.until) violations.push(req);
		while (recent.length && recent[0] <= now - RATE.perMs + TOLERANCE_MS) recent.shift();
		recent.push(now);
		if (recent.length > RATE.requests) {
			violations.push(req);
			return json(429, { message: 'Too many requests' }, { 'retry-after': '1' });
		}
		if (throttle.count > 0) {
			throttle.count--;
			throttle.until = now + throttle.retryAfter * 1000;
			return json(429, { message: 'Slow down' }, { 'retry-after': String(throttle.retryAfter) });
		}
		return undefined;
	}

	function page<T>(req: FakeRequest, all: T[]): FakeResponse {
		const limit = Math.min(Number(req.query.get('limit') ?? 25), MAX_PAGE);
		const start = req.query.get('cursor')
			? Number(Buffer.from(req.query.get('cursor')!, 'base64url').toString())
			: 0;
		const end = start + limit;
		const nextCursor = end < all.length ? Buffer.from(String(end)).toString('base64url') : null;
		return json(200, { data: all.slice(start, end), meta: { next_cursor: nextCursor } });
	}

	const fake = await startFake(
		(req) => {
			if (req.method === 'POST' && req.path === '/oauth/token') return tokenEndpoint(req);
			if (req.method === 'GET' && req.path === '/oauth/authorize') return authorize(req);
			const authorization = req.headers.authorization ?? '';
			const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
			const presented =
				(tokenForms.has('bearer') && bearer) ||
				(tokenForms.has('plain') && !bearer && authorization) ||
				(tokenForms.has('query') && req.query.get('access_token'));
			const token = presented ? tokens.get(presented) : undefined;
			if (!token || token.expired)
				return json(401, { error: 'invalid_token', message: 'The access token expired or is invalid' });
			const limited = rateLimited(req);
			if (limited) return limited;
			const need = (scope: string) =>
				token.scopes.includes(scope)
					? undefined
					: json(403, { error: 'insufficient_scope', message: `This call needs the ${scope} scope` });
			const route = req.path.replace(/^\/v2/, '');
			if (req.method === 'GET' && route === '/me')
				return json(200, {
					id: 'u-ada',
					name: 'Ada Admin',
					workspace: { id: 'w-acme', name: 'Acme' },
					scopes: token.scopes,
				});
			if (req.method === 'GET' && route === '/contacts') {
				const email = req.query.get('email');
				return need('contacts.read') ?? page(req, email ? contacts.filter((c) => c.email === email) : contacts);
			}
			if (req.method === 'POST' && route === '/contacts') {
				const denied = need('contacts.write');
				if (denied) return denied;
				if (typeof req.body.name !== 'string') return json(422, { message: 'name is required' });
				const contact: OrbitContact = {
					id: `c${contacts.length + 1}`,
					email: '',
					...(req.body as Partial<OrbitContact>),
					name: req.body.name,
					updatedAt: new Date().toISOString(),
				};
				contacts.push(contact);
				return json(201, { data: contact });
			}
			// A careless service that repeats the request, credential and all, in its error.
			if (route === '/contacts/echo')
				return json(400, { message: `Cannot read ${req.url} (${req.headers.authorization ?? 'no header'})` });
			const contactId = /^\/contacts\/([^/]+)$/.exec(route)?.[1];
			if (req.method === 'GET' && contactId) {
				const contact = contacts.find((c) => c.id === contactId);
				return (
					need('contacts.read') ??
					(contact ? json(200, { data: contact }) : json(404, { message: `No contact ${contactId}` }))
				);
			}
			if (req.method === 'GET' && route === '/deals') {
				const stage = req.query.get('stage');
				return need('deals.read') ?? page(req, stage ? deals.filter((d) => d.stage === stage) : deals);
			}
			return json(404, { message: `No route ${req.method} ${req.path}` });
		},
		{ port: options.port },
	);

	return Object.assign(fake, {
		client,
		contacts,
		deals,
		grant: issue,
		expire: (accessToken: string) => void (tokens.get(accessToken)!.expired = true),
		revoke: (refreshToken: string) => void refreshTokens.delete(refreshToken),
		throttleNext: (count: number, retryAfter: number) => void (throttle = { count, retryAfter, until: 0 }),
		violations,
		tokenRequests,
		authorizations,
	});
}
