/**
 * Generated API-key and basic credentials authenticate with a function (n8n calls it for every
 * request instead of evaluating the declarative templates in its expression sandbox). It must add
 * what the declarative form adds; the catalog tests show the services receiving it inside n8n.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { credentialAuthentication } from '../../nodes/shared/credential-auth';

const request = (extra: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions => ({
	url: 'https://api.example.com/items',
	method: 'GET',
	...extra,
});

it('fills header templates (with a preamble) and puts them over a header of the same name the request set', async () => {
	const authenticate = credentialAuthentication({
		headers: {
			Authorization: '=Token token={{$credentials.apiKey}}',
			'X-Client': 'rills',
			'X-Team': '={{ $credentials.team }}',
		},
	});
	const signed = await authenticate(
		{ apiKey: 'k1', team: 7 },
		request({ headers: { Authorization: 'from-request', Accept: 'application/json' } }),
	);
	expect(signed.headers).toEqual({
		Authorization: 'Token token=k1',
		Accept: 'application/json',
		'X-Client': 'rills',
		'X-Team': '7',
	});
	expect(signed.url).toBe('https://api.example.com/items');
});

it('adds query keys beside the request’s own, and leaves a missing field empty', async () => {
	const authenticate = credentialAuthentication({
		qs: { key: '={{$credentials.apiKey}}', token: '={{$credentials.token}}' },
	});
	const signed = await authenticate({ apiKey: 'k' }, request({ qs: { fields: 'name' } }));
	expect(signed.qs).toEqual({ fields: 'name', key: 'k', token: '' });
	expect(signed.headers).toBeUndefined();
});

it('sets basic auth and leaves the request it was given unchanged', async () => {
	const original = request({ headers: { Accept: 'application/json' } });
	const signed = await credentialAuthentication({
		auth: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' },
	})({ username: 'ann', password: 'p{w}' }, original);
	expect(signed.auth).toEqual({ username: 'ann', password: 'p{w}' });
	expect(original).toEqual(request({ headers: { Accept: 'application/json' } }));
});
