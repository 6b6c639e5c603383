/**
 * What the catalog tests share around their one n8n: workflow runs whose logs are kept for the
 * secret scan, OAuth2 credentials holding a token the service issued (as after "Connect"), and
 * waiting for a trigger workflow's executions.
 */
import type { Execution, N8nInstance, WorkflowNode } from '../../scripts/harness/n8n';
import type { N8nServer, StoredExecution } from '../../scripts/harness/n8n-server';
import { waitFor } from '../triggers/wait';

export class CatalogRuns {
	/** Everything `n8n execute` printed, run by run. */
	readonly logs: string[] = [];

	constructor(readonly n8n: N8nInstance) {}

	/** The nodes chained behind a Manual Trigger, run once with `n8n execute`. */
	async run(...nodes: WorkflowNode[]): Promise<Execution> {
		const execution = await this.n8n.run(nodes);
		this.logs.push(execution.log);
		return execution;
	}
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

/** Imports an OAuth2 credential whose sign-in already happened: n8n sends its stored token. */
export async function importConnected(n8n: N8nInstance, credential: ConnectedCredential): Promise<Record<string, { id: string; name: string }>> {
	const { id, type, token, scopes, scopeSeparator = ' ', tokenType = 'Bearer', data } = credential;
	await n8n.importCredentials([{ id, name: id, type, data: { ...data, oauthTokenData: { access_token: token, token_type: tokenType, expires_in: 3599, scope: scopes.join(scopeSeparator) } } }]);
	return { [type]: { id, name: id } };
}

/** The workflow's executions once there are at least `count` and every one has finished successfully. */
export function finishedExecutions(server: N8nServer, workflowId: string, count: number): Promise<StoredExecution[]> {
	return waitFor(
		`${count} successful execution(s)`,
		async () => {
			const found = await server.executions(workflowId);
			return found.length >= count && found.every((e) => e.status === 'success') ? found : undefined;
		},
		120_000,
	);
}
