import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { send } from './http';
import { connect, onBase } from './session';
import type { IntegrationTable } from './types';

/** What a node remembers between checks, per credential (n8n keeps it for active workflows). */
interface Health {
	lastValidated: string | null;
	consecutiveFailures: number;
	lastError: string | null;
}

/**
 * Connection → Check: runs the credential's test request and reports instead of failing, so a
 * scheduled workflow can track health: the seed's last validated time, consecutive failures and
 * last error, kept in the node's static data.
 */
export async function checkConnection(
	this: IExecuteFunctions,
	table: IntegrationTable,
	i: number,
): Promise<IDataObject> {
	const checkedAt = new Date().toISOString();
	const test: NonNullable<IntegrationTable['connectionTest']> = table.connectionTest ?? { method: 'GET', path: '' };
	const { session, baseUrl } = onBase(await connect.call(this, table, i), table, test.baseUrl);
	const credential = session.errors.credentialName ?? null;
	const remembered = this.getWorkflowStaticData('node') as Record<string, Health>;
	const previous = remembered[credential ?? ''] ?? { lastValidated: null, consecutiveFailures: 0, lastError: null };
	const started = Date.now();
	// One attempt: a health check reports the failure rather than waiting it out.
	const once = { ...session, table: { ...table, retry: { ...table.retry, maxRetries: 0 } } };
	try {
		const query = test.graphql ? { body: { query: test.graphql } } : {};
		const response = await send.call(
			this,
			once,
			{ method: test.method, url: baseUrl + test.path, json: true, ...query },
			test.graphql !== undefined,
		);
		const health = (remembered[credential ?? ''] = {
			lastValidated: checkedAt,
			consecutiveFailures: 0,
			lastError: null,
		});
		return {
			status: 'ok',
			httpStatus: response.statusCode,
			checkedAt,
			latencyMs: Date.now() - started,
			credential,
			error: null,
			...health,
		};
	} catch (error) {
		// send() only throws errors it built, already redacted and carrying the service's message.
		const e = error as NodeApiError;
		const health = (remembered[credential ?? ''] = {
			...previous,
			consecutiveFailures: previous.consecutiveFailures + 1,
			lastError: e.message,
		});
		return {
			status: 'failed',
			httpStatus: e.httpCode ? Number(e.httpCode) : null,
			checkedAt,
			latencyMs: Date.now() - started,
			credential,
			error: e.message,
			detail: e.description ?? null,
			...health,
		};
	}
}
