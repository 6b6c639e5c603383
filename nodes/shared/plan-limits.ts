import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { IntegrationTable, RateLimit } from './types';

/**
 * Credential field holding a plan's own number of requests for a declared limit. Its own module: the
 * generator emits these fields, and the packed generator must not load the runtime (and lodash) for it.
 */
export function planLimitField(limit: RateLimit): string {
	return `rateLimit${limit.perSeconds}s`;
}

/** The declared limits, with the number of requests the credential's plan allows where it says one. */
export function planLimits(table: IntegrationTable, credentials: ICredentialDataDecryptedObject | undefined) {
	return table.rateLimits.map((limit) => {
		const requests = Number(credentials?.[planLimitField(limit)]);
		return Number.isInteger(requests) && requests > 0 ? { ...limit, requests } : limit;
	});
}
