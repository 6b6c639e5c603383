/**
 * Benchmark (not a test): Return All of `items` records (about 400 bytes each) from a loopback API that answers
 * every request `delay` ms late, as real APIs do, three ways that all end with one n8n item per record:
 *   - a node generated from a plain OpenAPI file, as `n8n-rills generate` writes it, with its defaults:
 *     `GET /items?page&per_page` (per_page up to 1000, `total_pages` in the answer) and
 *     `GET /records?cursor&limit` (limit up to 1000, `next_cursor` in the answer);
 *   - n8n's HTTP Request node at 1,000 per page, following the page number or the cursor, plus Split Out;
 *   - a raw sequential keep-alive `fetch` loop at 1,000 per page in a process of its own (its second pass, so
 *     its code is as warm as n8n's).
 * Both nodes run in one `n8n start`, as the editor's Execute button runs them, after three warm-up runs each;
 * times are n8n's own per-node times, the median of `rounds` rounds, each running one node `BLOCK` times, then the
 * other (who goes first alternates). Memory: the peak RSS of a whole
 * `n8n execute` process reading `memoryItems` records, beside one running a workflow with no node.
 *   npx tsx scripts/bench/pagination-latency.ts [items] [rounds] [delays, comma-separated ms] [memoryItems]
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { N8nServer, type StoredExecution } from '../harness/n8n-server';
import { buildPackage, freshFolder } from '../harness/package-build';
import { N8nInstance, type WorkflowNode } from '../harness/n8n';
import { importSpec } from '../openapi/import';
import { median } from './median';

const items = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 5);
const WARM_UPS = 3;
/**
 * Runs of one node in a row within a round. Run one after the other, the two nodes paid for each other's garbage:
 * the HTTP Request node's runs allocate more and start a collection's marking, whose steps and final pause then fell
 * in our faster-allocating run (seen with `--trace-gc`). In blocks, each pays for the collections it brings on.
 */
const BLOCK = 3;
const delays = (process.argv[4] ?? '0,20,100').split(',').map(Number);
const memoryItems = Number(process.argv[5] ?? 100_000);
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
                  items: { type: array, items: { $ref: "#/components/schemas/Record" } }
                  total_pages: { type: integer }
  /records:
    get:
      operationId: listRecords
      tags: [records]
      parameters:
        - { name: cursor, in: query, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: ${MAX_PAGE}, default: 100 } }
      responses:
        "200":
          description: A page of records
          content:
            application/json:
              schema:
                type: object
                properties:
                  records: { type: array, items: { $ref: "#/components/schemas/Record" } }
                  next_cursor: { type: string, nullable: true }
components:
  schemas:
    Record:
      type: object
      properties: { id: { type: string }, name: { type: string }, email: { type: string } }
