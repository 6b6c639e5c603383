/**
 * Errors on the last n8n 1.x (1.123.81), whose errors for authenticated requests keep neither the
 * response nor its cause: a revoked OAuth2 refresh token still says to reconnect the credential
 * (1.x reports it with OAuth's text for invalid_grant and no error code, not as a network
 * failure). The Orbit CRM node, built as its own package, against the Orbit fake.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { N8nInstance } from '../../scripts/harness/n8n';
import { compilePackage } from '../../scripts/harness/package-build';
import { loadDefinition } from '../../scripts/load/definition';
import { credentialNames, namespaceOf } from '../../scripts/emit/names';
import { packageFiles, writeFiles } from '../../scripts/openapi/package';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';

const ROOT = join(__dirname, '..', '..');
const PACKAGE = 'n8n-nodes-orbit';
let orbit: OrbitCrmFake;
let n8n: N8nInstance;
let out: string;
/** The OAuth2 credential's type, as the package namespaces it. */
let credentialType: string;

beforeAll(async () => {
	const definition = join(ROOT, 'nodes', 'OrbitCrm', 'orbitCrm.integration.yaml');
	const { integration, findings } = loadDefinition(definition);
	if (!integration) throw new Error(JSON.stringify(findings));
	mkdirSync(join(ROOT, '.test-output'), { recursive: true });
	out = mkdtempSync(join(ROOT, '.test-output', 'orbit-1x-'));
	const oauth2 = integration.auth.find((a) => a.type === 'oauth2')!;
	credentialType = credentialNames(integration, oauth2, namespaceOf(PACKAGE)).name;
	writeFiles(out, packageFiles(integration, PACKAGE, 'orbitCrm.integration.yaml', dirname(definition)));
	compilePackage(out);
	orbit = await startOrbitCrm({ contactCount: 3 });
	n8n = await N8nInstance.create({ extensions: [join(out, 'dist')], version: '1.123.81' });
});

afterAll(async () => {
	n8n?.dispose();
	await orbit?.close();
	if (out) rmSync(out, { recursive: true, force: true });
});

it('n8n 1.123.81: a revoked refresh token gives the reconnect error, not a network error', async () => {
	const pair = orbit.grant(['contacts.read']);
	await n8n.importCredentials([
		{
			id: 'revoked',
			name: 'Orbit revoked',
			type: credentialType,
			data: {
				domain: orbit.url,
				clientId: orbit.client.id,
				clientSecret: orbit.client.secret,
				oauthTokenData: {
					access_token: pair.accessToken,
					refresh_token: pair.refreshToken,
					token_type: 'Bearer',
					scope: 'contacts.read',
				},
			},
		},
	]);
	orbit.expire(pair.accessToken);
	orbit.revoke(pair.refreshToken);
	const execution = await n8n.run([
		{
			name: 'Orbit',
			type: 'CUSTOM.orbitCrm',
			parameters: { resource: 'contact', operation: 'get', contactId: 'c1' },
			credentials: { [credentialType]: { id: 'revoked', name: 'Orbit revoked' } },
		},
	]);
	// n8n tried to refresh, and the token endpoint refused.
	expect(orbit.tokenRequests.length).toBeGreaterThanOrEqual(1);
	expect(execution.error?.message).toBe('"Orbit revoked" can no longer get access to Orbit CRM: reconnect it');
	expect(execution.error?.description).toContain('click Reconnect');
});
