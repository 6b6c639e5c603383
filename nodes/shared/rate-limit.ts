import { sleep } from 'n8n-workflow';
import type { RateLimit } from './types';

/**
 * Sliding-window limiter, one window per (integration, credential) and declared limit. The state
 * lives in this module, so it holds per n8n process (main or queue worker), not across processes.
 */
const windows = new Map<string, number[]>();

export async function acquireSlot(key: string, limits: RateLimit[]): Promise<void> {
	if (limits.length === 0) return;
	for (;;) {
		const now = Date.now();
		let waitMs = 0;
		for (const limit of limits) {
			const sent = prune(`${key}|${limit.requests}/${limit.perSeconds}`, now, limit.perSeconds * 1000);
			if (sent.length >= limit.requests) waitMs = Math.max(waitMs, sent[sent.length - limit.requests] + limit.perSeconds * 1000 - now);
		}
		if (waitMs <= 0) {
			for (const limit of limits) windows.get(`${key}|${limit.requests}/${limit.perSeconds}`)!.push(now);
			return;
		}
		await sleep(waitMs);
	}
}

function prune(windowKey: string, now: number, spanMs: number): number[] {
	const sent = windows.get(windowKey) ?? [];
	const firstLive = sent.findIndex((t) => t > now - spanMs);
	const live = firstLive === -1 ? [] : sent.slice(firstLive);
	windows.set(windowKey, live);
	return live;
}
