/**
 * The declared rate limit as the service sees it: requests go over real HTTP to a loopback service
 * that records when each arrives, while some take longer than the limit's window between getting
 * their slot and reaching the service (a busy queue worker, an OAuth2 token lookup). The limiter
 * must still keep every window at the service within the limit.
 */
import { acquireSlot } from '../../nodes/shared/rate-limit';
import { json, startFake, type FakeService } from '../fakes/server';

const LIMIT = { requests: 5, perSeconds: 1 };
/** Arrival-time jitter the service does not hold against the client (as test/fakes/orbit-crm.ts). */
const TOLERANCE_MS = 50;

let service: FakeService;

beforeAll(async () => {
	service = await startFake(() => json(200, { ok: true }));
});

afterAll(async () => {
	await service.close();
});

/** The most requests that arrived within one window (less the tolerance). */
function peak(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let end = 0, start = 0; end < sorted.length; end++) {
		while (sorted[start] <= sorted[end] - LIMIT.perSeconds * 1000 + TOLERANCE_MS) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

it('holds 5 requests a second at the service while every other request takes longer than the window to leave', async () => {
	const key = 'rateLimitTest:slowRequests';
	// 10 concurrent callers of 3 requests each; every other request stalls 1.2 s between its slot and the wire.
	await Promise.all(
		Array.from({ length: 10 }, async (_, caller) => {
			for (let i = 0; i < 3; i++) {
				const done = await acquireSlot(key, [LIMIT]);
				try {
					if ((caller + i) % 2 === 0) await new Promise((resolve) => setTimeout(resolve, 1200));
					await (await fetch(`${service.url}/items`)).text();
				} finally {
					done();
				}
			}
		}),
	);
	expect(service.requests).toHaveLength(30);
	expect(peak(service.requests.map((r) => r.receivedAt))).toBeLessThanOrEqual(LIMIT.requests);
});
