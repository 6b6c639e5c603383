import { sleep } from 'n8n-workflow';
import type { RateLimit } from './types';

/** Where a credential stands against its rate limit, as Check and the node's hints show it. */
export interface RateLimitStatus {
	limit: number;
	remaining: number;
	/** When the window resets (ISO), or null when the service did not say. */
	resetAt: string | null;
	/** `service`: from the vendor's X-RateLimit-* headers; `declared`: counted against the definition's limit. */
	source: 'service' | 'declared';
}

/**
 * Sliding-window limiter, one window per (integration, credential) and declared limit. The state
 * lives in this module, so it holds per n8n process (main or queue worker), not across processes.
 * A request's slot counts from when its response arrived (`done`), not from when it was granted,
 * and holds its place for as long as the request is in flight: time spent between the two — an
 * OAuth2 token fetch, a busy event loop, a busy queue worker — could otherwise bunch requests
 * closer together at the service than the limit allows.
 */
interface Slot {
	at: number;
	inFlight: boolean;
}
const windows = new Map<string, Slot[]>();
/**
 * Until when the service asked a credential to wait (429 Retry-After): every request of it waits, not only the one
 * told.
 */
const pausedUntil = new Map<string, number>();
/** How often a request waiting only on requests still in flight looks again. */
const IN_FLIGHT_POLL_MS = 20;

export async function acquireSlot(key: string, limits: RateLimit[]): Promise<() => void> {
	for (;;) {
		const now = Date.now();
		const paused = (pausedUntil.get(key) ?? 0) - now;
		if (paused > 0) {
			await sleep(paused);
			continue;
		}
		if (limits.length === 0) return () => undefined;
		let waitMs = 0;
		for (const limit of limits) {
			const sent = prune(`${key}|${limit.requests}/${limit.perSeconds}`, now, limit.perSeconds * 1000);
			const oldest = sent[sent.length - limit.requests];
			if (oldest)
				waitMs = Math.max(
					waitMs,
					oldest.inFlight ? IN_FLIGHT_POLL_MS : oldest.at + limit.perSeconds * 1000 - now,
				);
		}
		if (waitMs <= 0) {
			const slot = { at: now, inFlight: true };
			for (const limit of limits) windows.get(`${key}|${limit.requests}/${limit.perSeconds}`)!.push(slot);
			return () => {
				slot.at = Date.now();
				slot.inFlight = false;
			};
		}
		await sleep(waitMs);
	}
}

/** The service said to wait: requests of this key in flight or yet to come hold off until then. */
export function pause(key: string, ms: number): void {
	pausedUntil.set(key, Math.max(pausedUntil.get(key) ?? 0, Date.now() + ms));
}

/** How long the service asked a key's requests to hold off from now; 0 when it did not. */
export function pausedFor(key: string, now = Date.now()): number {
	return Math.max(0, (pausedUntil.get(key) ?? 0) - now);
}

/** The window's slots that still count, answered ones by response time, then those in flight. */
function prune(windowKey: string, now: number, spanMs: number): Slot[] {
	const live = (windows.get(windowKey) ?? [])
		.filter((s) => s.inFlight || s.at > now - spanMs)
		.sort((a, b) => Number(a.inFlight) - Number(b.inFlight) || a.at - b.at);
	windows.set(windowKey, live);
	return live;
}

/** What the service last said about a key's limit in its response headers. */
const reported = new Map<string, { limit: number; remaining: number; resetAt?: number }>();

/** Remembers the vendor's own count (X-RateLimit-Limit/Remaining/Reset or the IETF RateLimit-* names). */
export function noteRateLimitHeaders(key: string, headers: Record<string, string>, resetSeconds?: number): void {
	const read = (name: string) =>
		Number(headers[`x-ratelimit-${name}`] ?? headers[`ratelimit-${name}`] ?? headers[`x-rate-limit-${name}`]);
	const limit = read('limit');
	const remaining = read('remaining');
	if (!Number.isFinite(limit) || !Number.isFinite(remaining)) return;
	reported.set(key, {
		limit,
		remaining,
		resetAt: resetSeconds === undefined ? undefined : Date.now() + resetSeconds * 1000,
	});
}

/**
 * The key's status: the service's count while its window lasts, else the declared limit nearest
 * to running out, counted in this process's window; undefined when neither is known.
 */
export function rateLimitStatus(key: string, limits: RateLimit[], now = Date.now()): RateLimitStatus | undefined {
	const told = reported.get(key);
	if (told && (told.resetAt === undefined || told.resetAt > now))
		return {
			limit: told.limit,
			remaining: told.remaining,
			resetAt: told.resetAt === undefined ? null : new Date(told.resetAt).toISOString(),
			source: 'service',
		};
	let status: RateLimitStatus | undefined;
	for (const limit of limits) {
		const spanMs = limit.perSeconds * 1000;
		const sent = prune(`${key}|${limit.requests}/${limit.perSeconds}`, now, spanMs);
		const remaining = Math.max(0, limit.requests - sent.length);
		if (status && remaining / limit.requests >= status.remaining / status.limit) continue;
		const oldest = sent.find((s) => !s.inFlight);
		status = {
			limit: limit.requests,
			remaining,
			resetAt: new Date((oldest?.at ?? now) + spanMs).toISOString(),
			source: 'declared',
		};
	}
	return status;
}
