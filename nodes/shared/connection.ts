import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { previousStatus, recordHealth, shownHealth, type Health } from './health';
import { send, type Response, type Session } from './http';
import { rateLimitStatus } from './rate-limit';
import { readPath } from './paths';
import { grantedScopes } from './scopes';
import { connect, onBase, type Connection } from './session';
import type { IntegrationTable } from './types';

/**
 * Connection → Check: runs the credential's test request and reports instead of failing, so a
 * scheduled workflow can track health: the service, the connection's status and the permissions
 * granted, the account it acts as (where the definition names it), the seed's health fields (kept
 * per credential in the workflow's static data, which ordinary operations update too) and where the
 * credential stands against its rate limit.
 */
export async function checkConnection(
	this: IExecuteFunctions,
	table: IntegrationTable,
	i: number,
): Promise<IDataObject> {
	const checkedAt = new Date().toISOString();
	const test = await testConnection.call(this, table, i);
	const { session, credentials, before, health, latencyMs } = test;
	const about = {
		service: table.displayName,
		credential: session.errors.credentialName ?? null,
		scopes: session.variant.kind === 'oauth2' && credentials ? [...grantedScopes(credentials)] : null,
	};
	// What an alert workflow (Schedule Trigger → Check → If statusChanged) tells people about.
	const transition = {
		...shownHealth(health),
		previousStatus: before,
		statusChanged: health.connectionStatus !== before,
	};
	const rateLimit = rateLimitStatus(session.limiterKey, session.rateLimits) ?? null;
	if (test.ok)
		return {
			status: 'ok',
			httpStatus: httpStatusOf(test),
			checkedAt,
			latencyMs,
			...about,
			account: table.connectionTest?.account ? accountOf(test.response.body, table.connectionTest.account) : null,
			error: null,
			...transition,
			rateLimit,
		};
	// send() only throws errors it built, already redacted and carrying the service's message.
	const e = test.error as NodeApiError;
	return {
		status: 'failed',
		httpStatus: httpStatusOf(test),
		checkedAt,
		latencyMs,
		...about,
		account: null,
		error: e.message,
		detail: e.description ?? null,
		...transition,
		rateLimit,
	};
}

/** One run of the credential's test request, its outcome recorded in the connection's health. */
export type ConnectionTest = {
	session: Session;
	credentials: Connection['credentials'];
	/** The connection's status before this test. */
	before: Health['connectionStatus'];
	health: Health;
	latencyMs: number;
} & ({ ok: true; response: Response } | { ok: false; error: unknown });

/**
 * Runs the definition's connection test once and records the outcome: what Check reports and the
 * Connection Status Changed trigger watches.
 */
export async function testConnection(
	this: IExecuteFunctions,
	table: IntegrationTable,
	i: number,
): Promise<ConnectionTest> {
	const test: NonNullable<IntegrationTable['connectionTest']> = table.connectionTest ?? { method: 'GET', path: '' };
	const { session, baseUrl, credentials } = onBase(await connect.call(this, table, i), table, test.baseUrl);
	const before = previousStatus.call(this, session);
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
		const latencyMs = Date.now() - started;
		return {
			ok: true,
			session,
			credentials,
			before,
			latencyMs,
			response,
			health: recordHealth.call(this, session),
		};
	} catch (error) {
		const latencyMs = Date.now() - started;
		return {
			ok: false,
			session,
			credentials,
			before,
			latencyMs,
			error,
			health: recordHealth.call(this, session, error),
		};
	}
}

/** The status the test's answer had: the response's, or the error's where the service answered at all. */
export function httpStatusOf(test: ConnectionTest): number | null {
	if (test.ok) return test.response.statusCode;
	const { httpCode } = test.error as NodeApiError;
	return httpCode ? Number(httpCode) : null;
}

/** Who the credential acts as (user, workspace), read from the test's answer where the definition says. */
function accountOf(body: unknown, paths: Record<string, string>): IDataObject {
	return Object.fromEntries(
		Object.entries(paths).map(([field, path]) => {
			const value = readPath(body, path);
			return [field, typeof value === 'string' || typeof value === 'number' ? value : null];
		}),
	);
}
