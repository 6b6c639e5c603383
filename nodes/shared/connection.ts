import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { send } from './http';
import { connect } from './session';
import type { IntegrationTable } from './types';

/**
 * Connection → Check: runs the credential's test request and reports instead of failing, so a
 * scheduled workflow can track health (last validated, consecutive failures, last error).
 */
export async function checkConnection(this: IExecuteFunctions, table: IntegrationTable, i: number): Promise<IDataObject> {
	const checkedAt = new Date().toISOString();
	const test = table.connectionTest ?? { method: 'GET' as const, path: '' };
	const { session, baseUrl } = await connect.call(this, table, i);
	const started = Date.now();
	// One attempt: a health check reports the failure rather than waiting it out.
	const once = { ...session, table: { ...table, retry: { ...table.retry, maxRetries: 0 } } };
	try {
		const response = await send.call(this, once, { method: test.method, url: baseUrl + test.path, json: true });
		return { status: 'ok', httpStatus: response.statusCode, checkedAt, latencyMs: Date.now() - started, credential: session.errors.credentialName ?? null, error: null };
	} catch (error) {
		// send() only throws errors it built, already redacted and carrying the service's message.
		const e = error as NodeApiError;
		return {
			status: 'failed',
			httpStatus: e.httpCode ? Number(e.httpCode) : null,
			checkedAt,
			latencyMs: Date.now() - started,
			credential: session.errors.credentialName ?? null,
			error: e.message,
			detail: e.description ?? null,
		};
	}
}
