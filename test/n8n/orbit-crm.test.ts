/**
 * The Orbit CRM node inside a real n8n: OAuth2 client credentials and authorization code (signed in
 * through n8n's Connect flow, or with a stored token), refresh after a 401, ahead of expiry and at an
 * interval, revocation, per-operation scopes, cursor pagination, the declared rate limit and 429
 * Retry-After.
 */
import { N8nServer } from '../../scripts/harness/n8n-server';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';

let n8n: N8nInstance;
let server: N8nServer;
let orbit: OrbitCrmFake;
const logs: string[] = [];
const secrets: string[] = [];

const clientCredentials = { rillsOrbitCrmClientCredentialsOAuth2Api: { id: 'orbitApp', name: 'Orbit app' } };
const orbitNode = (
	parameters: Record<string, unknown>,
	credentials: WorkflowNode['credentials'] = clientCredentials,
): WorkflowNode => ({
	name: 'Orbit',
	type: 'CUSTOM.orbitCrm',
	parameters: {
		authentication: credentials && 'rillsOrbitCrmOAuth2Api' in credentials ? 'oAuth2' : 'oAuth2ClientCredentials',
		...parameters,
	},
	credentials,
});

async function run(...nodes: WorkflowNode[]): Promise<Execution> {
	const execution = await n8n.run(nodes);
	logs.push(execution.log);
	return execution;
}

/**
 * A credential holding a token the service issued with these scopes (authorization code unless `type` says
 * otherwise), with `token` added to what n8n stores of it and `fields` to the credential's own.
 */
async function connectedCredential(
	id: string,
	scopes: string[],
	{
		token = {},
		fields = {},
		type = 'rillsOrbitCrmOAuth2Api',
	}: { token?: Record<string, unknown>; fields?: Record<string, unknown>; type?: string } = {},
): Promise<{ accessToken: string; refreshToken: string; ref: WorkflowNode['credentials'] }> {
	const pair = orbit.grant(scopes);
	secrets.push(pair.accessToken, pair.refreshToken);
	await n8n.importCredentials([
		{
			id,
			name: `Orbit ${id}`,
			type,
			data: {
				domain: orbit.url,
				clientId: orbit.client.id,
				clientSecret: orbit.client.secret,
				...fields,
				oauthTokenData: {
					access_token: pair.accessToken,
					refresh_token: pair.refreshToken,
					token_type: 'Bearer',
					scope: scopes.join(' '),
					...token,
				},
			},
		},
	]);
	return { ...pair, ref: { [type]: { id, name: `Orbit ${id}` } } };
}

/** What n8n stores of a token that lives an hour and was issued `ageSeconds` ago. */
const issuedAgo = (ageSeconds: number) => ({
	expires_in: 3600,
	n8n_expires_at: String(Date.now() + (3600 - ageSeconds) * 1000),
});

/** The bearer tokens the API saw on a path, each recorded as a secret. */
function bearers(path: string): string[] {
	const tokens = apiRequests(path).map((r) => r.headers.authorization?.replace(/^Bearer /, '') ?? '');
	secrets.push(...tokens.filter(Boolean));
	return tokens;
}

const apiRequests = (path: string) => orbit.requests.filter((r) => r.path === `/v2${path}`);

beforeAll(async () => {
	orbit = await startOrbitCrm({ contactCount: 330 });
	secrets.push(orbit.client.secret);
	n8n = await N8nInstance.create();
	// Runs go through one `n8n start` rather than an n8n boot per import and execute.
	server = await N8nServer.start(n8n);
	await n8n.importCredentials([
		{
			id: 'orbitApp',
			name: 'Orbit app',
			type: 'rillsOrbitCrmClientCredentialsOAuth2Api',
			data: { domain: orbit.url, clientId: orbit.client.id, clientSecret: orbit.client.secret },
		},
	]);
});

afterAll(async () => {
	await n8n?.close();
	await orbit?.close();
});

beforeEach(() => {
	orbit.requests.splice(0);
	orbit.tokenRequests.splice(0);
	orbit.throttleNext(0, 0);
});

it('client credentials: fetches a token with the client in the body and the scopes the operations need', async () => {
	const execution = await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'c7' }));
	expect(execution.output.Orbit).toEqual([orbit.contacts[6]]);
	expect(orbit.tokenRequests).toEqual([
		{ grantType: 'client_credentials', clientAuth: 'body', scope: 'contacts.read contacts.write deals.read' },
	]);
});

it('Return All follows the cursor over 7 pages, every contact once, within 5 requests a second', async () => {
	const execution = await run(orbitNode({ resource: 'contact', operation: 'getAll', returnAll: true }));
	expect(execution.error).toBeUndefined();
	expect(execution.output.Orbit.map((c) => c.id)).toEqual(orbit.contacts.map((c) => c.id));
	const pages = apiRequests('/contacts');
	expect(pages).toHaveLength(7);
	expect(pages.every((r) => r.query.get('limit') === '50')).toBe(true);
	expect(new Set(pages.map((r) => r.query.get('cursor'))).size).toBe(7);
	expect(orbit.violations).toEqual([]);
});