`;

type Endpoint = 'page' | 'cursor';

/** The API: pages of up to 1,000, each answer `delay` ms late; how many records it holds can change. */
async function startApi(largest: number) {
	let delay = 0;
	let count = items;
	const records = Array.from({ length: largest }, (_, i) => ({
		id: `rec_${String(i + 1).padStart(8, '0')}`,
		name: `Record ${i + 1}`,
		email: `user${i + 1}@example.com`,
		status: i % 7 ? 'active' : 'archived',
		created_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
		tags: ['customer', i % 2 ? 'emea' : 'amer'],
		description: `A record as an API returns it, with some prose to give it a realistic size. `.repeat(3),
	}));
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://api');
		const query = url.searchParams;
		let body: unknown;
		if (url.pathname === '/items') {
			const page = Math.max(1, Number(query.get('page') ?? 1));
			const perPage = Math.min(MAX_PAGE, Number(query.get('per_page') ?? 100));
			body = {
				items: records.slice((page - 1) * perPage, Math.min(count, page * perPage)),
				total_pages: Math.ceil(count / perPage),
			};
		} else {
			const from = Number(query.get('cursor') ?? 0);
			const to = Math.min(count, from + Math.min(MAX_PAGE, Number(query.get('limit') ?? 100)));
			body = { records: records.slice(from, to), next_cursor: to < count ? String(to) : null };
		}
		const text = JSON.stringify(body);
		setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(text), delay);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
		set(options: { delay?: number; count?: number }) {
			delay = options.delay ?? delay;
			count = options.count ?? count;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function oursNodes(endpoint: Endpoint): WorkflowNode[] {
	const resource = endpoint === 'page' ? 'items' : 'records';
	return [{ name: 'Ours', type: 'CUSTOM.items', parameters: { resource, operation: 'getAll', returnAll: true } }];
}

function httpRequestNodes(url: string, endpoint: Endpoint): WorkflowNode[] {
	const page = endpoint === 'page';
	const pagination = page
		? {
				parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
				completeExpression: '={{ $response.body.items.length === 0 }}',
			}
		: {
				parameters: {
					parameters: [{ type: 'qs', name: 'cursor', value: '={{ $response.body.next_cursor }}' }],
				},
				completeExpression: '={{ !$response.body.next_cursor }}',
			};
	return [
		{
			name: 'HTTP',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url: `${url}/${page ? 'items' : 'records'}`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: page ? 'per_page' : 'limit', value: String(MAX_PAGE) }] },
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							paginationCompleteWhen: 'other',
							limitPagesFetched: false,
							...pagination,
						},
					},
				},
			},
		},
		{
			name: 'Split',
			type: 'n8n-nodes-base.splitOut',
			parameters: { fieldToSplitOut: page ? 'items' : 'records', include: 'noOtherFields' },
		},
	];
}

const RAW_LOOP = `
const [url, endpoint] = process.argv.slice(1);
async function read() {
	const items = [];
	for (let page = 1, cursor = ''; ; page++) {
		const query = endpoint === 'page' ? 'items?per_page=${MAX_PAGE}&page=' + page : 'records?limit=${MAX_PAGE}&cursor=' + cursor;
		const body = await (await fetch(url + '/' + query)).json();
		for (const item of body.items ?? body.records) items.push({ json: item });
		if (endpoint === 'page' ? page >= body.total_pages : !(cursor = body.next_cursor)) return items.length;
	}
}
(async () => {
	await read();
	const start = performance.now();
	const count = await read();
	process.stdout.write(JSON.stringify({ ms: performance.now() - start, count }));
})();
`;

function rawLoop(node: string, url: string, endpoint: Endpoint): Promise<{ ms: number; count: number }> {
	return new Promise((resolve, reject) => {
		execFile(node, ['-e', RAW_LOOP, url, endpoint], (error, stdout) =>
			error ? reject(error) : resolve(JSON.parse(stdout)),
		);
	});
}

/** The lowest and highest of a round's figures, for the spread beside a median. */
function spread(values: number[], digits = 0): string {
	return `(${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

/** Runs a workflow to its end; fails unless its last node put out exactly `expected` items. */
async function run(n8n: N8nServer, id: string, last: string, expected: number): Promise<StoredExecution> {
	const execution = await n8n.runToEnd(id, 'Start');
	const count = execution.output[last]?.length;
	if (execution.status !== 'success' || count !== expected)
		throw new Error(`a run read ${count} of ${expected} items (${execution.status})`);
	return execution;
}

/** Peak memory of a whole `n8n execute` process running the workflow; fails unless it read every record. */
async function peakMemory(n8n: N8nInstance, id: string, last: string, expected: number): Promise<number> {
	const execution = await n8n.execute(id, true);
	const count = execution.output[last]?.length;
	if (count !== expected) throw new Error(`a run read ${count} of ${expected} records (${execution.error?.message})`);
	return execution.peakRssMb!;
}

void (async () => {
	const work = freshFolder('bench-latency');
	const api = await startApi(Math.max(items, memoryItems));
	writeFileSync(join(work, 'items.yaml'), SPEC.replace('http://127.0.0.1/', api.url));
	const { integration } = await importSpec(join(work, 'items.yaml'));
	buildPackage(join(work, 'pkg'), integration!, 'n8n-nodes-items', 'items.yaml');
	const instance = await N8nInstance.create({ extensions: [join(work, 'pkg', 'dist')] });
	const manual = { name: 'Start', type: 'n8n-nodes-base.manualTrigger' };
	const workflows = {} as Record<Endpoint, { ours: string; http: string }>;
	for (const endpoint of ['page', 'cursor'] as const)
		workflows[endpoint] = {
			ours: await instance.importWorkflow({ nodes: [manual, ...oursNodes(endpoint)] }),
			http: await instance.importWorkflow({ nodes: [manual, ...httpRequestNodes(api.url, endpoint)] }),
		};
	const n8n = await N8nServer.start(instance);
	try {
		// A running n8n has run its nodes before: times of a cold first run (code not yet optimised) say nothing of it.
		for (let warm = 0; warm < WARM_UPS; warm++)
			for (const { ours, http } of Object.values(workflows)) {
				await run(n8n, ours, 'Ours', items);
				await run(n8n, http, 'Split', items);
			}
		console.log(
			`Return All of ${items} records, median of ${rounds} rounds of ${BLOCK} runs (lowest–highest) for ours / HTTP Request + Split Out / raw loop:`,
		);
		for (const delay of delays)
			for (const endpoint of ['page', 'cursor'] as const) {
				api.set({ delay });
				const times = { raw: [] as number[], ours: [] as number[], http: [] as number[] };
				for (let round = 0; round < rounds; round++) {
					const raw = await rawLoop(instance.install.node, api.url, endpoint);
					if (raw.count !== items) throw new Error(`the raw loop read ${raw.count} of ${items} items`);
					times.raw.push(raw.ms);
					const sides = round % 2 ? (['http', 'ours'] as const) : (['ours', 'http'] as const);
					for (const side of sides)
						for (let k = 0; k < BLOCK; k++) {
							if (side === 'ours') {
								times.ours.push(
									(await run(n8n, workflows[endpoint].ours, 'Ours', items)).nodeTimes.Ours,
								);
							} else {
								const execution = await run(n8n, workflows[endpoint].http, 'Split', items);
								times.http.push(execution.nodeTimes.HTTP + execution.nodeTimes.Split);
							}
						}
				}
				const m = { raw: median(times.raw), ours: median(times.ours), http: median(times.http) };
				console.log(
					`  ${String(delay).padStart(3)} ms, ${endpoint.padEnd(6)}: ${m.ours} ${spread(times.ours)} / ` +
						`${m.http} ${spread(times.http)} / ${m.raw.toFixed(0)} ${spread(times.raw)} ms` +
						` → ours ${(m.http / m.ours).toFixed(2)}× the HTTP Request node's speed, ` +
						`${(m.raw / m.ours).toFixed(2)}× the raw loop's`,
				);
			}
	} finally {
		await n8n.stop();
	}
	try {
		// In processes of their own, where nothing else the server holds blurs the peak.
		api.set({ delay: 0, count: memoryItems });
		const peaks = { ours: [] as number[], http: [] as number[], none: [] as number[] };
		const empty = await instance.importWorkflow({ nodes: [manual] });
		for (let round = 0; round < rounds; round++) {
			peaks.ours.push(await peakMemory(instance, workflows.page.ours, 'Ours', memoryItems));
			peaks.http.push(await peakMemory(instance, workflows.page.http, 'Split', memoryItems));
			peaks.none.push((await instance.execute(empty, true)).peakRssMb!);
		}
		const [ours, http, none] = [peaks.ours, peaks.http, peaks.none].map(median);
		console.log(
			`Peak memory of an \`n8n execute\` process reading ${memoryItems} records (page-numbered), median: ` +
				`ours ${ours} MB ${spread(peaks.ours)}, HTTP Request + Split Out ${http} MB ${spread(peaks.http)}, ` +
				`a workflow with no node ${none} MB ${spread(peaks.none)} ` +
				`→ ours adds ${((ours - none) / (http - none)).toFixed(2)}× what the HTTP Request node adds`,
		);
	} finally {
		instance.dispose();
		await api.close();
		rmSync(work, { recursive: true, force: true });
	}
})();
