import { sleep } from 'n8n-workflow';
import type { RateLimit } from './types';

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

/** The window's slots that still count, answered ones by response time, then those in flight. */
function prune(windowKey: string, now: number, spanMs: number): Slot[] {
	const live = (windows.get(windowKey) ?? [])
		.filter((s) => s.inFlight || s.at > now - spanMs)
		.sort((a, b) => Number(a.inFlight) - Number(b.inFlight) || a.at - b.at);
	windows.set(windowKey, live);
	return live;
}
