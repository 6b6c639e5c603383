/**
 * Two signature sources added for Linear and Asana, checked against signatures computed here with
 * node:crypto the way each service documents them: Linear's `Linear-Signature` (hex HMAC-SHA256 of
 * the raw body) whose freshness is `webhookTimestamp` (epoch ms) inside that body, and Asana's
 * `X-Hook-Signature` keyed with the secret of its handshake, which a definition must say how to
 * receive.
 */
import { createHmac } from 'node:crypto';
import { verifySignature } from '../../nodes/shared/triggers/signature';
import type { SignatureSpec } from '../../nodes/shared/triggers/types';
import type { RawDefinition } from '../../scripts/model/definition';
import { triggerFindings } from '../../scripts/validate/triggers';

const SECRET = '5b0e3c1d9f7a4e2b8c6d0a1f3e5b7c9d';
const NOW_MS = 1_760_000_000_000;
const linear: SignatureSpec = {
	algorithm: 'sha256',
	encoding: 'hex',
	header: 'Linear-Signature',
	payload: '{body}',
	timestampPath: 'webhookTimestamp',
	toleranceSeconds: 60,
};
const signed = (body: string, secret = SECRET) => ({
	'linear-signature': createHmac('sha256', secret).update(body).digest('hex'),
});
const delivery = (timestamp: unknown) =>
	JSON.stringify({ action: 'create', type: 'Issue', data: { id: 'i1' }, webhookTimestamp: timestamp });

describe('a timestamp read from the signed body (Linear)', () => {
	it('accepts a fresh, correctly signed delivery', () => {
		const body = delivery(NOW_MS - 5_000);
		expect(verifySignature(linear, SECRET, Buffer.from(body), signed(body), NOW_MS / 1000)).toEqual({
			valid: true,
		});
	});

	it('rejects a delivery more than the tolerance (a minute) away, even when signed', () => {
		const body = delivery(NOW_MS - 61_000);
		expect(verifySignature(linear, SECRET, Buffer.from(body), signed(body), NOW_MS / 1000)).toEqual({
			valid: false,
			reason: 'timestamp outside the tolerance window',
		});
	});

	it('rejects a body without a timestamp, with one that is not a number, or that is not JSON', () => {
		for (const body of [
			JSON.stringify({ action: 'create' }),
			delivery({ at: NOW_MS }),
			delivery('soon'),
			'not json',
		]) {
			expect(verifySignature(linear, SECRET, Buffer.from(body), signed(body), NOW_MS / 1000)).toEqual({
				valid: false,
				reason: 'missing or unreadable timestamp',
			});
		}
	});

	it('a timestamp moved into the window breaks the signature, since the body carries it', () => {
		const original = delivery(NOW_MS - 3_600_000);
		const replayed = delivery(NOW_MS);
		expect(verifySignature(linear, SECRET, Buffer.from(replayed), signed(original), NOW_MS / 1000)).toEqual({
			valid: false,
			reason: 'signature does not match',
		});
	});
});

describe('definition findings', () => {
	const definition = (trigger: Record<string, unknown>): RawDefinition => ({
		name: 'x',
		displayName: 'X',
		description: 'X',
		baseUrl: 'https://x.example',
		auth: { type: 'none' },
		resources: { thing: { operations: { get: { method: 'GET', path: '/thing' } } } },
		triggers: [
			{
				type: 'webhook',
				name: 'changed',
				events: ['changed'],
				subscribe: { create: { path: '/webhooks', idPath: 'data.gid' }, delete: { path: '/webhooks/{id}' } },
				...trigger,
			},
		],
	});
	const rules = (raw: RawDefinition) => triggerFindings(raw).map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

	it('a handshake secret needs the header that carries it', () => {
		const signature = { secret: 'handshake', header: 'X-Hook-Signature' };
		expect(rules(definition({ signature }))).toContain(
			'error handshake-header-missing /triggers/0/signature/secret',
		);
		expect(rules(definition({ signature, challenge: { header: 'X-Hook-Secret' } }))).not.toContain(
			'error handshake-header-missing /triggers/0/signature/secret',
		);
	});

	it('a body timestamp counts as a replay window', () => {
		const signature = { secret: 'credential', header: 'Linear-Signature' };
		expect(rules(definition({ signature }))).toContain('warning no-replay-window /triggers/0/signature');
		expect(rules(definition({ signature: { ...signature, timestampPath: 'webhookTimestamp' } }))).toEqual([]);
	});
});
