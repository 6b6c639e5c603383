/**
 * Benchmark (not a test), one run: a paginated read of 100,000 items (pages of 100) from a loopback
 * API — our generated node inside n8n, n8n's HTTP Request node paginating the same server (it
 * outputs one item per page: less work than one per record, so the ratio flatters it), and a raw
 * `fetch` loop — with n8n's own per-node execution
 * times, the ratios, and the peak memory (VmHWM) of each `n8n execute`; then `n8n start` time
 * with the whole pack loaded versus without.
 *   npx tsx scripts/bench/pagination.ts [items]
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { N8nInstance, type Execution, type WorkflowNode } from '../harness/n8n';
import { N8nServer } from '../harness/n8n-server';
import { API_KEY, buildFaultLab, FAULT_LAB_NODE, importFaultLabCredential, startFaultApi, type FaultApi } from '../soak';

const items = Number(process.argv[2] ?? 100_000);

/** Peak resident memory (MB) of this process's children while `fn` runs: the n8n processes the harness spawns. */
async function withPeakMemory<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
	let peakKb = 0;
	const sample = () => {
		const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
		for (const pid of children) {
			try {
				const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
				peakKb = Math.max(peakKb, Number(hwm?.[1] ?? 0));
			} catch {
				// The child exited between listing and reading.
			}
		}
	};
	const timer = setInterval(sample, 50);
	try {
		return { value: await fn(), peakMb: Math.round(peakKb / 1024) };
	} finally {
		clearInterval(timer);
	}
}

function httpRequestNode(api: FaultApi): WorkflowNode {
	return {
		name: 'HTTP',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			url: `${api.url}/items`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'limit', value: '100' }] },
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'X-Key', value: API_KEY }] },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'after', value: '={{ $response.body.next }}' }] },
						paginationCompleteWhen: 'other',
						completeExpression: '={{ !$response.body.next }}',
						limitPagesFetched: false,
					},
				},
			},
		},
	};
}

async function rawLoop(api: FaultApi): Promise<{ ms: number; count: number }> {
	const start = performance.now();
	const ids: string[] = [];
	let after: string | undefined;
	do {
		const response = await fetch(`${api.url}/items?limit=100${after ? `&after=${after}` : ''}`, { headers: { 'x-key': API_KEY } });
		const page = (await response.json()) as { items: Array<{ id: string }>; next?: string };
		for (const item of page.items) ids.push(item.id);
		after = page.next;
	} while (after);
	return { ms: performance.now() - start, count: ids.length };
}

const ms = (execution: Execution, ...nodes: string[]) => nodes.reduce((sum, node) => sum + (execution.nodeTimes[node] ?? 0), 0);

async function startupMs(extensions?: string[]): Promise<number> {
	const n8n = await N8nInstance.create({ extensions });
	const start = performance.now();
	const server = await N8nServer.start(n8n);
	const elapsed = performance.now() - start;
	await server.stop();
	n8n.dispose();
	return elapsed;
}

void (async () => {
	const out = buildFaultLab();
	const api = await startFaultApi(items, 0);
	const n8n = await N8nInstance.create({ extensions: [join(out, 'dist')] });
	try {
		await importFaultLabCredential(n8n, api);
		const raw = await rawLoop(api);
		const ours = await withPeakMemory(() => n8n.run([FAULT_LAB_NODE]));
		const http = await withPeakMemory(() => n8n.run([httpRequestNode(api)]));
		const idle = await withPeakMemory(() => n8n.run([{ name: 'Noop', type: 'n8n-nodes-base.noOp' }]));
		const counts = { raw: raw.count, ours: ours.value.output.Lab?.length ?? 0, http: (http.value.output.HTTP ?? []).reduce((sum, page) => sum + (page.items as unknown[]).length, 0) };
		if (counts.raw !== items || counts.ours !== items || counts.http !== items) throw new Error(`item counts differ: ${JSON.stringify(counts)} (errors: ${ours.value.error?.message ?? '-'} / ${http.value.error?.message ?? '-'})`);
		const oursMs = ms(ours.value, 'Lab');
		const httpMs = ms(http.value, 'HTTP');
		console.log(`paginated read of ${items} items (pages of 100), one run:`);
		console.log(`  raw fetch loop            ${raw.ms.toFixed(0)} ms`);
		console.log(`  our node (in n8n)         ${oursMs} ms   peak n8n memory ${ours.peakMb} MB`);
		console.log(`  HTTP Request (pages)      ${httpMs} ms   peak n8n memory ${http.peakMb} MB`);
		console.log(`  (a No Op workflow: peak n8n memory ${idle.peakMb} MB)`);
		console.log(`  our node: ${(raw.ms / oursMs).toFixed(2)}× the raw loop's speed, ${(httpMs / oursMs).toFixed(2)}× the HTTP Request node's`);
	} finally {
		n8n.dispose();
		await api.close();
		rmSync(out, { recursive: true, force: true });
	}
	const without = await startupMs([]);
	const withPack = await startupMs();
	console.log(`n8n start: ${without.toFixed(0)} ms without the pack, ${withPack.toFixed(0)} ms with it (${(withPack / without).toFixed(2)}×)`);
})();
