import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { isRevokedCredential, reconnectError } from './errors';
import type { Session } from './http';
import { refreshDue, refreshPolicy } from './token-refresh-policy';

/** Per credential: a digest of the access token this process holds, and since when it has held it. */
const held = new Map<string, { token: string; since: number }>();
/** Refreshes under way, per credential: pages fetched at once wait for one refresh rather than each starting one. */
const inFlight = new Map<string, Promise<IDataObject>>();
/**
 * Per credential: no refresh ahead until then, after one failed (a token endpoint that is down is not asked
 * per page).
 */
const quietUntil = new Map<string, number>();
const QUIET_AFTER_FAILURE_MS = 60_000;

/**
 * Refreshes an OAuth2 token before a request when the credential's refresh policy says it is due, through
 * n8n's own refresh (`helpers.refreshOAuth2Token`), which stores the new token in the credential under
 * n8n's lock as its refresh after a 401 does, so the next execution reads it. The session's copy of the
 * credential takes the new token too, and its errors keep it out. A refresh that fails for any reason but
 * revoked access lets the request go ahead with the token in hand (n8n still refreshes after a 401).
 * n8n 1.x has no such helper: there, only the 401 refreshes.
 */
export async function refreshAhead(this: IExecuteFunctions, session: Session): Promise<void> {
	const { variant } = session;
	const credentials = session.credentials?.data;
	const refresh = this.helpers.refreshOAuth2Token as IExecuteFunctions['helpers']['refreshOAuth2Token'] | undefined;
	if (variant.kind !== 'oauth2' || !credentials || !refresh) return;
	const token = credentials.oauthTokenData as IDataObject | undefined;
	const key = `${variant.credentialType}:${session.credentials?.id || session.credentials?.name}`;
	const now = Date.now();
	if ((quietUntil.get(key) ?? 0) > now) return;
	if (!refreshDue(token, refreshPolicy(credentials), heldSince(key, token, now), now)) return;
	let pending = inFlight.get(key);
	if (!pending) {
		pending = (refresh.call(this, variant.credentialType, variant.oauth2) as Promise<IDataObject>).finally(() =>
			inFlight.delete(key),
		);
		inFlight.set(key, pending);
	}
	try {
		const refreshed = await pending;
		credentials.oauthTokenData = refreshed;
		// The new tokens were unknown when the session listed what to keep out of its errors.
		for (const field of ['access_token', 'refresh_token'])
			if (typeof refreshed[field] === 'string') session.errors.secrets.push(refreshed[field]);
		held.set(key, { token: digest(refreshed.access_token), since: Date.now() });
	} catch (error) {
		if (isRevokedCredential(error)) throw reconnectError(session.errors);
		quietUntil.set(key, Date.now() + QUIET_AFTER_FAILURE_MS);
	}
}

function heldSince(key: string, token: IDataObject | undefined, now: number): number {
	const current = digest(token?.access_token);
	const entry = held.get(key);
	if (entry?.token === current) return entry.since;
	held.set(key, { token: current, since: now });
	return now;
}

function digest(token: unknown): string {
	return createHash('sha256').update(String(token)).digest('hex');
}