it('a 429 with Retry-After is waited out and the call succeeds', async () => {
	orbit.throttleNext(1, 2);
	const execution = await run(orbitNode({ resource: 'deal', operation: 'getAll', returnAll: true }));
	expect(execution.error).toBeUndefined();
	expect(execution.output.Orbit).toHaveLength(12);
	expect(apiRequests('/deals')).toHaveLength(2);
	// The retry came only after the 2 s the service asked for.
	expect(orbit.violations).toEqual([]);
});

it('a 429 that outlasts the retries says the limit was hit and when to try again', async () => {
	orbit.throttleNext(10, 1);
	const execution = await run(orbitNode({ resource: 'deal', operation: 'getAll', returnAll: false, limit: 5 }));
	expect(execution.error?.message).toBe('Orbit CRM rate limit hit: try again in 1 s');
	expect(execution.error?.description).toContain('Wait 1 s');
	expect(apiRequests('/deals')).toHaveLength(4);
});

it('creates a contact with a nested body field', async () => {
	const execution = await run(
		orbitNode({
			resource: 'contact',
			operation: 'create',
			name: 'Grace',
			additionalFields: { email: 'grace@example.com', companyName: 'Navy' },
		}),
	);
	expect(execution.output.Orbit[0]).toMatchObject({
		name: 'Grace',
		email: 'grace@example.com',
		company: { name: 'Navy' },
	});
	expect(apiRequests('/contacts')[0].body).toEqual({
		name: 'Grace',
		email: 'grace@example.com',
		company: { name: 'Navy' },
	});
});

it('Connect asks the consent page for offline access, as the definition says, and the node uses the token', async () => {
	await n8n.importCredentials([
		{
			id: 'signIn',
			name: 'Orbit signIn',
			type: 'rillsOrbitCrmOAuth2Api',
			data: { domain: orbit.url, clientId: orbit.client.id, clientSecret: orbit.client.secret },
		},
	]);
	expect(await server.oauth2Connect('signIn')).not.toMatch(/error/i);
	const [consent] = orbit.authorizations.splice(0);
	expect(consent.get('access_type')).toBe('offline');
	expect(consent.get('scope')).toBe('offline_access contacts.read contacts.write deals.read');
	expect(orbit.tokenRequests).toEqual([{ grantType: 'authorization_code', clientAuth: 'header' }]);
	const ref = { rillsOrbitCrmOAuth2Api: { id: 'signIn', name: 'Orbit signIn' } };
	const execution = await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'c11' }, ref));
	expect(execution.output.Orbit).toEqual([orbit.contacts[10]]);
	expect(bearers('/contacts/c11')).toHaveLength(1);
});

it('Check names the account the token belongs to, read where the definition says', async () => {
	const execution = await run(orbitNode({ resource: 'connection', operation: 'check' }));
	expect(execution.output.Orbit[0]).toMatchObject({
		status: 'ok',
		service: 'Orbit CRM',
		account: { user: 'Ada Admin', userId: 'u-ada', workspace: 'Acme' },
	});
});

it('a scope the credential was not granted fails only the operation that needs it', async () => {
	const { ref } = await connectedCredential('readOnly', ['contacts.read']);
	const denied = await run(orbitNode({ resource: 'deal', operation: 'getAll', returnAll: true }, ref));
	expect(denied.error?.message).toBe(
		'"Orbit readOnly" was not granted the scope deals.read that this operation needs',
	);
	expect(denied.error?.description).toContain('reconnect it');
	expect(apiRequests('/deals')).toEqual([]);
	const allowed = await run(orbitNode({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 3 }, ref));
	expect(allowed.output.Orbit.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
});

it('an expired access token is refreshed by n8n at the token endpoint and the call succeeds', async () => {
	const { accessToken, ref } = await connectedCredential('expiring', [
		'contacts.read',
		'deals.read',
		'offline_access',
	]);
	orbit.expire(accessToken);
	const first = await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'c2' }, ref));
	expect(first.error).toBeUndefined();
	expect(first.output.Orbit).toEqual([orbit.contacts[1]]);
	// The definition's includeClientOnRefresh: the client id and secret go in the body beside the Basic header.
	expect(orbit.tokenRequests).toEqual([{ grantType: 'refresh_token', clientAuth: 'both' }]);
	const [rejected, retried] = apiRequests('/contacts/c2');
	expect(rejected.headers.authorization).toBe(`Bearer ${accessToken}`);
	expect(retried.headers.authorization).not.toBe(`Bearer ${accessToken}`);
	secrets.push(retried.headers.authorization.slice('Bearer '.length));
	// n8n stored the new token: the next run uses it without refreshing again.
	const second = await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'c3' }, ref));
	expect(second.output.Orbit).toEqual([orbit.contacts[2]]);
	expect(orbit.tokenRequests).toHaveLength(1);
});

