/**
 * The pack lives beside n8n's own nodes. A workflow of n8n's own Slack node with n8n's own Slack
 * credential runs the same in an n8n without the pack and in one with it, and the credential
 * dialog (which renders from /types/credentials.json) still offers n8n's own Slack credential
 * fields next to ours. Before credential types were namespaced, the pack's `slackApi` replaced
 * n8n's in the global credential table: the Slack node then authenticated with our fields.
 * n8n's Slack node calls https://slack.com/api at a fixed URL, so n8n runs with HTTPS_PROXY set to
 * a loopback proxy that plays slack.com in front of our Slack fake.
 */
import { N8nInstance, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startSlack, type SlackFake } from '../fakes/slack';
import { startTlsProxy, type TlsProxy } from './tls-proxy';

let slack: SlackFake;
let proxy: TlsProxy;
let token: string;

const credential = { id: 'slackBuiltIn', name: 'Slack (n8n)' };
const builtInSlack: WorkflowNode = {
	name: 'Slack',
	type: 'n8n-nodes-base.slack',
	typeVersion: 2.3,
	credentials: { slackApi: credential },
	parameters: {
		authentication: 'accessToken',
		resource: 'message',
		operation: 'post',
		select: 'channel',
		channelId: { __rl: true, mode: 'id', value: 'C0GENERAL' },
		text: 'Deploy finished',
		otherOptions: { includeLinkToWorkflow: false },
	},
};

beforeAll(async () => {
	slack = await startSlack();
	proxy = await startTlsProxy('slack.com', slack.url);
	token = slack.issueToken(['chat:write']);
});

afterAll(async () => {
	await proxy?.close();
	await slack?.close();
});

/** An n8n (with the pack as custom extensions, or without) whose HTTPS goes through the proxy. */
async function n8nWith(pack: boolean): Promise<N8nInstance> {
	const n8n = await N8nInstance.create({
		...(pack ? {} : { extensions: [] }),
		env: { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: proxy.caFile },
	});
	await n8n.importCredentials([{ ...credential, type: 'slackApi', data: { accessToken: token } }]);
	return n8n;
}

/** What n8n's Slack node sent and returned, without the parts that differ per message. */
async function postWithBuiltInSlack(n8n: N8nInstance) {
	const before = slack.requests.length;
	const execution = await n8n.run([builtInSlack]);
	const sent = slack.requests.slice(before);
	const output = (execution.output.Slack ?? []).map(({ message_timestamp, message, ...rest }) => ({
		...rest,
		text: (message as { text?: string } | undefined)?.text,
		hasTs: Boolean(message_timestamp),
	}));
	return {
		error: execution.error,
		output,
		sent: sent.map((r) => ({
			method: r.method,
			path: r.path,
			authorization: r.headers.authorization,
			body: r.body,
		})),
	};
}

it("n8n's own Slack node and credential behave the same with the pack installed", async () => {
	const without = await n8nWith(false);
	const withPack = await n8nWith(true);
	try {
		const alone = await postWithBuiltInSlack(without);
		const beside = await postWithBuiltInSlack(withPack);
		expect(alone).toEqual({
			error: undefined,
			output: [expect.objectContaining({ ok: true, channel: 'C0GENERAL', text: 'Deploy finished', hasTs: true })],
			sent: [
				{
					method: 'POST',
					path: '/api/chat.postMessage',
					authorization: `Bearer ${token}`,
					body: expect.objectContaining({ channel: 'C0GENERAL', text: 'Deploy finished' }),
				},
			],
		});
		expect(beside).toEqual(alone);
		expect(proxy.connects.every((c) => c === 'slack.com:443')).toBe(true);
	} finally {
		without.dispose();
		withPack.dispose();
	}
});

it("the credential dialog offers n8n's own Slack credential fields beside the pack's", async () => {
	const n8n = await N8nInstance.create();
	const server = await N8nServer.start(n8n);
	try {
		const types = await server.typeDescriptions('credentials');
		const fields = (name: string) => types.find((t) => t.name === name)?.properties?.map((p) => p.name);
		// n8n's own fields, whatever n8n's server adds to every credential, and none of ours.
		expect(fields('slackApi')).toEqual(expect.arrayContaining(['accessToken', 'signatureSecret']));
		expect(fields('slackApi')).not.toContain('apiKey');
		expect(types.find((t) => t.name === 'slackApi')?.displayName).toBe('Slack API');
		expect(fields('rillsSlackApi')).toEqual(expect.arrayContaining(['apiUrl', 'apiKey', 'webhookSecret']));
		expect(types.find((t) => t.name === 'rillsSlackApi')?.displayName).toBe('Rills Slack API');
	} finally {
		await server.stop();
		n8n.dispose();
	}
});
