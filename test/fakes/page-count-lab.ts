/**
 * A page-numbered API that states its page count, up to 500 a page: `/items` in the body (`total_pages`),
 * `/linked` GitHub's way, in a Link header with `next` and `last` (and no count in the body). Its later
 * pages answer sooner (so concurrent reads get them out of order), and that can answer 429s with
 * Retry-After, 503s, and shrink right after its first page.
 */
import { createServer, type Server } from 'node:http';

export interface PageCountLab {
	url: string;
	items: Array<{ id: number }>;
	/** Page numbers asked for, in arrival order. */
	asked: number[];
	pageSizes: number[];
	/** Most requests in flight at once. */
	peak: number;
	/** Answer the next N requests 429 (Retry-After: 1). */
	throttle: number;
	/** Answer the next N requests 503. */
	fail: number;
	/** Items removed from the end right after page 1 is answered: its page count is out of date at once. */
	shrinkAfterFirst: number;
	/**
	 * Hold pages after the first until this many requests are in flight (or 5 s have passed), so `peak` shows the
	 * bound on a busy machine too, where requests go out more slowly than the later pages answer.
	 */
	gather: number;
	/** Back to `count` items and no requests seen or planned. */
	reset(): void;
	close(): Promise<void>;
}

export async function startPageCountLab(count: number): Promise<PageCountLab> {
	let inFlight = 0;
	const held: Array<() => void> = [];
	let holding: NodeJS.Timeout | undefined;
	const release = () => {
		clearTimeout(holding);
		holding = undefined;
		for (const answer of held.splice(0)) answer();
	};
	const lab = {
		reset() {
			Object.assign(lab, {
				asked: [],
				pageSizes: [],
				peak: 0,
				throttle: 0,
				fail: 0,
				shrinkAfterFirst: 0,
				gather: 0,
			});
			lab.items = Array.from({ length: count }, (_, i) => ({ id: i + 1 }));
		},
	} as PageCountLab;
	lab.reset();
	const server: Server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://lab');
		const page = Number(url.searchParams.get('page') ?? 1);
		const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 500);
		lab.asked.push(page);
		lab.pageSizes.push(perPage);
		inFlight++;
		lab.peak = Math.max(lab.peak, inFlight);
		// Later pages answer sooner, so responses arrive out of order.
		const answer = () =>
			setTimeout(
				() => {
					inFlight--;
					if (lab.throttle > 0 && lab.throttle--) res.writeHead(429, { 'retry-after': '1' }).end('{}');
					else if (lab.fail > 0 && lab.fail--) res.writeHead(503).end('{}');
					else {
						const items = lab.items.slice((page - 1) * perPage, page * perPage);
						const pages = Math.ceil(lab.items.length / perPage);
						if (url.pathname === '/linked') {
							res.writeHead(200, {
								'content-type': 'application/json',
								link: links(page, pages, perPage),
							});
							res.end(JSON.stringify({ items }));
						} else {
							res.writeHead(200, { 'content-type': 'application/json' });
							res.end(JSON.stringify({ items, total_pages: pages }));
						}
						if (page === 1 && lab.shrinkAfterFirst) lab.items.splice(-lab.shrinkAfterFirst);
					}
				},
				Math.max(2, 40 - page * 4),
			);
		if (lab.gather > 0 && page > 1 && inFlight < lab.gather) {
			held.push(answer);
			holding ??= setTimeout(release, 5_000);
		} else {
			release();
			answer();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	lab.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	const links = (page: number, pages: number, perPage: number) => {
		const at = (n: number) => `${lab.url}/linked?per_page=${perPage}&page=${n}`;
		return page < pages ? `<${at(page + 1)}>; rel="next", <${at(pages)}>; rel="last"` : '';
	};
	lab.close = () => new Promise((resolve) => server.close(() => resolve()));
	return lab;
}
