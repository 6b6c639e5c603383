/**
 * API-key and basic credentials are filled in once per run from their `authenticate` properties
 * and sent through n8n's plain request helper, over real HTTP to a loopback server: the service
 * sees what n8n's httpRequestWithAuthentication would have sent (the credential's headers over
 * the request's own, its query parameters, basic auth), only on the credential's origin. OAuth
 * stays with n8n's signer.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { send } from '../../nodes/shared/http';
import { connect, signWith } from '../../nodes/shared/session';
import type { AuthVariantSpec, IntegrationTable } from '../../nodes/shared/types';

let server: Server;
let url: string;
const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		seen.push({ url: req.url ?? '', headers: req.headers });
		res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => new Promise((resolve) => server.close(resolve)));
beforeEach(() => seen.splice(0));

function table(variant: AuthVariantSpec): IntegrationTable {
	return { name: 'svc', displayName: 'Svc', baseUrl: '{server}', configDefaults: {}, auth: [variant], rateLimits: [], retry: { maxRetries: 0, maxWaitSeconds: 1, backoffSeconds: 0.1 }, operations: {} };
}

/** n8n's plain request helper over fetch; the authenticated one must not be called for a signed credential. */
function context(credentials: Record<string, unknown>, withAuthentication = jest.fn()): IExecuteFunctions {
	const httpRequest = async (options: IHttpRequestOptions) => {
		const target = new URL(options.url);
		for (const [k, v] of Object.entries(options.qs ?? {})) target.searchParams.set(k, String(v));
		const auth: Record<string, string> = options.auth ? { authorization: `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}` } : {};
		const response = await fetch(target, { method: options.method ?? 'GET', headers: { ...(options.headers as Record<string, string>), ...auth } });
		return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.json() };
	};
	return {
		getNode: () => ({ name: 'Svc', credentials: { svcApi: { id: 'c1', name: 'Svc key' } } }),
		getCredentials: async () => ({ server: url, ...credentials }),
		helpers: { httpRequest, httpRequestWithAuthentication: withAuthentication },
	} as unknown as IExecuteFunctions;
}

it('fills in the credential templates; a missing field is empty; other expressions are left to n8n', () => {
	const sign = { headers: { Authorization: '=Token token={{$credentials.apiKey}}', 'X-Client': 'rills', 'X-Team': '={{ $credentials.team }}' }, qs: { key: '={{$credentials.apiKey}}' } };
	expect(signWith(sign, { apiKey: 'k1' })).toEqual({ headers: { Authorization: 'Token token=k1', 'X-Client': 'rills', 'X-Team': '' }, qs: { key: 'k1' }, auth: undefined });
	expect(signWith({ headers: { Authorization: '={{$credentials.apiKey.toUpperCase()}}' } }, { apiKey: 'k1' })).toBeUndefined();
});

it('sends an API key header through httpRequest, over a header of the same name the request set, and only to the credential origin', async () => {
	const withAuthentication = jest.fn();
	const variant: AuthVariantSpec = { credentialType: 'svcApi', kind: 'apiKey', sign: { headers: { 'X-Key': '={{$credentials.apiKey}}' } } };
	const ctx = context({ apiKey: 'secret-1' }, withAuthentication);
	const { session } = await connect.call(ctx, table(variant), 0);
	await send.call(ctx, session, { method: 'GET', url: `${url}/items`, headers: { 'X-Key': 'from-request', Accept: 'application/json' }, json: true });
	expect(seen[0].headers['x-key']).toBe('secret-1');
	expect(seen[0].headers.accept).toBe('application/json');
	// Another origin (here: the same server by name) gets no credential.
	await send.call(ctx, session, { method: 'GET', url: `${url.replace('127.0.0.1', 'localhost')}/other`, json: true });
	expect(seen[1].headers['x-key']).toBeUndefined();
	expect(withAuthentication).not.toHaveBeenCalled();
});

it('sends query keys and basic auth as the credential says', async () => {
	const query: AuthVariantSpec = { credentialType: 'svcApi', kind: 'apiKey', sign: { qs: { key: '={{$credentials.apiKey}}', token: '={{$credentials.token}}' } } };
	const ctx = context({ apiKey: 'k', token: 't' });
	await send.call(ctx, (await connect.call(ctx, table(query), 0)).session, { method: 'GET', url: `${url}/boards`, qs: { fields: 'name' }, json: true });
	expect(new URL(seen[0].url, url).searchParams.toString()).toBe('fields=name&key=k&token=t');

	const basic: AuthVariantSpec = { credentialType: 'svcApi', kind: 'basic', sign: { auth: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' } } };
	const ctx2 = context({ username: 'ann', password: 'pw' });
	await send.call(ctx2, (await connect.call(ctx2, table(basic), 0)).session, { method: 'GET', url: `${url}/me`, json: true });
	expect(seen[1].headers.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
});

it('leaves OAuth2 credentials to n8n: httpRequestWithAuthentication signs and refreshes them', async () => {
	const withAuthentication = jest.fn().mockResolvedValue({ statusCode: 200, headers: {}, body: { ok: true } });
	const variant: AuthVariantSpec = { credentialType: 'svcOAuth2Api', kind: 'oauth2' };
	const ctx = context({ oauthTokenData: { access_token: 'a' } }, withAuthentication);
	const { session } = await connect.call(ctx, table(variant), 0);
	expect(session.signed).toBeUndefined();
	await send.call(ctx, session, { method: 'GET', url: `${url}/me`, json: true });
	expect(withAuthentication).toHaveBeenCalledTimes(1);
	expect(seen).toHaveLength(0);
});
