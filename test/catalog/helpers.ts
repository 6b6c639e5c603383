/**
 * What every catalog test does inside n8n: run action nodes and keep their logs, wait for a poll
 * that n8n runs on publishing, collect a trigger's executions, and scan everything n8n printed
 * or stored for the service's secrets.
 */
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import type { N8nServer, StoredExecution } from '../../scripts/harness/n8n-server';
import { waitFor } from '../triggers/wait';

export class CatalogRun {
	readonly logs: string[] = [];
	readonly secrets: string[] = [];

	constructor(readonly n8n: N8nInstance) {}

	static async create(): Promise<CatalogRun> {
		return new CatalogRun(await N8nInstance.create());
	}

	/** Runs the nodes in a chain behind a Manual Trigger and keeps the log for the secret scan. */
	async run(...nodes: WorkflowNode[]): Promise<Execution> {
		const execution = await this.n8n.run(nodes);
		this.logs.push(execution.log);
		return execution;
	}

	/** A polling workflow with one trigger node whose Poll Times never come: every poll is one n8n runs on publishing. */
	async pollingWorkflow(name: string, node: WorkflowNode): Promise<string> {
		return await this.n8n.importWorkflow({
			name,
			nodes: [{ ...node, name, parameters: { firstPoll: 'none', pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] }, ...node.parameters } }],
			connections: {},
		});
	}

	/** Log lines and stored executions that contain any secret (expected: none). */
	leaks(extra: string[] = []): string[] {
		return [...this.logs, ...extra].filter((text) => this.secrets.some((secret) => secret && text.includes(secret)));
	}
}

/** Publishes (or re-publishes) the workflow and waits until n8n's poll has made `requests` more requests. */
export async function publishAndPoll(server: N8nServer, workflowId: string, requestCount: () => number, requests: number, republish = false): Promise<void> {
	const before = requestCount();
	if (republish) await server.deactivate(workflowId);
	await server.activate(workflowId);
	await waitFor('the poll', () => (requestCount() >= before + requests ? true : undefined), 120_000);
}

/** The workflow's trigger executions once there are `count` and all finished. */
export async function triggerExecutions(server: N8nServer, workflowId: string, count: number): Promise<StoredExecution[]> {
	return await waitFor(`${count} trigger execution(s)`, async () => {
		const found = (await server.executions(workflowId)).filter((e) => e.mode === 'trigger' || e.mode === 'webhook');
		return found.length >= count && found.every((e) => e.status === 'success') ? found : undefined;
	});
}
