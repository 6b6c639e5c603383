import { sleep } from 'n8n-workflow';
import type { RateLimit } from './types';

/**
 * Sliding-window limiter, one window per (integration, credential) and declared limit. The state
 * lives in this module, so it holds per n8n process (main or queue worker), not across processes.
 * A request's slot counts from when its response arrived (`done`), not from when it was granted:
 * time spent between the two — an OAuth2 token fetch, a busy event loop — could otherwise bunch
 * requests closer together at the service than the limit allows.
 */
const windows = new Map<string, Array<{ at: number }>>();

export async function acquireSlot(key: string, limits: RateLimit[]): Promise<() => void> {
	if (limits.length === 0) return () => undefined;
	for (;;) {
		const now = Date.now();
		let waitMs = 0;
		for (const limit of limits) {
			const sent = prune(`${key}|${limit.requests}/${limit.perSeconds}`, now, limit.perSeconds * 1000);
			if (sent.length >= limit.requests) waitMs = Math.max(waitMs, sent[sent.length - limit.requests].at + limit.perSeconds * 1000 - now);
		}
		if (waitMs <= 0) {
			const slot = { at: now };
			for (const limit of limits) windows.get(`${key}|${limit.requests}/${limit.perSeconds}`)!.push(slot);
			return () => {
				slot.at = Date.now();
			};
		}
		await sleep(waitMs);
	}
}

function prune(windowKey: string, now: number, spanMs: number): Array<{ at: number }> {
	const live = (windows.get(windowKey) ?? []).filter((s) => s.at > now - spanMs).sort((a, b) => a.at - b.at);
	windows.set(windowKey, live);
	return live;
}