it('automatic refresh: a token within the buffer of its expiry is replaced before the call, and stored', async () => {
	const scopes = ['contacts.read', 'offline_access'];
	// The definition's buffer is 120 s: a token with 60 s left is due, one with 30 min left is not.
	const { ref: fresh } = await connectedCredential('fresh', scopes, { token: issuedAgo(1800) });
	await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'c4' }, fresh));
	expect(orbit.tokenRequests).toEqual([]);

	const { accessToken, ref } = await connectedCredential('nearExpiry', scopes, { token: issuedAgo(3540) });
	orbit.requests.splice(0);
	const first = await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'c5' }, ref));
	expect(first.error).toBeUndefined();
	expect(first.output.Orbit).toEqual([orbit.contacts[4]]);
	expect(orbit.tokenRequests).toEqual([{ grantType: 'refresh_token', clientAuth: 'both' }]);
	// No 401 came first: the one request carried the new token.
	const [used] = bearers('/contacts/c5');
	expect(apiRequests('/contacts/c5')).toHaveLength(1);
	expect(used).not.toBe(accessToken);

	// n8n stored it with its new expiry: the next run sends it and does not refresh again.
	const second = await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'c6' }, ref));
	expect(second.output.Orbit).toEqual([orbit.contacts[5]]);
	expect(bearers('/contacts/c6')).toEqual([used]);
	expect(orbit.tokenRequests).toHaveLength(1);
});

it('a token refreshed ahead within a run stays out of the error a service repeats it in', async () => {
	const { ref } = await connectedCredential('echoed', ['contacts.read'], { token: issuedAgo(3540) });
	const execution = await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'echo' }, ref));
	expect(orbit.tokenRequests).toHaveLength(1);
	const [fresh] = bearers('/contacts/echo');
	const said = `${execution.error?.message} ${execution.error?.description}`;
	expect(said).toContain('Cannot read');
	expect(said).toContain('[redacted]');
	expect(said).not.toContain(fresh);
});

it('custom interval: a token older than the interval is replaced though it has not expired', async () => {
	const type = 'rillsOrbitCrmClientCredentialsOAuth2Api';
	const node = (ref: WorkflowNode['credentials'], contactId: string) =>
		orbitNode({ resource: 'contact', operation: 'get', contactId }, ref);
	// 1,000 s old with 2,600 s to go: past the definition's 900 s interval, far from its expiry.
	const { accessToken, ref } = await connectedCredential('interval', ['contacts.read'], {
		type,
		token: issuedAgo(1000),
	});
	const execution = await run(node(ref, 'c8'));
	expect(execution.output.Orbit).toEqual([orbit.contacts[7]]);
	expect(orbit.tokenRequests).toEqual([
		{ grantType: 'client_credentials', clientAuth: 'body', scope: 'contacts.read contacts.write deals.read' },
	]);
	const [used] = bearers('/contacts/c8');
	expect(used).not.toBe(accessToken);
	const again = await run(node(ref, 'c9'));
	expect(bearers('/contacts/c9')).toEqual([used]);
	expect(again.error).toBeUndefined();
	expect(orbit.tokenRequests).toHaveLength(1);

	// The credential's own interval overrides the definition's: at 1,800 s the same token is kept.
	const { accessToken: kept, ref: edited } = await connectedCredential('longInterval', ['contacts.read'], {
		type,
		token: issuedAgo(1000),
		fields: { refreshStrategy: 'customInterval', refreshIntervalSeconds: 1800 },
	});
	await run(node(edited, 'c10'));
	expect(bearers('/contacts/c10')).toEqual([kept]);
	expect(orbit.tokenRequests).toHaveLength(1);
});

it('a revoked refresh token gives the reconnect error', async () => {
	const { accessToken, refreshToken, ref } = await connectedCredential('revoked', ['contacts.read']);
	orbit.expire(accessToken);
	orbit.revoke(refreshToken);
	const execution = await run(orbitNode({ resource: 'contact', operation: 'get', contactId: 'c1' }, ref));
	expect(execution.error?.message).toBe('"Orbit revoked" can no longer get access to Orbit CRM: reconnect it');
	expect(execution.error?.description).toContain('click Reconnect');
});

it('no client secret, access token or refresh token appears in any output or log', () => {
	expect(logs.length).toBeGreaterThan(5);
	for (const secret of secrets) expect(logs.filter((log) => log.includes(secret))).toEqual([]);
});
