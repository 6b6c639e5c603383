// Pure policy, no runtime import: the generator emits the credential's fields from it without loading the runtime.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Seed 002's "Token Refresh Strategy": `automatic` refreshes shortly before the token expires, `customInterval`
 * once the token is a fixed age, whatever its expiry. Either is besides n8n's own refresh after a 401.
 */
export type RefreshStrategy = 'automatic' | 'customInterval';

export const TOKEN_REFRESH_DEFAULTS = {
	refreshStrategy: 'automatic' as RefreshStrategy,
	refreshBufferSeconds: 300,
	refreshIntervalSeconds: 3600,
};

/** The credential fields holding the policy, and the ranges the seed allows for each. */
export const TOKEN_REFRESH_FIELDS = {
	strategy: 'refreshStrategy',
	buffer: { name: 'refreshBufferSeconds', min: 30, max: 3600 },
	interval: { name: 'refreshIntervalSeconds', min: 300, max: 86_400 },
} as const;

export interface RefreshPolicy {
	strategy: RefreshStrategy;
	bufferMs: number;
	intervalMs: number;
}

/** What n8n keeps of a token: `n8n_expires_at` (epoch ms, a string) is set when the response had `expires_in`. */
interface StoredToken {
	access_token?: unknown;
	expires_in?: unknown;
	n8n_expires_at?: unknown;
}

/** The credential's policy, each number held to its range (a credential saved through the API may hold any). */
export function refreshPolicy(credentials: ICredentialDataDecryptedObject): RefreshPolicy {
	const { strategy, buffer, interval } = TOKEN_REFRESH_FIELDS;
	const seconds = (field: { name: string; min: number; max: number }, fallback: number) => {
		const value = Number(credentials[field.name]);
		return Math.min(field.max, Math.max(field.min, Number.isFinite(value) ? value : fallback)) * 1000;
	};
	return {
		strategy: credentials[strategy] === 'customInterval' ? 'customInterval' : 'automatic',
		bufferMs: seconds(buffer, TOKEN_REFRESH_DEFAULTS.refreshBufferSeconds),
		intervalMs: seconds(interval, TOKEN_REFRESH_DEFAULTS.refreshIntervalSeconds),
	};
}

/**
 * Whether the stored token is due for a refresh at `now`. Its issue time is n8n's expiry less its lifetime, or,
 * where the service gave no lifetime, `heldSince` (when this process first held it or last refreshed it). A
 * buffer longer than half the token's lifetime is cut to half, so a short-lived token is not refreshed on every
 * request.
 */
export function refreshDue(token: StoredToken | undefined, policy: RefreshPolicy, heldSince: number, now: number) {
	if (typeof token?.access_token !== 'string' || !token.access_token) return false;
	const lifetimeMs = Number(token.expires_in) * 1000;
	const storedExpiry = Number(token.n8n_expires_at);
	const hasLifetime = Number.isFinite(lifetimeMs) && lifetimeMs > 0;
	const expiresAt =
		Number.isFinite(storedExpiry) && storedExpiry > 0
			? storedExpiry
			: hasLifetime
				? heldSince + lifetimeMs
				: undefined;
	if (policy.strategy === 'customInterval') {
		const issuedAt = expiresAt !== undefined && hasLifetime ? expiresAt - lifetimeMs : heldSince;
		return now - issuedAt >= policy.intervalMs;
	}
	if (expiresAt === undefined) return false;
	const buffer = hasLifetime ? Math.min(policy.bufferMs, lifetimeMs / 2) : policy.bufferMs;
	return now >= expiresAt - buffer;
}
