/**
 * Benchmark (not a test): Return All of `items` records from a loopback API that answers every
 * request `delay` ms late, as real APIs do, three ways that all end with one n8n item per record:
 *   - a node generated from a plain OpenAPI file (`GET /items?page&per_page`, per_page up to 1000,
 *     `total_pages` in the answer), as `n8n-rills generate` writes it, with its defaults;
 *   - n8n's HTTP Request node set to 1,000 per page, following the page number, plus Split Out;
 *   - a raw sequential keep-alive `fetch` loop at 1,000 per page, in a process of its own.
 * Node times are n8n's own (no CLI start-up); each delay is measured in `rounds` interleaved rounds.
 *   npx tsx scripts/bench/pagination-latency.ts [items] [rounds] [delays, comma-separated ms]
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { buildPackage, freshFolder } from '../harness/package-build';
import { N8nInstance, type Execution, type WorkflowNode } from '../harness/n8n';
import { importSpec } from '../openapi/import';
import { median } from './median';

const items = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const delays = (process.argv[4] ?? '20,100').split(',').map(Number);
const MAX_PAGE = 1000;

const SPEC = `openapi: 3.0.0
info: { title: Items, version: "1" }
servers: [{ url: "http://127.0.0.1/" }]
paths:
  /items:
    get:
      operationId: listItems
      tags: [items]
      parameters:
        - { name: page, in: query, schema: { type: integer, minimum: 1 } }
        - { name: per_page, in: query, schema: { type: integer, minimum: 1, maximum: ${MAX_PAGE}, default: 100 } }
      responses:
        "200":
          description: A page of items
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: { type: array, items: { type: object, properties: { id: { type: string } } } }
                  total_pages: { type: integer }
`;

/** The API: pages of up to 1,000, each answer `delay` ms late (changed between measurements). */
async function startApi(): Promise<{ url: string; setDelay(ms: number): void; close(): Promise<void> }> {
	let delay = 0;
	const records = Array.from({ length: items }, (_, i) => ({ id: `i${i + 1}`, name: `Item ${i + 1}` }));
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://api');
		const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
		const perPage = Math.min(MAX_PAGE, Number(url.searchParams.get('per_page') ?? 100));
		const body = JSON.stringify({
			items: records.slice((page - 1) * perPage, page * perPage),
			total_pages: Math.ceil(items / perPage),
		});
		setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), delay);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
		setDelay: (ms) => (delay = ms),
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

function httpRequestNodes(url: string): WorkflowNode[] {
	return [
		{
			name: 'HTTP',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url: `${url}/items`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'per_page', value: String(MAX_PAGE) }] },
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
							paginationCompleteWhen: 'other',
							completeExpression: '={{ $response.body.items.length === 0 }}',
							limitPagesFetched: false,
						},
					},
				},
			},
		},
		{
			name: 'Split',
			type: 'n8n-nodes-base.splitOut',
			parameters: { fieldToSplitOut: 'items', include: 'noOtherFields' },
		},
	];
}

const RAW_LOOP = `
const [url] = process.argv.slice(1);
(async () => {
	const start = performance.now();
	const items = [];
	for (let page = 1; ; page++) {
		const body = await (await fetch(url + '/items?per_page=${MAX_PAGE}&page=' + page)).json();
		for (const item of body.items) items.push({ json: item });
		if (page >= body.total_pages) break;
	}
	process.stdout.write(JSON.stringify({ ms: performance.now() - start, count: items.length }));
})();
`;

function rawLoop(n8n: N8nInstance, url: string): Promise<{ ms: number; count: number }> {
	return new Promise((resolve, reject) => {
		execFile(n8n.install.node, ['-e', RAW_LOOP, url], (error, stdout) =>
			error ? reject(error) : resolve(JSON.parse(stdout)),
		);
	});
}

const nodeMs = (execution: Execution, ...nodes: string[]) =>
	nodes.reduce((sum, node) => sum + (execution.nodeTimes[node] ?? 0), 0);

void (async () => {
	const work = freshFolder('bench-latency');
	const api = await startApi();
	writeFileSync(join(work, 'items.yaml'), SPEC.replace('http://127.0.0.1/', api.url));
	const { integration } = await importSpec(join(work, 'items.yaml'));
	buildPackage(join(work, 'pkg'), integration!, 'n8n-nodes-items', 'items.yaml');
	const n8n = await N8nInstance.create({ extensions: [join(work, 'pkg', 'dist')] });
	try {
		const ours: WorkflowNode = {
			name: 'Ours',
			type: 'CUSTOM.items',
			parameters: { resource: 'items', operation: 'getAll', returnAll: true },
		};
		const oursId = await n8n.importWorkflow({
			nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, ours],
		});
		const httpId = await n8n.importWorkflow({
			nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, ...httpRequestNodes(api.url)],
		});
		console.log(`Return All of ${items} items, page-numbered, median of ${rounds} rounds:`);
		for (const delay of delays) {
			api.setDelay(delay);
			const times = { raw: [] as number[], ours: [] as number[], http: [] as number[] };
			for (let round = 0; round < rounds; round++) {
				const raw = await rawLoop(n8n, api.url);
				const mine = await n8n.execute(oursId);
				const http = await n8n.execute(httpId);
				const counts = [raw.count, mine.output.Ours?.length, http.output.Split?.length];
				if (counts.some((c) => c !== items))
					throw new Error(
						`not every run read every item: ${JSON.stringify(counts)} ${mine.error?.message ?? ''}`,
					);
				times.raw.push(raw.ms);
				times.ours.push(nodeMs(mine, 'Ours'));
				times.http.push(nodeMs(http, 'HTTP', 'Split'));
			}
			const m = { raw: median(times.raw), ours: median(times.ours), http: median(times.http) };
			console.log(
				`  ${delay} ms a request: ours ${m.ours} ms, HTTP Request + Split Out ${m.http} ms, raw sequential loop ${m.raw.toFixed(0)} ms` +
					` → ours ${(m.raw / m.ours).toFixed(2)}× the raw loop's speed, ${(m.http / m.ours).toFixed(2)}× the HTTP Request node's`,
			);
		}
	} finally {
		n8n.dispose();
		await api.close();
		rmSync(work, { recursive: true, force: true });
	}
})();
