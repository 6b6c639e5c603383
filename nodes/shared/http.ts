import type { ICredentialsDecrypted, IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import {
	apiError,
	describeFailure,
	isRateLimited,
	isRevokedCredential,
	reconnectError,
	type ErrorContext,
	type FailedResponse,
} from './errors';
import { bodyFailure } from './body-errors';
import { graphqlFailure } from './graphql';
import { acquireSlot, noteRateLimitHeaders, pause, pausedFor } from './rate-limit';
import { refreshAhead } from './token-refresh';
import type { AuthVariantSpec, IntegrationTable, RateLimit } from './types';

export interface Session {
	table: IntegrationTable;
	variant: AuthVariantSpec;
	/** Rate-limit key: one per integration and credential. */
	limiterKey: string;
	/** The integration's limits, as raised (or lowered) on the credential for a plan that differs. */
	rateLimits: RateLimit[];
	/** Origin that may receive the credentials. */
	origin: string;
	/**
	 * The credential as read once per item, handed to n8n with every request so that it is not read and decrypted again
	 * for each page.
	 */
	credentials?: ICredentialsDecrypted;
	errors: ErrorContext;
	/** The running operation's own limits (on top of the integration's), with the key they are held under. */
	operationLimits?: { key: string; limits: RateLimit[] };
}

export interface Response {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const DEFAULT_TIMEOUT_SECONDS = 60;
/** The whole exchange may take this many idle timeouts: a server trickling bytes never idles, but still ends. */
const DEADLINE_TIMEOUTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;
/** Headers that authenticate whatever the credential type; they never follow a redirect to another origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * Sends one request: refreshes an OAuth2 token that its credential's policy says is due, waits for a
 * rate-limit slot, authenticates through n8n (which also refreshes OAuth2 tokens on 401), retries 429
 * after Retry-After and 5xx/network errors for idempotent methods, and turns what is left into an
 * error that says what to do. With `graphql`, an answer carrying `errors` is a failure too (a
 * rate-limit code is retried like a 429).
 */
export async function send(
	this: IExecuteFunctions,
	session: Session,
	options: IHttpRequestOptions,
	graphql = false,
): Promise<Response> {
	const { retry } = session.table;
	const method = (options.method ?? 'GET').toUpperCase();
	const authenticated = new URL(options.url).origin === session.origin;
	const timeout = options.timeout ?? (retry.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
	const request: IHttpRequestOptions = {
		...options,
		headers: { ...(authenticated ? session.variant.extraHeaders : {}), ...options.headers },
		returnFullResponse: true,
		// An HTTP error comes back as a response, so its headers (Retry-After) are read on n8n 1.x too, whose
		// errors for authenticated requests carry none. OAuth2 requests still throw: n8n refreshes the token
		// only when a 401 is thrown.
		ignoreHttpStatusErrors: !(authenticated && session.variant.kind === 'oauth2'),
		timeout,
		// n8n would follow redirects itself and send the Authorization header along to any origin.
		disableFollowRedirect: true,
	};
	if (authenticated) await refreshAhead.call(this, session);
	for (let attempt = 0; ; attempt++) {
		// The service asked for a longer wait than a node may block for: no request until then, so every item fails
		// with the same retryAt (a Wait node can hold the execution until it).
		const held = pausedFor(session.limiterKey);
		if (held > retry.maxWaitSeconds * 1000)
			throw apiError(session.errors, { status: 429, headers: {}, message: 'paused' }, held / 1000);
		const doneOperation =
			session.operationLimits &&
			(await acquireSlot(`${session.limiterKey}:${session.operationLimits.key}`, session.operationLimits.limits));
		const done = await acquireSlot(session.limiterKey, session.rateLimits);
		let failure: FailedResponse;
		const deadline = AbortSignal.timeout(timeout * DEADLINE_TIMEOUTS);
		try {
			const response = await exchange.call(this, session, { ...request, abortSignal: deadline }, authenticated);
			const headers = lowerKeys(response.headers);
			noteRateLimitHeaders(session.limiterKey, headers, rateLimitResetSeconds(headers));
			const failed =
				response.statusCode >= 400
					? httpFailure(response.statusCode, headers, response.body, graphql)
					: graphql
						? graphqlFailure(response.statusCode, headers, response.body)
						: bodyFailure(session.table.bodyErrors, response.statusCode, headers, response.body);
			if (!failed) return { statusCode: response.statusCode, headers, body: response.body };
			failure = failed;
		} catch (error) {
			if (isRevokedCredential(error)) throw reconnectError(session.errors);
			const thrown = deadline.aborted
				? {
						headers: {},
						code: 'ETIMEDOUT',
						message: `no complete answer within ${(timeout * DEADLINE_TIMEOUTS) / 1000} s`,
					}
				: describeFailure(error);
			failure =
				thrown.status === undefined
					? thrown
					: httpFailure(thrown.status, thrown.headers, thrown.body, graphql, thrown.message);
		} finally {
			done();
			doneOperation?.();
		}
		const wait = retryDelaySeconds(failure, method, attempt, retry.backoffSeconds);
		if (wait === undefined || attempt >= retry.maxRetries || wait > retry.maxWaitSeconds) {
			// Later requests of this item or the next wait (or fail) too rather than being refused again.
			if (wait !== undefined && isRateLimited(failure)) pause(session.limiterKey, wait * 1000);
			throw apiError(session.errors, failure, isRateLimited(failure) ? (wait ?? undefined) : undefined);
		}
		// Pages fetched at once share the credential's budget: one 429 holds them all back.
		if (isRateLimited(failure)) pause(session.limiterKey, wait * 1000);
		await sleep(wait * 1000);
	}
}

/**
 * One request and the redirects it meets, followed here rather than by n8n: the credential (and
 * the variant's own headers) go only to the session's origin, and once a redirect has left it,
 * no later hop gets them back. OAuth2 requests, which n8n fails on any status but 2xx, end at a
 * redirect with an error.
 */
async function exchange(
	this: IExecuteFunctions,
	session: Session,
	first: IHttpRequestOptions,
	authenticated: boolean,
): Promise<IN8nHttpFullResponse> {
	const { credentialType, oauth2 } = session.variant;
	let request = first;
	let trusted = authenticated;
	for (let hops = 0; ; hops++) {
		const signing = { oauth2, credentialsDecrypted: session.credentials };
		const response = (await (trusted && credentialType
			? this.helpers.httpRequestWithAuthentication.call(this, credentialType, { ...request }, signing)
			: this.helpers.httpRequest({ ...request }))) as IN8nHttpFullResponse;
		const location = REDIRECTS.has(response.statusCode) ? lowerKeys(response.headers).location : undefined;
		if (!location) return response;
		if (hops >= MAX_REDIRECTS) {
			throw Object.assign(new Error(`more than ${MAX_REDIRECTS} redirects`), { code: 'ETOOMANYREDIRECTS' });
		}
		const url = new URL(location, request.url);
		const leaving = trusted && url.origin !== session.origin;
		trusted = trusted && !leaving;
		// 303, and 301/302 after anything but GET, turn into a GET without a body, as browsers do.
		const method = (request.method ?? 'GET').toUpperCase();
		const get = response.statusCode === 303 || (response.statusCode < 303 && method !== 'GET' && method !== 'HEAD');
		request = {
			...request,
			url: url.toString(),
			qs: {},
			...(get ? { method: 'GET', body: undefined } : {}),
			...(leaving ? { headers: withoutCredentials(request.headers, session.variant.extraHeaders) } : {}),
		};
	}
}

function withoutCredentials(headers: IHttpRequestOptions['headers'], variantHeaders = {}): Record<string, string> {
	const dropped = new Set([...CREDENTIAL_HEADERS, ...Object.keys(variantHeaders).map((k) => k.toLowerCase())]);
	const kept = Object.entries(headers ?? {}).filter(([k]) => !dropped.has(k.toLowerCase()));
	return Object.fromEntries(kept.map(([k, v]) => [k, String(v)]));
}

/** An HTTP error status as a failure; a GraphQL answer's `errors` say more than its status. */
function httpFailure(
	status: number,
	headers: Record<string, string>,
	body: unknown,
	graphql: boolean,
	message = `Request failed with status code ${status}`,
): FailedResponse {
	return (graphql && graphqlFailure(status, headers, body, message)) || { status, headers, body, message };
}

/** Seconds to wait before retrying, or undefined when the failure must not be retried. */
export function retryDelaySeconds(
	failure: FailedResponse,
	method: string,
	attempt: number,
	backoffSeconds: number,
): number | undefined {
	if (isRateLimited(failure)) return rateLimitResetSeconds(failure.headers) ?? backoffSeconds * 2 ** attempt;
	const transient =
		(failure.status !== undefined && failure.status >= 500) ||
		(failure.status === undefined && failure.code !== undefined);
	if (transient && IDEMPOTENT.has(method)) return backoffSeconds * 2 ** attempt;
	return undefined;
}

/** Reads Retry-After (seconds or HTTP date) and X-RateLimit-Reset / RateLimit-Reset (epoch or delta). */
export function rateLimitResetSeconds(headers: Record<string, string>, now = Date.now()): number | undefined {
	const retryAfter = headers['retry-after'];
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds);
		const date = Date.parse(retryAfter);
		if (Number.isFinite(date)) return Math.max(0, (date - now) / 1000);
	}
	const reset =
		headers['x-ratelimit-reset'] ??
		headers['ratelimit-reset'] ??
		headers['x-rate-limit-reset'] ??
		headers['x-ratelimit-requests-reset'];
	if (reset !== undefined && Number.isFinite(Number(reset))) {
		const value = Number(reset);
		// Values past 2001 in epoch seconds are absolute times (past 1e12, in milliseconds, as Linear sends them);
		// smaller ones are deltas.
		if (value > 1e12) return Math.max(0, (value - now) / 1000);
		return Math.max(0, value > 1e9 ? value - now / 1000 : value);
	}
	return undefined;
}

function lowerKeys(headers: Record<string, unknown> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers ?? {}))
		out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	return out;
}
