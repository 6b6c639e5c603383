import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';
import { grantedScopes } from './scopes';

const MASK = '[redacted]';
/** Shortest start or end of a secret that is masked on its own. */
const PIECE = 8;
/** How much of the service's own words an error quotes. */
const MESSAGE_LENGTH = 300;

/** What a failed HTTP exchange looked like, read from whatever n8n's request helper threw. */
export interface FailedResponse {
	status?: number;
	headers: Record<string, string>;
	body?: unknown;
	/** Network-level code, e.g. ECONNRESET. */
	code?: string;
	message: string;
}

export function describeFailure(error: unknown): FailedResponse {
	const chain: Array<Record<string, unknown>> = [];
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
		chain.push(e as Record<string, unknown>);
		e = (e as { cause?: unknown }).cause;
	}
	const withResponse = chain.find((e) => e.response && typeof e.response === 'object');
	const response = withResponse?.response as
		| { status?: number; statusCode?: number; headers?: Record<string, unknown>; data?: unknown; body?: unknown }
		| undefined;
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(response?.headers ?? {})) headers[k.toLowerCase()] = String(v);
	const httpCode = chain.map((e) => e.httpCode).find((c) => c !== undefined && c !== null);
	const status = response?.status ?? response?.statusCode ?? (httpCode ? Number(httpCode) : undefined);
	// n8n 1.x keeps no cause on the NodeApiError of an authenticated request: a network code lands in
	// httpCode and the parsed body in context.data (its headers are lost, so Retry-After is unknown).
	const code = chain
		.flatMap((e) => [e.code, e.httpCode])
		.find((c): c is string => typeof c === 'string' && /^E[A-Z]+/.test(c));
	const parsedBody = chain
		.map((e) => (e.context as { data?: unknown } | undefined)?.data)
		.find((d) => d !== undefined);
	const message = String(chain.map((e) => e.message).find((m) => typeof m === 'string' && m) ?? 'Unknown error');
	return {
		status: Number.isFinite(status) ? status : undefined,
		headers,
		body: decoded(response?.data ?? response?.body ?? parsedBody),
		code,
		message,
	};
}

/** A file request's failure arrives as the bytes it asked for: the service's JSON (or text) in them. */
function decoded(body: unknown): unknown {
	if (!(body instanceof ArrayBuffer) && !Buffer.isBuffer(body)) return body;
	const text = Buffer.from(body as Uint8Array).toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * A 429, or a 403 whose headers say a rate limit ran out: GitHub answers its primary limit with
 * 403 and `x-ratelimit-remaining: 0`, and secondary limits with 403 and `retry-after`.
 */
export function isRateLimited(failure: Pick<FailedResponse, 'status' | 'headers'>): boolean {
	if (failure.status === 429) return true;
	return (
		failure.status === 403 &&
		(failure.headers['x-ratelimit-remaining'] === '0' || failure.headers['retry-after'] !== undefined)
	);
}

/** True when n8n gave up refreshing an OAuth2 token (refresh answered invalid_grant). */
export function isRevokedCredential(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
		const failure = (e as { failure?: { cause?: string } }).failure;
		if (failure?.cause === 'credential-invalid') return true;
		// n8n 1.x words the token endpoint's refusal with OAuth's own text for invalid_grant, without the code.
		const { message, description } = e as { message?: unknown; description?: unknown };
		if (
			/needs to be reconnected|invalid_grant|refresh token is\s+invalid, expired, revoked/i.test(
				`${String(message)} ${String(description)}`,
			)
		)
			return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}

/** The service's own words about the failure, if its body carries any. */
export function serviceMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body || undefined;
	if (!body || typeof body !== 'object') return undefined;
	// Some services answer with a list of errors (Salesforce: `[{ "errorCode", "message" }]`).
	if (Array.isArray(body)) return serviceMessage(body[0]);
	// Dropbox's `error` is a tagged union without text: its words are `error_summary` (`path/conflict/folder/..`).
	const b = body as Record<string, unknown>;
	for (const key of ['error_description', 'message', 'error', 'detail', 'title', 'errors', 'error_summary']) {
		const v = b[key];
		if (typeof v === 'string' && v) return v;
		if (v && typeof v === 'object') {
			const nested = serviceMessage(Array.isArray(v) ? v[0] : v);
			if (nested) return nested;
		}
	}
	return undefined;
}

export interface ErrorContext {
	node: INode;
	integration: string;
	credentialName?: string;
	itemIndex: number;
	/** Strings that must never reach an error: keys, tokens, passwords. */
	secrets: string[];
}

