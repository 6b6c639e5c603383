/**
 * Seed 002's OAuth2 options inside a real n8n, each declared by a definition: the access token as a
 * query parameter and as a bare Authorization header (test/n8n/fixtures/oauthLab.integration.yaml,
 * built as its own package), and the authorization extra parameters reaching the service's consent
 * page through n8n's own Connect flow, after which n8n exchanges the code (with PKCE's verifier where
 * the grant says so) and the node uses the token it stored. Orbit CRM's suite connects its catalog
 * credential the same way.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { buildPackage } from '../../scripts/harness/package-build';
import { loadDefinition } from '../../scripts/load/definition';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';

const FIXTURES = join(__dirname, 'fixtures');
const OUT = join(__dirname, '..', '..', '.test-output', 'oauth-lab-package');
const QUERY = 'oauthLabOauthLabOAuth2Api';
const PLAIN = 'oauthLabOauthLabPkceOAuth2Api';

let n8n: N8nInstance;
let server: N8nServer;
let lab: OrbitCrmFake;
const logs: string[] = [];
const secrets: string[] = [];

async function getContact(type: string, id: string, contactId: string): Promise<Execution> {
	const node: WorkflowNode = {
		name: 'Lab',
		type: 'CUSTOM.oauthLab',
		parameters: {
			authentication: type === QUERY ? 'oAuth2' : 'oAuth2Pkce',
			resource: 'contact',
			operation: 'get',
			contactId,
		},
		credentials: { [type]: { id, name: `Lab ${id}` } },
	};
	const execution = await n8n.run([node]);
	logs.push(execution.log);
	return execution;
}

/** A credential of the fixture's, with a token the service issued when `connected`, else waiting for Connect. */
async function labCredential(type: string, id: string, connected: boolean): Promise<string | undefined> {
	const pair = connected ? lab.grant(['contacts.read']) : undefined;
	if (pair) secrets.push(pair.accessToken, pair.refreshToken);
	await n8n.importCredentials([
		{
			id,
			name: `Lab ${id}`,
			type,
			data: {
				domain: lab.url,
				clientId: lab.client.id,
				clientSecret: lab.client.secret,
				...(pair
					? {
							oauthTokenData: {
								access_token: pair.accessToken,
								refresh_token: pair.refreshToken,
								token_type: 'Bearer',
								scope: 'contacts.read',
							},
						}
					: {}),
			},
		},
	]);
	return pair?.accessToken;
}

const contactRequests = (contactId: string) => lab.requests.filter((r) => r.path === `/v2/contacts/${contactId}`);

beforeAll(async () => {
	const { integration, findings } = loadDefinition(join(FIXTURES, 'oauthLab.integration.yaml'));
	if (!integration) throw new Error(JSON.stringify(findings, null, 2));
	rmSync(OUT, { recursive: true, force: true });
	buildPackage(OUT, integration, 'n8n-nodes-oauth-lab', 'oauthLab.integration.yaml', FIXTURES);
	// The service takes the token only in the forms the fixture declares: never as a Bearer header.
	lab = await startOrbitCrm({ contactCount: 5, tokenForms: ['query', 'plain'] });
	secrets.push(lab.client.secret);
	n8n = await N8nInstance.create({ extensions: [join(OUT, 'dist')] });
	server = await N8nServer.start(n8n);
});

afterAll(async () => {
	await n8n?.close();
	await lab?.close();
});

beforeEach(() => {
	lab.requests.splice(0);
	lab.tokenRequests.splice(0);
	lab.authorizations.splice(0);
});

it('tokenScheme query: the access token travels as the access_token query parameter, not in a header', async () => {
	const token = await labCredential(QUERY, 'query', true);
	const execution = await getContact(QUERY, 'query', 'c1');
	expect(execution.error).toBeUndefined();
	expect(execution.output.Lab).toEqual([lab.contacts[0]]);
	const [request] = contactRequests('c1');
	expect(request.query.get('access_token')).toBe(token);
	expect(request.headers.authorization).toBeUndefined();
});

it('tokenScheme query: a service that repeats the URL in its error does not put the token in the error', async () => {
	const token = await labCredential(QUERY, 'queryEcho', true);
	const execution = await getContact(QUERY, 'queryEcho', 'echo');
	expect(contactRequests('echo')[0].query.get('access_token')).toBe(token);
	const said = `${execution.error?.message} ${execution.error?.description}`;
	expect(said).toContain('Cannot read');
	expect(said).not.toContain(token);
});

it('tokenScheme plain: the access token is the whole Authorization header, without "Bearer"', async () => {
	const token = await labCredential(PLAIN, 'plain', true);
	const execution = await getContact(PLAIN, 'plain', 'c2');
	expect(execution.error).toBeUndefined();
	expect(execution.output.Lab).toEqual([lab.contacts[1]]);
	const [request] = contactRequests('c2');
	expect(request.headers.authorization).toBe(token);
	expect(request.query.has('access_token')).toBe(false);
});

it('Connect sends the definition’s authorization extra parameters; n8n stores the token it exchanged', async () => {
	await labCredential(QUERY, 'connect', false);
	const page = await server.oauth2Connect('connect');
	expect(page).not.toMatch(/error/i);
	const [consent] = lab.authorizations;
	expect(consent.get('audience')).toBe('orbit-lab');
	expect(consent.get('prompt')).toBe('consent');
	expect(consent.get('scope')).toBe('contacts.read');
	expect(lab.tokenRequests).toEqual([{ grantType: 'authorization_code', clientAuth: 'header' }]);
	const execution = await getContact(QUERY, 'connect', 'c3');
	expect(execution.output.Lab).toEqual([lab.contacts[2]]);
	const token = contactRequests('c3')[0].query.get('access_token');
	expect(token).toMatch(/^at_/);
	secrets.push(token!);
});

it('PKCE Connect: the consent page gets a S256 challenge and the code is exchanged with its verifier', async () => {
	await labCredential(PLAIN, 'pkceConnect', false);
	const page = await server.oauth2Connect('pkceConnect');
	expect(page).not.toMatch(/error/i);
	const [consent] = lab.authorizations;
	expect(consent.get('code_challenge_method')).toBe('S256');
	expect(consent.get('code_challenge')).toMatch(/^[\w-]{43}$/);
	// The fake issues a token only for the verifier matching the challenge.
	expect(lab.tokenRequests.map((r) => r.grantType)).toEqual(['authorization_code']);
	const execution = await getContact(PLAIN, 'pkceConnect', 'c4');
	expect(execution.output.Lab).toEqual([lab.contacts[3]]);
	secrets.push(contactRequests('c4')[0].headers.authorization);
});

it('no client secret or token appears in any output or log', () => {
	expect(logs.length).toBeGreaterThanOrEqual(4);
	for (const secret of secrets) expect(logs.filter((log) => log.includes(secret))).toEqual([]);
});
