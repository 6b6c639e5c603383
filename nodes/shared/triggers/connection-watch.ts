import type { IDataObject, IPollFunctions, NodeApiError } from 'n8n-workflow';
import escapeRegExp from 'lodash/escapeRegExp';
import { httpStatusOf, testConnection, type ConnectionTest } from '../connection';
import type { Health } from '../health';
import type { IntegrationTable } from '../types';
import { asRequestContext } from './context';

/** Where the trigger keeps the status it last reported, in its node's static data. */
const REPORTED = 'reportedStatus';

/**
 * The Connection Status Changed event of a polling trigger: each poll runs the credential's
 * connection test as Connection → Check does (recording the health the same way) and emits one item
 * when the status differs from the one this trigger last reported. Before its first report the
 * trigger takes the connection as active — health's own default for a new connection — so the
 * first poll emits only when the connection is already failing. A manual run (Fetch Test Event)
 * always returns the current status and leaves what was reported alone.
 */
export async function watchConnection(this: IPollFunctions, table: IntegrationTable): Promise<IDataObject[]> {
	const context = asRequestContext(this);
	const checkedAt = new Date().toISOString();
	const test = await testConnection.call(context, table, 0);
	const state = this.getWorkflowStaticData('node');
	const reported = (state[REPORTED] as Health['connectionStatus'] | undefined) ?? 'active';
	const status = test.health.connectionStatus;
	if (this.getMode() !== 'trigger') return [statusItem(table, test, reported, checkedAt)];
	if (status === reported) return [];
	state[REPORTED] = status;
	return [statusItem(table, test, reported, checkedAt)];
}

function statusItem(
	table: IntegrationTable,
	test: ConnectionTest,
	previousStatus: Health['connectionStatus'],
	checkedAt: string,
): IDataObject {
	const { health, session } = test;
	const failure = test.ok ? undefined : (test.error as NodeApiError);
	return {
		service: table.displayName,
		credential: session.errors.credentialName ?? null,
		previousStatus,
		connectionStatus: health.connectionStatus,
		// The service's own words, redacted when the error was built; ours when it said nothing.
		lastError: health.connectionStatus === 'active' ? null : health.lastError,
		httpStatus: httpStatusOf(test),
		consecutiveFailures: health.consecutiveFailures,
		lastValidatedAt: health.lastValidatedAt,
		checkedAt,
		whatToDo: whatToDo(table, health, failure, session.errors.credentialName),
	};
}

/** What someone has to do about the connection's status, in one sentence; null when it works. */
export function whatToDo(
	table: IntegrationTable,
	health: Health,
	failure: NodeApiError | undefined,
	credentialName: string | undefined,
): string | null {
	const credential = credentialName ? `"${credentialName}"` : 'the credential';
	if (health.connectionStatus === 'active') return null;
	if (health.connectionStatus === 'expired')
		return `Reconnect ${credential}: open it and sign in again, or paste a new key.`;
	const code = failure?.httpCode;
	if (code === '403') {
		const scope = namedScope(table, health.lastError);
		return scope
			? `Grant the scope ${scope} to ${credential} and reconnect it.`
			: `Grant ${credential} the permission or scope ${table.displayName} asks for, then reconnect it.`;
	}
	if (code === '429') return `Wait: ${table.displayName} is throttling ${credential}; the next poll checks again.`;
	if (code && Number(code) >= 500)
		return `Nothing yet: ${table.displayName} had a problem; the next poll checks again. Contact it if this persists.`;
	if (!code) return `Check the base URL / domain on ${credential} and the network; the next poll checks again.`;
	return `See lastError, fix ${credential} or the service's settings; the next poll checks again.`;
}

/** A scope the service's error names, among those the definition's operations require or imply. */
function namedScope(table: IntegrationTable, said: string | null): string | undefined {
	if (!said) return undefined;
	const known = new Set<string>();
	for (const op of Object.values(table.operations)) for (const s of op.requiredScopes ?? []) known.add(s);
	for (const variant of table.auth)
		for (const [broad, narrow] of Object.entries(variant.scopeIncludes ?? {}))
			[broad, ...narrow].forEach((s) => known.add(s));
	// The longest first: `chat:write.public` before `chat:write`.
	return [...known]
		.sort((a, b) => b.length - a.length)
		.find((scope) => new RegExp(`(^|[\\s"'\`,=(])${escapeRegExp(scope)}($|[\\s"'\`,.;)])`).test(said));
}
