/**
 * What every catalog test does inside n8n: run action nodes and keep their logs, import OAuth2
 * credentials holding a token the service issued (as after "Connect"), wait for a poll that n8n
 * runs on publishing, collect a trigger's executions, and scan everything n8n printed or stored
 * for the service's secrets.
 */
import { N8nInstance, type CredentialImport, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer, type StoredExecution } from '../../scripts/harness/n8n-server';
import { waitFor } from '../triggers/wait';

export class CatalogRun {
	readonly logs: string[] = [];
	readonly secrets: string[] = [];

	private constructor(readonly n8n: N8nInstance) {}

	/**
	 * One `n8n start` for the whole file, started first: actions run through it (no n8n boot per run), and the
	 * file's `N8nServer.start` for triggers and pickers gets the same server.
	 */
	static async create(): Promise<CatalogRun> {
		const n8n = await N8nInstance.create();
		await N8nServer.start(n8n);
		return new CatalogRun(n8n);
	}

	/** Runs the nodes in a chain behind a Manual Trigger and keeps the log for the secret scan. */
	async run(...nodes: WorkflowNode[]): Promise<Execution> {
		const execution = await this.n8n.run(nodes);
		this.logs.push(execution.log);
		return execution;
	}

	/**
	 * A polling workflow with one trigger node whose Poll Times never come: every poll is one n8n runs on publishing.
	 */
	async pollingWorkflow(name: string, node: WorkflowNode): Promise<string> {
		return await this.n8n.importWorkflow({
			name,
			nodes: [
				{
					...node,
					name,
					parameters: {
						firstPoll: 'none',
						pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] },
						...node.parameters,
					},
				},
			],
			connections: {},
		});
	}

	/** Log lines and stored executions that contain any secret (expected: none). */
	leaks(extra: string[] = []): string[] {
		return [...this.logs, ...extra].filter((text) =>
			this.secrets.some((secret) => secret && text.includes(secret)),
		);
	}
}

/** Publishes (or re-publishes) the workflow and waits until n8n's poll has made `requests` more requests. */
export async function publishAndPoll(
	server: N8nServer,
	workflowId: string,
	requestCount: () => number,
	requests: number,
	republish = false,
): Promise<void> {
	const before = requestCount();
	if (republish) await server.deactivate(workflowId);
	await server.activate(workflowId);
	await waitFor('the poll', () => (requestCount() >= before + requests ? true : undefined), 120_000);
}

/** The workflow's trigger executions once there are `count` and all finished. */
export async function triggerExecutions(
	server: N8nServer,
	workflowId: string,
	count: number,
): Promise<StoredExecution[]> {
	return await waitFor(
		`${count} trigger execution(s)`,
		async () => {
			const found = (await server.executions(workflowId)).filter(
				(e) => e.mode === 'trigger' || e.mode === 'webhook',
			);
			return found.length >= count && found.every((e) => e.status === 'success') ? found : undefined;
		},
		120_000,
	);
}

export interface ConnectedCredential {
	id: string;
	type: string;
	/** The access token the fake issued. */
	token: string;
	/** The scopes the token response granted. */
	scopes: string[];
	/** How the service writes them in its token response (Slack: `,`). */
	scopeSeparator?: string;
	/** What the token response called the token (Slack: `bot`). */
	tokenType?: string;
	/** Config fields and client id/secret. */
	data: Record<string, unknown>;
}

/** An OAuth2 credential whose sign-in already happened, as n8n imports it: n8n sends its stored token. */
export function connectedCredential(credential: ConnectedCredential): CredentialImport {
	const { id, type, token, scopes, scopeSeparator = ' ', tokenType = 'Bearer', data } = credential;
	return {
		id,
		name: id,
		type,
		data: {
			...data,
			oauthTokenData: {
				access_token: token,
				token_type: tokenType,
				expires_in: 3599,
				scope: scopes.join(scopeSeparator),
			},
		},
	};
}

/** Imports a connected OAuth2 credential (connectedCredential) and returns how a node refers to it. */
export async function importConnected(
	n8n: N8nInstance,
	credential: ConnectedCredential,
): Promise<Record<string, { id: string; name: string }>> {
	await n8n.importCredentials([connectedCredential(credential)]);
	return { [credential.type]: { id: credential.id, name: credential.id } };
}

/** A node's credentials: credential type → the stored credential. */
export type CredentialRef = Record<string, { id: string; name: string }>;

/**
 * Action nodes of one service that each run once, whatever the items before them, with the
 * Authentication option that goes with the credential type they are given (`options`: type → option).
 */
export function actionNodes(type: string, options: Record<string, string>, common: Record<string, unknown> = {}) {
	return (name: string, parameters: Record<string, unknown>, credentials: CredentialRef): WorkflowNode => ({
		name,
		type,
		executeOnce: true,
		parameters: { authentication: options[Object.keys(credentials)[0]], ...common, ...parameters },
		credentials,
	});
}

/** A workflow of one webhook trigger node (its webhookId fixes the URL), published later by the test. */
export async function webhookWorkflow(
	n8n: N8nInstance,
	name: string,
	node: WorkflowNode & { webhookId: string },
): Promise<string> {
	return await n8n.importWorkflow({ name, nodes: [node], connections: {} });
}

/** Stops what a catalog test started: its n8n server, its n8n user folder and its fakes. */
export async function shutDown(
	server: N8nServer | undefined,
	catalog: CatalogRun | undefined,
	...fakes: Array<{ close(): Promise<void> } | undefined>
): Promise<void> {
	await server?.stop();
	await catalog?.n8n.close();
	for (const fake of fakes) await fake?.close();
}