/** Turns a failed response into an error that says what happened and what to do. */
export function apiError(ctx: ErrorContext, failure: FailedResponse, retryAfterSeconds?: number): NodeApiError {
	const credential = ctx.credentialName ? `"${ctx.credentialName}"` : 'the credential';
	// Redacted before it is cut short, which could leave part of a secret.
	const words = serviceMessage(failure.body);
	const said = words && redact(words, ctx.secrets).slice(0, MESSAGE_LENGTH);
	const service = said ? ` ${ctx.integration} said: ${said}` : '';
	let message: string;
	let description: string;
	const rateLimited = isRateLimited(failure);
	switch (rateLimited ? 429 : failure.status) {
		case 401:
			message = `${ctx.integration} rejected ${credential}: it has expired or was revoked`;
			description = `Reconnect ${credential} (open it and sign in again, or paste a new key) and run the node again.${service}`;
			break;
		case 403:
			message = `${ctx.integration} refused access: ${credential} lacks the permission or scope this operation needs`;
			description = `Grant the permission in ${ctx.integration} or reconnect ${credential} with the missing scopes.${service}`;
			break;
		case 404:
			message = `${ctx.integration} found nothing at this address`;
			description = `Check the IDs and other fields of this operation.${service}`;
			break;
		case 429:
			message = `${ctx.integration} rate limit hit${retryAfterSeconds !== undefined ? `: try again in ${Math.ceil(retryAfterSeconds)} s` : ''}`;
			description = `The service is throttling ${credential}. Wait${retryAfterSeconds !== undefined ? ` ${Math.ceil(retryAfterSeconds)} s` : ' for the limit window to reset'}, or run the workflow less often.${service}`;
			break;
		default:
			if (failure.status && failure.status >= 500) {
				message = `${ctx.integration} failed with ${failure.status}`;
				description = `The service had a problem; try again later.${service}`;
			} else if (failure.status) {
				message = `${ctx.integration} rejected the request (${failure.status})`;
				description = `Check this operation's fields.${service}`;
			} else {
				// No error code in the message: n8n would swap a message naming one for its generic text.
				message = `Could not reach ${ctx.integration}`;
				description = `Check the base URL / domain on ${credential} and the network (${failure.code ?? 'no response'}: ${failure.message}).`;
			}
	}
	const safe = (s: string) => redact(s, ctx.secrets);
	const error = new NodeApiError(
		ctx.node,
		{ message: safe(message), httpCode: failure.status ?? null } as JsonObject,
		{
			message: safe(message),
			description: safe(description),
			httpCode: failure.status ? String(failure.status) : undefined,
			itemIndex: ctx.itemIndex,
		},
	);
	if (said) serviceWordsOf.set(error, said);
	// Machine-readable, for a Wait node's "At Specified Time" behind the node's error output.
	// A reset no date can hold (a hostile `Retry-After: 1e20`) has none.
	const retryAt = new Date(Date.now() + (retryAfterSeconds ?? NaN) * 1000);
	if (rateLimited && !Number.isNaN(retryAt.getTime())) error.context.retryAt = retryAt.toISOString();
	return error;
}

/** When a rate-limited request may be sent again (ISO), as apiError noted it. */
export function retryAtOf(error: unknown): string | undefined {
	const retryAt = (error as { context?: { retryAt?: unknown } } | undefined)?.context?.retryAt;
	return typeof retryAt === 'string' ? retryAt : undefined;
}

/** The service's own (redacted) words behind an error apiError built, for a connection's lastError. */
const serviceWordsOf = new WeakMap<object, string>();

export function serviceWords(error: unknown): string | undefined {
	return error && typeof error === 'object' ? serviceWordsOf.get(error) : undefined;
}

export function reconnectError(ctx: ErrorContext): NodeOperationError {
	const credential = ctx.credentialName ? `"${ctx.credentialName}"` : 'The credential';
	return new NodeOperationError(
		ctx.node,
		`${credential} can no longer get access to ${ctx.integration}: reconnect it`,
		{
			description:
				'The refresh token was revoked or expired (the service answered invalid_grant). Open the credential, click Reconnect and sign in again; workflows keep their settings.',
			itemIndex: ctx.itemIndex,
		},
	);
}

/**
 * Replaces every secret with a fixed mask: as it is, in each form it travels in (URL and form
 * encoding, base64 as in basic auth), and what is left of it where a text was cut short.
 */
export function redact(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		for (const form of encodings(secret)) out = out.split(form).join(MASK);
		if (secret.length > PIECE) out = withoutPieces(out, secret);
	}
	return out;
}

function encodings(secret: string): Set<string> {
	const bytes = Buffer.from(secret);
	const form = new URLSearchParams({ s: secret }).toString().slice(2);
	const base64 = [bytes.toString('base64'), bytes.toString('base64url')];
	return new Set([secret, encodeURIComponent(secret), encodeURI(secret), form, ...base64]);
}

/** Masks runs of at least PIECE characters that start or end a secret (a service's or a log's cut-off copy). */
function withoutPieces(text: string, secret: string): string {
	const spans: Array<[number, number]> = [];
	const head = secret.slice(0, PIECE);
	for (let at = text.indexOf(head); at !== -1; at = text.indexOf(head, at + 1)) {
		let end = at + PIECE;
		while (end < text.length && end - at < secret.length && text[end] === secret[end - at]) end++;
		spans.push([at, end]);
	}
	const tail = secret.slice(-PIECE);
	for (let at = text.indexOf(tail); at !== -1; at = text.indexOf(tail, at + 1)) {
		let start = at;
		for (let i = secret.length - PIECE - 1; start > 0 && i >= 0 && text[start - 1] === secret[i]; i--) start--;
		spans.push([start, at + PIECE]);
	}
	let out = '';
	let done = 0;
	for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
		// Overlapping spans share one mask.
		if (start >= done) out += text.slice(done, start) + MASK;
		done = Math.max(done, end);
	}
	return out + text.slice(done);
}

/** A 403 explained after the fact: the scopes the API's description names for the operation, beside those granted. */
export function withScopesNamed(
	error: unknown,
	required: string[] | undefined,
	credentials: ICredentialDataDecryptedObject,
): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== '403' || !required?.length) return error;
	const granted = [...grantedScopes(credentials)].join(', ') || 'none it reported';
	const named =
		`The API's description names the scopes ${required.join(', ')} for this operation; ` +
		`the credential was granted ${granted}.`;
	error.description = error.description ? `${error.description} ${named}` : named;
	return error;
}
