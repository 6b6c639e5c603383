import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readPath } from '../paths';
import type { SignatureSpec } from './types';

export type Verdict = { valid: true } | { valid: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

/**
 * Checks a delivery's HMAC signature over the raw body bytes (a re-serialised body would not
 * match what the sender signed), with a constant-time compare, and rejects timestamps outside
 * the tolerance window so a captured delivery cannot be replayed later.
 */
export function verifySignature(
	spec: SignatureSpec,
	secret: string,
	rawBody: Buffer,
	headers: Headers,
	nowSeconds: number,
	request?: SignedRequest,
): Verdict {
	const value = header(headers, spec.header);
	if (!value) return { valid: false, reason: `missing ${spec.header} header` };
	if (spec.scheme === 'token')
		return sameSecret(value, secret) ? { valid: true } : { valid: false, reason: `${spec.header} does not match` };
	const pairs = spec.signatureKey ? keyValues(value) : undefined;
	const candidates = pairs ? pairs.filter(([k]) => k === spec.signatureKey).map(([, v]) => v) : [value];
	const timestamp =
		pairs && spec.timestampKey
			? pairs.find(([k]) => k === spec.timestampKey)?.[1]
			: spec.timestampPath
				? bodyValue(rawBody, spec.timestampPath)
				: spec.timestampHeader
					? header(headers, spec.timestampHeader)
					: undefined;
	const needsTimestamp =
		spec.payload.includes('{timestamp}') ||
		spec.timestampHeader !== undefined ||
		spec.timestampKey !== undefined ||
		spec.timestampPath !== undefined;
	if (needsTimestamp) {
		if (!timestamp || !/^\d+$/.test(timestamp)) return { valid: false, reason: 'missing or unreadable timestamp' };
		const seconds = Number(timestamp) > 1e11 ? Number(timestamp) / 1000 : Number(timestamp);
		if (Math.abs(nowSeconds - seconds) > spec.toleranceSeconds)
			return { valid: false, reason: 'timestamp outside the tolerance window' };
	}
	const expected = digest(spec, secret, rawBody, timestamp ?? '', request);
	for (const candidate of candidates) {
		const provided = decode(spec, candidate);
		if (provided && provided.length === expected.length && timingSafeEqual(provided, expected))
			return { valid: true };
	}
	return { valid: false, reason: 'signature does not match' };
}

/** What a signature may cover besides body and timestamp (HubSpot v3: method and URL). */
export interface SignedRequest {
	method: string;
	/** The URL the service posted to, with its query string. */
	url: string;
}

/** The HMAC of the signed payload: the template with `{timestamp}`, `{method}`, `{url}` and the raw `{body}` bytes. */
export function digest(
	spec: Pick<SignatureSpec, 'algorithm' | 'payload'>,
	secret: string,
	rawBody: Buffer,
	timestamp: string,
	request?: SignedRequest,
): Buffer {
	const hmac = createHmac(spec.algorithm, secret);
	for (const part of spec.payload.split(/(\{body\}|\{timestamp\}|\{method\}|\{url\})/)) {
		if (part === '{body}') hmac.update(rawBody);
		else if (part === '{timestamp}') hmac.update(timestamp);
		else if (part === '{method}') hmac.update(request?.method ?? '');
		else if (part === '{url}') hmac.update(request?.url ?? '');
		else if (part) hmac.update(part);
	}
	return hmac.digest();
}

/** Constant-time equality of a delivered token and the secret (hashed first, so lengths leak nothing). */
function sameSecret(provided: string, secret: string): boolean {
	const hash = (s: string) => createHash('sha256').update(s).digest();
	return timingSafeEqual(hash(provided), hash(secret));
}

function decode(spec: SignatureSpec, candidate: string): Buffer | undefined {
	let text = candidate.trim();
	if (spec.prefix) {
		if (!text.startsWith(spec.prefix)) return undefined;
		text = text.slice(spec.prefix.length);
	}
	if (spec.encoding === 'hex')
		return /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : undefined;
	return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/**
 * A number or string at `path` in a JSON body, as text (the body is signed as a whole, so the value is covered by the
 * signature).
 */
function bodyValue(rawBody: Buffer, path: string): string | undefined {
	try {
		const value = readPath(JSON.parse(rawBody.toString('utf8')), path);
		return typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
	} catch {
		return undefined;
	}
}

function header(headers: Headers, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** `t=1492774577,v1=5257a8…,v0=6ffbb5…` → pairs, keeping repeated keys (several v1 during secret rotation). */
function keyValues(value: string): Array<[string, string]> {
	return value.split(',').map((part) => {
		const at = part.indexOf('=');
		return at === -1 ? ['', part.trim()] : [part.slice(0, at).trim(), part.slice(at + 1).trim()];
	});
}
