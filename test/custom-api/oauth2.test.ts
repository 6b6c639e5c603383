/**
 * The Custom API's OAuth2 credential: n8n's OAuth2 credential (authorization code or client
 * credentials) holding the same spec and settings as the API key one; the node runs it as an OAuth2
 * variant, and its Test checks the spec, the settings and, once connected, the token.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RillsCustomApi } from '../../credentials/RillsCustomApi.credentials';
import { RillsCustomOAuth2Api } from '../../credentials/RillsCustomOAuth2Api.credentials';
import { CustomApi } from '../../nodes/CustomApi/CustomApi.node';
import { compileSpec } from '../../nodes/CustomApi/compile';
import { testCustomApi } from '../../nodes/CustomApi/credential-test';
import { credentialTypeOf, tableFor } from '../../nodes/CustomApi/settings';

const SPEC = readFileSync(join(__dirname, 'fixtures', 'notes.openapi.json'), 'utf8');
const TOKEN = 'token-4c1e9b';

let server: Server;
let base: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		seen.push(req.headers);
		const ok = req.headers.authorization === `Bearer ${TOKEN}`;
		res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{"id":"acc_1"}' : '{}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => server.close());
beforeEach(() => seen.splice(0));

it('extends n8n OAuth2 with both grant types and holds every field of the API key credential but its auth', () => {
	const oauth2 = new RillsCustomOAuth2Api();
	expect(oauth2.extends).toEqual(['oAuth2Api']);
	const grant = oauth2.properties.find((p) => p.name === 'grantType')!;
	expect(grant.options!.map((o) => (o as { value: string }).value)).toEqual([
		'authorizationCode',
		'clientCredentials',
	]);
	const names = (props: Array<{ name: string }>) => props.map((p) => p.name);
	const own = ['authMethod', 'apiKey', 'authHeader', 'authPreamble', 'username', 'password'];
	const shared = names(new RillsCustomApi().properties).filter((n) => !own.includes(n));
	expect(names(oauth2.properties)).toEqual(expect.arrayContaining(shared));
});

it("the node's Authentication picks the credential; OAuth2 runs as an OAuth2 variant with the admin's headers", async () => {
	const node = new CustomApi().description;
	expect(node.credentials!.map((c) => [c.name, c.displayOptions?.show?.authentication])).toEqual([
		['rillsCustomApi', ['customApi']],
		['rillsCustomOAuth2Api', ['oAuth2']],
	]);
	expect(credentialTypeOf(undefined)).toBe('rillsCustomApi');
	const table = (await compileSpec(SPEC)).table!;
	const credentials = { extraHeaders: '{"X-Api-Version": "2"}' };
	expect(tableFor(credentials, table, credentialTypeOf('oAuth2')).auth).toEqual([
		{
			credentialType: 'rillsCustomOAuth2Api',
			kind: 'oauth2',
			extraHeaders: { 'X-Api-Version': '2' },
			scopesFromSpec: true,
		},
	]);
});

describe('Test', () => {
	const credentials = (data: Record<string, unknown>) => ({ spec: SPEC, baseUrl: base, ...data });

	it('before the admin connects: checks the spec and settings, sends nothing', async () => {
		expect(await testCustomApi(credentials({}), true)).toEqual({
			status: 'OK',
			message: expect.stringMatching(/^The spec and settings are usable; connect to sign in/),
		});
		expect(seen).toEqual([]);
		const wrong = await testCustomApi(credentials({ renamePattern: '[z-a]' }), true);
		expect(wrong).toEqual({ status: 'Error', message: expect.stringMatching(/not a valid regular expression/) });
	});

	it('once connected: sends the token as n8n does, and says when the API refuses it', async () => {
		const ok = await testCustomApi(credentials({ oauthTokenData: { access_token: TOKEN } }), true);
		expect(ok.status).toBe('OK');
		expect(seen[0].authorization).toBe(`Bearer ${TOKEN}`);
		const refused = await testCustomApi(credentials({ oauthTokenData: { access_token: 'expired' } }), true);
		expect(refused).toEqual({ status: 'Error', message: expect.stringMatching(/refused the credential .*401/) });
	});
});
