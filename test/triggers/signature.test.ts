/**
 * Signature verification against signatures computed here the way each service documents them
 * (node:crypto directly), over raw body bytes.
 */
import { createHmac } from 'node:crypto';
import { verifySignature } from '../../nodes/shared/triggers/signature';
import type { SignatureSpec } from '../../nodes/shared/triggers/types';

const SECRET = 'whsec_3b1f0c9e8d7a6b5c4d3e2f1a';
const NOW = 1_760_000_000;
const body = Buffer.from('{"event":"task.created",  "title":"Caf\u00e9 \u2615"}');
const hmac = (algorithm: string, payload: string | Buffer, encoding: 'hex' | 'base64' = 'hex', secret = SECRET) =>
	createHmac(algorithm, secret).update(payload).digest(encoding);

const github: SignatureSpec = {
	algorithm: 'sha256',
	encoding: 'hex',
	header: 'X-Hub-Signature-256',
	prefix: 'sha256=',
	payload: '{body}',
	toleranceSeconds: 300,
};
const slack: SignatureSpec = {
	algorithm: 'sha256',
	encoding: 'hex',
	header: 'X-Slack-Signature',
	prefix: 'v0=',
	payload: 'v0:{timestamp}:{body}',
	timestampHeader: 'X-Slack-Request-Timestamp',
	toleranceSeconds: 300,
};
const stripe: SignatureSpec = {
	algorithm: 'sha256',
	encoding: 'hex',
	header: 'Stripe-Signature',
	payload: '{timestamp}.{body}',
	timestampKey: 't',
	signatureKey: 'v1',
	toleranceSeconds: 300,
};

describe('GitHub style: prefix, body only', () => {
	const headers = (value?: string) => (value === undefined ? {} : { 'x-hub-signature-256': value });

	it('accepts the HMAC of the raw bytes', () => {
		expect(verifySignature(github, SECRET, body, headers(`sha256=${hmac('sha256', body)}`), NOW)).toEqual({
			valid: true,
		});
	});

	it('rejects the same JSON re-serialised, since the sender signed the bytes it sent', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
		expect(verifySignature(github, SECRET, reserialised, headers(`sha256=${hmac('sha256', body)}`), NOW)).toEqual({
			valid: false,
			reason: 'signature does not match',
		});
	});

	it('rejects a missing header, a missing prefix, another secret and garbage without throwing', () => {
		expect(verifySignature(github, SECRET, body, headers(), NOW)).toEqual({
			valid: false,
			reason: 'missing X-Hub-Signature-256 header',
		});
		expect(verifySignature(github, SECRET, body, headers(hmac('sha256', body)), NOW).valid).toBe(false);
		expect(
			verifySignature(github, SECRET, body, headers(`sha256=${hmac('sha256', body, 'hex', 'other-secret')}`), NOW)
				.valid,
		).toBe(false);
		for (const junk of ['sha256=', 'sha256=zz', 'sha256=abc', `sha256=${hmac('sha256', body).slice(0, 62)}`]) {
			expect(verifySignature(github, SECRET, body, headers(junk), NOW).valid).toBe(false);
		}
	});
});

describe('Slack style: timestamp header in the signed payload', () => {
	const signed = (ts: number, secret = SECRET) => ({
		'x-slack-request-timestamp': String(ts),
		'x-slack-signature': `v0=${hmac('sha256', Buffer.concat([Buffer.from(`v0:${ts}:`), body]), 'hex', secret)}`,
	});

	it('accepts a fresh delivery, also at the edge of the window', () => {
		expect(verifySignature(slack, SECRET, body, signed(NOW - 10), NOW)).toEqual({ valid: true });
		expect(verifySignature(slack, SECRET, body, signed(NOW - 300), NOW)).toEqual({ valid: true });
	});

	it('rejects a replay outside the tolerance window, even when correctly signed', () => {
		expect(verifySignature(slack, SECRET, body, signed(NOW - 301), NOW)).toEqual({
			valid: false,
			reason: 'timestamp outside the tolerance window',
		});
		expect(verifySignature(slack, SECRET, body, signed(NOW + 3600), NOW).valid).toBe(false);
	});

	it('rejects a changed timestamp (it is part of what was signed) and a missing one', () => {
		const headers = signed(NOW);
		expect(
			verifySignature(slack, SECRET, body, { ...headers, 'x-slack-request-timestamp': String(NOW - 1) }, NOW)
				.valid,
		).toBe(false);
		const { 'x-slack-request-timestamp': _, ...withoutTimestamp } = headers;
		expect(verifySignature(slack, SECRET, body, withoutTimestamp, NOW)).toEqual({
			valid: false,
			reason: 'missing or unreadable timestamp',
		});
	});

	it('reads millisecond timestamps', () => {
		const ms = (NOW - 5) * 1000;
		const headers = {
			'x-slack-request-timestamp': String(ms),
			'x-slack-signature': `v0=${hmac('sha256', Buffer.concat([Buffer.from(`v0:${ms}:`), body]))}`,
		};
		expect(verifySignature(slack, SECRET, body, headers, NOW)).toEqual({ valid: true });
	});
});

describe('Stripe style: t=…,v1=… pairs', () => {
	const v1 = (ts: number, secret = SECRET) =>
		hmac('sha256', Buffer.concat([Buffer.from(`${ts}.`), body]), 'hex', secret);

	it('accepts when any v1 matches (secret rotation sends two)', () => {
		const header = `t=${NOW},v1=${v1(NOW, 'old-secret-123456')},v1=${v1(NOW)},v0=deadbeef`;
		expect(verifySignature(stripe, SECRET, body, { 'stripe-signature': header }, NOW)).toEqual({ valid: true });
	});

	it('rejects a stale t and a v0-only header', () => {
		expect(
			verifySignature(stripe, SECRET, body, { 'stripe-signature': `t=${NOW - 400},v1=${v1(NOW - 400)}` }, NOW)
				.valid,
		).toBe(false);
		expect(verifySignature(stripe, SECRET, body, { 'stripe-signature': `t=${NOW},v0=${v1(NOW)}` }, NOW).valid).toBe(
			false,
		);
	});
});

it.each([
	['sha1', 'hex'],
	['sha512', 'base64'],
	['sha256', 'base64'],
] as const)('%s / %s signatures verify and a one-byte change does not', (algorithm, encoding) => {
	const spec: SignatureSpec = {
		algorithm,
		encoding,
		header: 'X-Signature',
		payload: '{body}',
		toleranceSeconds: 300,
	};
	const good = hmac(algorithm, body, encoding);
	expect(verifySignature(spec, SECRET, body, { 'x-signature': good }, NOW)).toEqual({ valid: true });
	const changed = Buffer.from(body);
	changed[2] ^= 1;
	expect(verifySignature(spec, SECRET, changed, { 'x-signature': good }, NOW).valid).toBe(false);
});
