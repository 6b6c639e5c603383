/**
 * The Test button of an OAuth1 credential (n8n's community lint requires one): n8n signs the
 * connection test with the credential, and the Acme Tasks fake verifies the signature.
 */
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startAcmeTasks, type AcmeTasksFake } from '../fakes/acme-tasks';

const oauth1 = {
	consumerKey: 'acme-consumer',
	consumerSecret: 'acme-consumer-secret-55e1',
	token: 'acme-token',
	tokenSecret: 'acme-token-secret-0b9d',
};
let acme: AcmeTasksFake;
let n8n: N8nInstance;
let server: N8nServer;

const credential = (consumerSecret: string) => ({
	id: 'acmeOAuth1',
	name: 'Acme OAuth1',
	type: 'rillsAcmeTasksOAuth1Api',
	data: {
		server: acme.url,
		consumerKey: oauth1.consumerKey,
		consumerSecret,
		signatureMethod: 'HMAC-SHA256',
		oauthTokenData: { oauth_token: oauth1.token, oauth_token_secret: oauth1.tokenSecret },
	},
});

beforeAll(async () => {
	acme = await startAcmeTasks({ oauth1 });
	n8n = await N8nInstance.create();
	await n8n.importCredentials([credential(oauth1.consumerSecret)]);
	server = await N8nServer.start(n8n);
});

afterAll(async () => {
	await server?.stop();
	n8n?.dispose();
	await acme?.close();
});

it('succeeds with a signature the service verifies, and fails with the wrong consumer secret', async () => {
	expect(await server.testCredential(credential(oauth1.consumerSecret))).toMatchObject({ status: 'OK' });
	expect(acme.oauth1Verified.map((r) => r.path)).toEqual(['/api/v1/me']);
	expect(await server.testCredential(credential('not-the-secret'))).toMatchObject({ status: 'Error' });
	expect(acme.oauth1Verified).toHaveLength(1);
});
