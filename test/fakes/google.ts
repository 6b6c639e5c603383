/**
 * What every Google API the fakes stand in for (Gmail, Calendar) shares: `Authorization: Bearer`
 * access tokens that carry OAuth scopes, a call accepted when the token holds any one of the
 * scopes Google documents for the method, Google's error body (`{ error: { code, message,
 * errors: [{ domain, reason, message }], status } }`) with `WWW-Authenticate: … insufficient_scope`
 * on a missing scope, `pageToken` / `nextPageToken` pages, and 429 rateLimitExceeded on demand.
 */
import { randomBytes } from 'node:crypto';
import { json, type FakeRequest, type FakeResponse } from './server';

export const GOOGLE_SCOPE = (name: string) => `https://www.googleapis.com/auth/${name}`;

const STATUS: Record<number, string> = {
	400: 'INVALID_ARGUMENT',
	401: 'UNAUTHENTICATED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	429: 'RESOURCE_EXHAUSTED',
};

export function googleError(
	code: number,
	message: string,
	reason: string,
	headers?: Record<string, string>,
): FakeResponse {
	const domain = code === 429 ? 'usageLimits' : 'global';
	return json(
		code,
		{ error: { code, message, errors: [{ message, domain, reason }], status: STATUS[code] } },
		headers,
	);
}

export interface GoogleAccess {
	/** An access token granted these scopes (full URLs). */
	issueToken(scopes: string[]): string;
	/** Answer the next `count` calls with 429 rateLimitExceeded. */
	throttleNext(count: number): void;
	/** The token's problem as Google answers it, or undefined when the call may go on. */
	check(req: FakeRequest, acceptedScopes: string[]): FakeResponse | undefined;
}

export function googleAccess(): GoogleAccess {
	const tokens = new Map<string, string[]>();
	let throttled = 0;
	return {
		issueToken(scopes) {
			const token = `ya29.${randomBytes(16).toString('hex')}`;
			tokens.set(token, scopes);
			return token;
		},
		throttleNext(count) {
			throttled = count;
		},
		check(req, acceptedScopes) {
			const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
			const scopes = bearer ? tokens.get(bearer) : undefined;
			if (!scopes) {
				return googleError(
					401,
					'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
					'authError',
					{
						'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
					},
				);
			}
			if (!acceptedScopes.some((s) => scopes.includes(s))) {
				return googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', {
					'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${acceptedScopes.join(' ')}"`,
				});
			}
			if (throttled > 0) {
				throttled--;
				return googleError(429, 'Rate Limit Exceeded', 'rateLimitExceeded');
			}
			return undefined;
		},
	};
}

/**
 * One page of `all` as Google lists: `maxResults` (capped at `max`), an opaque `pageToken`, `nextPageToken` while more
 * remain.
 */
export function googlePage<T>(
	req: FakeRequest,
	all: T[],
	key: string,
	max: number,
	extra: Record<string, unknown> = {},
): FakeResponse {
	const size = Number(req.query.get('maxResults') ?? 100);
	if (!Number.isInteger(size) || size < 1) return googleError(400, 'Invalid value for maxResults', 'invalid');
	const token = req.query.get('pageToken');
	const start = token ? Number(Buffer.from(token, 'base64url').toString().replace(/^p/, '')) : 0;
	if (!Number.isInteger(start)) return googleError(400, 'Invalid pageToken', 'invalid');
	const end = start + Math.min(size, max);
	return json(200, {
		...extra,
		[key]: all.slice(start, end),
		...(end < all.length ? { nextPageToken: Buffer.from(`p${end}`).toString('base64url') } : {}),
	});
}
