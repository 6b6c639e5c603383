import { createHash } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { serviceWords } from './errors';
import type { Session } from './http';

/** A connection's health as seed 000 defines it, per credential, kept in the workflow's static data. */
export interface Health {
	/** active, or expired (reconnect) / error (see lastError) after a failure. */
	connectionStatus: 'active' | 'expired' | 'error';
	lastValidatedAt: string | null;
	/** Failures since the last success; any success resets it. */
	consecutiveFailures: number;
	/** The service's own words for the last failure (or ours when it said nothing). */
	lastError: string | null;
	/** When the API key was last seen to change. */
	rotatedAt: string | null;
	/** A hash of the key, to notice a rotation without keeping the key. */
	keyHash?: string;
}

/**
 * Records the outcome of a request made with a credential — by Check or an ordinary operation — in
 * the workflow's static data, which every node of the workflow shares and n8n keeps between the
 * executions of an active workflow. Returns the health as it now stands.
 */
export function recordHealth(this: IExecuteFunctions, session: Session, error?: unknown, now = new Date()): Health {
	const state = this.getWorkflowStaticData('global');
	const key = healthKey(session);
	const previous = (state[key] as unknown as Health | undefined) ?? {
		connectionStatus: 'active',
		lastValidatedAt: null,
		consecutiveFailures: 0,
		lastError: null,
		rotatedAt: null,
	};
	const keyHash = session.variant.kind === 'apiKey' || session.variant.kind === 'basic' ? hashOf(session) : undefined;
	const rotated = keyHash !== undefined && previous.keyHash !== undefined && keyHash !== previous.keyHash;
	const at = now.toISOString();
	const health: Health = error
		? {
				...previous,
				connectionStatus: expired(error) ? 'expired' : 'error',
				consecutiveFailures: previous.consecutiveFailures + 1,
				lastError: serviceWords(error) ?? (error as Error).message,
			}
		: { ...previous, connectionStatus: 'active', lastValidatedAt: at, consecutiveFailures: 0 };
	if (rotated) health.rotatedAt = at;
	if (keyHash !== undefined) health.keyHash = keyHash;
	state[key] = health as unknown as IDataObject;
	return health;
}

/** The connection's status before this request: a new connection counts as active. */
export function previousStatus(this: IExecuteFunctions, session: Session): Health['connectionStatus'] {
	const stored = this.getWorkflowStaticData('global')[healthKey(session)] as unknown as Health | undefined;
	return stored?.connectionStatus ?? 'active';
}

function healthKey(session: Session): string {
	return `health:${session.credentials?.id || session.errors.credentialName || session.table.name}`;
}

/** The health without its key hash, as Check shows it. */
export function shownHealth({ keyHash: _hash, ...shown }: Health): Omit<Health, 'keyHash'> {
	return shown;
}

/** A rejected credential (401, or a refresh token the service revoked) needs reconnecting. */
function expired(error: unknown): boolean {
	return (error as NodeApiError).httpCode === '401' || isReconnect(error);
}

/** The error reconnectError builds: the service revoked the credential's refresh token. */
export function isReconnect(error: unknown): boolean {
	return /can no longer get access to .*: reconnect it$/.test(String((error as Error | undefined)?.message));
}

function hashOf(session: Session): string {
	const secrets = [...session.errors.secrets].sort().join('\n');
	return createHash('sha256').update(secrets).digest('hex').slice(0, 16);
}
