/**
 * What the developer-tool fakes (GitHub, GitLab, Jira, PagerDuty) share: a numbered list paged
 * by `page`/`per_page` with RFC 8288 `Link` headers, answers queued to throttle the next
 * requests, and webhook deliveries posted to n8n the way a service posts them.
 */
import { createHmac } from 'node:crypto';
import type { FakeRequest, FakeResponse } from './server';

/** `page`/`per_page` (default 30, at most `max`) with next/last links that repeat the request's query. */
export function linkPage<T>(
	req: FakeRequest,
	all: T[],
	max = 100,
	extraHeaders: (page: number, last: number) => Record<string, string> = () => ({}),
): FakeResponse {
	const perPage = Math.min(Number(req.query.get('per_page') ?? 30), max);
	const page = Number(req.query.get('page') ?? 1);
	const last = Math.max(1, Math.ceil(all.length / perPage));
	const link = (p: number, rel: string) => {
		const url = new URL(req.url);
		url.searchParams.set('page', String(p));
		url.searchParams.set('per_page', String(perPage));
		return `<${url.toString()}>; rel="${rel}"`;
	};
	const links = [...(page < last ? [link(page + 1, 'next')] : []), link(1, 'first'), link(last, 'last')];
	return {
		status: 200,
		body: all.slice((page - 1) * perPage, page * perPage),
		headers: { link: links.join(', '), ...extraHeaders(page, last) },
	};
}

/** Answers to give instead of the real ones, next request first (throttling, outages). */
export class Throttle {
	private queue: Array<() => FakeResponse> = [];

	/** The next `count` requests get `answer()` (made at answer time, so reset times are fresh). */
	next(count: number, answer: () => FakeResponse): void {
		this.queue.push(...Array.from({ length: count }, () => answer));
	}

	clear(): void {
		this.queue = [];
	}

	take(): FakeResponse | undefined {
		return this.queue.shift()?.();
	}
}

export const hmacHex = (algorithm: 'sha1' | 'sha256', secret: string, body: string) =>
	createHmac(algorithm, secret).update(body).digest('hex');

/** POSTs a JSON body to a webhook URL with these headers (undefined ones left out); n8n's answer. */
export async function deliver(
	url: string,
	body: string,
	headers: Record<string, string | undefined>,
): Promise<{ status: number; body: string }> {
	const sent = Object.fromEntries(
		Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
	);
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...sent },
		body,
	});
	return { status: response.status, body: await response.text() };
}

/** `Bearer <token>` (or GitHub's older `token <token>`) → the token. */
export function bearer(req: FakeRequest, schemes = ['Bearer']): string | undefined {
	const [scheme, token] = (req.headers.authorization ?? '').split(' ');
	return schemes.some((s) => s.toLowerCase() === scheme?.toLowerCase()) && token ? token : undefined;
}
