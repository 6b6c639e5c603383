/**
 * When an OAuth2 token is due for a refresh ahead of a 401: the credential's strategy and numbers
 * (held to seed 002's ranges), read against what n8n stores of the token. The refresh itself, its
 * storage and its use by the next run are proven in n8n (test/n8n/orbit-crm.test.ts).
 */
import { refreshDue, refreshPolicy } from '../../nodes/shared/token-refresh-policy';

const NOW = Date.UTC(2026, 5, 1, 12);
const HOUR = 3600_000;
/** What n8n stores for a token that lives an hour and was issued `ageMs` before NOW. */
const token = (ageMs: number, extra: Record<string, unknown> = {}) => ({
	access_token: 'at',
	expires_in: 3600,
	n8n_expires_at: String(NOW - ageMs + HOUR),
	...extra,
});
const automatic = refreshPolicy({ refreshStrategy: 'automatic', refreshBufferSeconds: 120 });
const every15Minutes = refreshPolicy({ refreshStrategy: 'customInterval', refreshIntervalSeconds: 900 });

it('automatic: due once within the buffer of the expiry n8n stored, not before', () => {
	expect(refreshDue(token(HOUR - 121_000), automatic, NOW, NOW)).toBe(false);
	expect(refreshDue(token(HOUR - 119_000), automatic, NOW, NOW)).toBe(true);
	expect(refreshDue(token(HOUR + 5000), automatic, NOW, NOW)).toBe(true);
});

it('automatic: without a stored expiry, the lifetime counts from when the token was first held; with none, never', () => {
	const unstamped = { access_token: 'at', expires_in: 600 };
	expect(refreshDue(unstamped, automatic, NOW - 470_000, NOW)).toBe(false);
	expect(refreshDue(unstamped, automatic, NOW - 490_000, NOW)).toBe(true);
	expect(refreshDue({ access_token: 'at' }, automatic, NOW - 100 * HOUR, NOW)).toBe(false);
});

it('automatic: a buffer longer than half the lifetime is cut to half, so short tokens are not refreshed per request', () => {
	const long = refreshPolicy({ refreshStrategy: 'automatic', refreshBufferSeconds: 3600 });
	const shortLived = (ageMs: number) => ({
		access_token: 'at',
		expires_in: 120,
		n8n_expires_at: String(NOW - ageMs + 120_000),
	});
	expect(refreshDue(shortLived(10_000), long, NOW, NOW)).toBe(false);
	expect(refreshDue(shortLived(61_000), long, NOW, NOW)).toBe(true);
});

it('custom interval: due once the token is the interval old, whatever its expiry', () => {
	expect(refreshDue(token(899_000), every15Minutes, NOW, NOW)).toBe(false);
	expect(refreshDue(token(901_000), every15Minutes, NOW, NOW)).toBe(true);
	// No lifetime given: the age counts from when this process first held the token or last refreshed it.
	const plain = { access_token: 'at' };
	expect(refreshDue(plain, every15Minutes, NOW - 899_000, NOW)).toBe(false);
	expect(refreshDue(plain, every15Minutes, NOW - 901_000, NOW)).toBe(true);
});

it('no token yet (client credentials before the first request): nothing to refresh, n8n fetches one', () => {
	expect(refreshDue(undefined, every15Minutes, 0, NOW)).toBe(false);
	expect(refreshDue({ access_token: '' }, automatic, 0, NOW)).toBe(false);
});

it('the credential’s numbers are held to the seed’s ranges; a missing or unknown strategy is automatic', () => {
	expect(refreshPolicy({ refreshStrategy: 'customInterval', refreshIntervalSeconds: 5 })).toMatchObject({
		strategy: 'customInterval',
		intervalMs: 300_000,
	});
	expect(refreshPolicy({ refreshIntervalSeconds: 10 ** 9, refreshBufferSeconds: 1 })).toEqual({
		strategy: 'automatic',
		bufferMs: 30_000,
		intervalMs: 86_400_000,
	});
	expect(refreshPolicy({ refreshStrategy: 'sometimes', refreshBufferSeconds: 'x' })).toEqual({
		strategy: 'automatic',
		bufferMs: 300_000,
		intervalMs: 3_600_000,
	});
});
