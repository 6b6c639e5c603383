/**
 * The runtime pieces the Salesforce, HubSpot and Stripe definitions added, on their own: form
 * bodies in bracket notation (Stripe), signatures over method and URL (HubSpot v3), and error
 * lists (Salesforce). Their use inside n8n is in the catalog tests of those services.
 */
import { createHmac } from 'node:crypto';
import { serviceMessage } from '../../nodes/shared/errors';
import { encodeForm } from '../../nodes/shared/request';
import { verifySignature } from '../../nodes/shared/triggers/signature';
import type { SignatureSpec } from '../../nodes/shared/triggers/types';
import { parseBrackets } from '../fakes/stripe';

describe('encodeForm', () => {
	const body = { email: 'a@b.c', metadata: { plan: 'pro', seats: 3 }, enabled_events: ['a.b', 'c.d'], items: [{ price: 'p_1', quantity: 2 }], empty: null, on: true };

	it('brackets: nested objects, lists of values and lists of objects as Stripe reads them', () => {
		const encoded = encodeForm(body, 'brackets');
		expect(decodeURIComponent(encoded).split('&')).toEqual([
			'email=a@b.c',
			'metadata[plan]=pro',
			'metadata[seats]=3',
			'enabled_events[]=a.b',
			'enabled_events[]=c.d',
			'items[0][price]=p_1',
			'items[0][quantity]=2',
			'on=true',
		]);
		// Read back the way the Stripe fake (and Stripe) parse it.
		expect(parseBrackets(encoded)).toEqual({ email: 'a@b.c', metadata: { plan: 'pro', seats: '3' }, enabled_events: ['a.b', 'c.d'], items: [{ price: 'p_1', quantity: '2' }], on: 'true' });
	});

	it('without a style, objects stay JSON text in one field (unchanged behaviour)', () => {
		expect(new URLSearchParams(encodeForm({ a: 1, meta: { x: 1 } })).get('meta')).toBe('{"x":1}');
	});
});

describe('signatures over method and URL (HubSpot v3)', () => {
	const spec: SignatureSpec = { algorithm: 'sha256', encoding: 'base64', header: 'X-HubSpot-Signature-v3', timestampHeader: 'X-HubSpot-Request-Timestamp', payload: '{method}{url}{body}{timestamp}', toleranceSeconds: 300 };
	const secret = 'client-secret';
	const body = Buffer.from('[{"eventId":1}]');
	const url = 'https://n8n.example/webhook/abc/webhook';
	const now = 1_760_000_000;
	const sign = (method: string, signedUrl: string, ts = String(now * 1000)) => ({
		'x-hubspot-signature-v3': createHmac('sha256', secret).update(`${method}${signedUrl}${body.toString()}${ts}`).digest('base64'),
		'x-hubspot-request-timestamp': ts,
	});

	it('verifies method + URL + body + millisecond timestamp', () => {
		expect(verifySignature(spec, secret, body, sign('POST', url), now, { method: 'POST', url })).toEqual({ valid: true });
	});

	it('rejects a signature made for another URL or method, and a stale timestamp', () => {
		expect(verifySignature(spec, secret, body, sign('POST', 'https://elsewhere.example/hook'), now, { method: 'POST', url }).valid).toBe(false);
		expect(verifySignature(spec, secret, body, sign('GET', url), now, { method: 'POST', url }).valid).toBe(false);
		expect(verifySignature(spec, secret, body, sign('POST', url, String((now - 600) * 1000)), now, { method: 'POST', url })).toEqual({ valid: false, reason: 'timestamp outside the tolerance window' });
	});
});

it("a service's list of errors is quoted by its first message (Salesforce)", () => {
	expect(serviceMessage([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }])).toBe('TotalRequests Limit exceeded.');
});
