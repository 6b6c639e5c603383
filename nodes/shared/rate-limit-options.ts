import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { rateLimitStatus } from './rate-limit';
import { connect } from './session';
import type { Session } from './http';
import type { IntegrationTable } from './types';

/**
 * The field Options → Include Rate Limit Status adds to each output item: the same name and shape as Check's
 * `rateLimit`, so one expression (`$json.rateLimit.remaining`) reads both.
 */
export const RATE_LIMIT_FIELD = 'rateLimit';

/**
 * The credential's rate-limit status after item i's requests, when the user asked for it in the node's Options;
 * undefined when not asked, null when neither the service nor the definition gives a limit.
 */
export async function askedRateLimit(
	this: IExecuteFunctions,
	table: IntegrationTable,
	i: number,
): Promise<IDataObject | null | undefined> {
	if (!this.getNodeParameter('options.includeRateLimitStatus', i, false)) return undefined;
	const { session } = await connect.call(this, table, i);
	const status = rateLimitStatus(session.limiterKey, session.rateLimits);
	return status ? { ...status } : null;
}

/** Adds the status to items made for this input item (in place: a Return All may hand back 100,000 of them). */
export function withRateLimit(items: INodeExecutionData[], status: IDataObject | null | undefined): void {
	if (status === undefined) return;
	for (const item of items) item.json[RATE_LIMIT_FIELD] = status && { ...status };
}

/**
 * The session with the node's Options → Max Rate Limit Wait, where the user set one: a reset further away fails the
 * item with its retryAt instead of holding the worker (a Wait node behind the error output can wait for it).
 */
export function withMaxWait(this: IExecuteFunctions, session: Session, i: number): Session {
	const seconds = this.getNodeParameter('options.maxRateLimitWait', i, null);
	if (typeof seconds !== 'number' || !(seconds >= 0)) return session;
	const { table } = session;
	return { ...session, table: { ...table, retry: { ...table.retry, maxWaitSeconds: seconds } } };
}
