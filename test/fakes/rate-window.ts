/**
 * A sliding-window rate limit as services keep it: at most `requests` per `perMs` for each key
 * (a token, a base). Fakes answer a request it refuses with the vendor's 429.
 */
export class RateWindow {
	private readonly arrivals = new Map<string, number[]>();

	/** Clock skew between n8n's limiter and the fake's arrival times that is not held against the client. */
	constructor(
		private readonly requests: number,
		private readonly perMs: number,
		private readonly toleranceMs = 50,
	) {}

	/** Records the arrival and says whether it was within the limit. */
	admit(key: string, at: number): boolean {
		const recent = (this.arrivals.get(key) ?? []).filter((t) => t > at - this.perMs + this.toleranceMs);
		const ok = recent.length < this.requests;
		recent.push(at);
		this.arrivals.set(key, recent);
		return ok;
	}
}
