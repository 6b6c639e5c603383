/**
 * Benchmark (not a test): a paginated read of 100,000 items (pages of 100, cursor-paged, so each
 * request waits for the previous page) from one loopback API, three ways that all end with one
 * record per item:
 *   - our generated node inside n8n (its execution time as n8n records it: no CLI start-up);
 *   - n8n's HTTP Request node paginating the same server with a Header Auth credential, plus the
 *     Split Out node that turns its one-item-per-page output into one item per record (the two
 *     nodes' execution times, summed; the HTTP Request node alone is printed too);
 *   - a raw `fetch` loop in its own process on the Node that runs n8n, keep-alive, building the
 *     same `{ json }` items.
 * Runs `rounds` interleaved rounds after a warm-up of the server and prints each one's median,
 * the ratios, and the peak memory (VmHWM) of each `n8n execute`; then `n8n start` time with the
 * whole pack loaded versus without.
 *   npx tsx scripts/bench/pagination.ts [items] [rounds]
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { N8nInstance, type Execution, type WorkflowNode } from '../harness/n8n';
import { N8nServer } from '../harness/n8n-server';
import { median } from './median';
import {
	API_KEY,
	buildFaultLab,
	FAULT_LAB_NODE,
	importFaultLabCredential,
	startFaultApi,
	type FaultApi,
} from '../soak';

const items = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);

/** Peak resident memory (MB) of this process's children while `fn` runs: the n8n processes the harness spawns. */
async function withPeakMemory<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
	let peakKb = 0;
	const sample = () => {
		const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
			.trim()
			.split(/\s+/)
			.filter(Boolean);
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

const HEADER_AUTH = { httpHeaderAuth: { id: 'header', name: 'Fault key (Header Auth)' } };

/**
 * n8n's HTTP Request node following the same cursor, then Split Out: one item per record. With a
 * Header Auth credential (as our node has one), or with the key pasted into a header parameter,
 * which spares it n8n's per-request credential handling.
 */
function httpRequestNodes(api: FaultApi, auth: 'credential' | 'header'): WorkflowNode[] {
	const authParameters =
		auth === 'credential'
			? { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' }
			: { sendHeaders: true, headerParameters: { parameters: [{ name: 'X-Key', value: API_KEY }] } };
	return [
		{
			name: 'HTTP',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			...(auth === 'credential' ? { credentials: HEADER_AUTH } : {}),
			parameters: {
				url: `${api.url}/items`,
				...authParameters,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'limit', value: '100' }] },
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: {
								parameters: [{ type: 'qs', name: 'after', value: '={{ $response.body.next }}' }],
							},
							paginationCompleteWhen: 'other',
							completeExpression: '={{ !$response.body.next }}',
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

/**
 * The loop a hand-written client would run, in a process of its own on n8n's Node, so it shares no event loop with the
 * API.
 */
const RAW_LOOP = `
const [url, key] = process.argv.slice(1);
(async () => {
	const start = performance.now();
	const items = [];
	let after;
	do {
		const response = await fetch(url + '/items?limit=100' + (after ? '&after=' + after : ''), { headers: { 'x-key': key } });
		const page = await response.json();
		for (const item of page.items) items.push({ json: item });
		after = page.next;
	} while (after);
	process.stdout.write(JSON.stringify({ ms: performance.now() - start, count: items.length, last: items[items.length - 1]?.json.id }));
})();
`;

function rawLoop(n8n: N8nInstance, api: FaultApi): Promise<{ ms: number; count: number; last: string }> {
	return new Promise((resolve, reject) => {
		execFile(n8n.install.node, ['-e', RAW_LOOP, api.url, API_KEY], (error, stdout) =>
			error ? reject(error) : resolve(JSON.parse(stdout)),
		);
	});
}

const ms = (execution: Execution, ...nodes: string[]) =>
	nodes.reduce((sum, node) => sum + (execution.nodeTimes[node] ?? 0), 0);

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
		await n8n.importCredentials([
			{
				id: 'header',
				name: HEADER_AUTH.httpHeaderAuth.name,
				type: 'httpHeaderAuth',
				data: { name: 'X-Key', value: API_KEY },
			},
		]);
		const oursId = await n8n.importWorkflow({
			nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, FAULT_LAB_NODE],
		});
		const httpId = await n8n.importWorkflow({
			nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, ...httpRequestNodes(api, 'credential')],
		});
		const plainId = await n8n.importWorkflow({
			nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, ...httpRequestNodes(api, 'header')],
		});
		// Warm-up: the API's first pages are its slowest (cold JIT); nobody should pay for them.
		await rawLoop(n8n, api);
		const times = {
			raw: [] as number[],
			ours: [] as number[],
			http: [] as number[],
			httpAlone: [] as number[],
			plain: [] as number[],
		};
		const peak = { ours: 0, http: 0 };
		for (let round = 0; round < rounds; round++) {
			const raw = await rawLoop(n8n, api);
			const ours = await withPeakMemory(() => n8n.execute(oursId));
			const http = await withPeakMemory(() => n8n.execute(httpId));
			const plain = await n8n.execute(plainId);
			const counts = {
				raw: raw.count,
				ours: ours.value.output.Lab?.length ?? 0,
				http: http.value.output.Split?.length ?? 0,
				plain: plain.output.Split?.length ?? 0,
			};
			const last = {
				raw: raw.last,
				ours: ours.value.output.Lab?.at(-1)?.id,
				http: http.value.output.Split?.at(-1)?.id,
				plain: plain.output.Split?.at(-1)?.id,
			};
			if (
				Object.values(counts).some((c) => c !== items) ||
				Object.values(last).some((id) => id !== `i${items}`)
			) {
				throw new Error(
					`the runs did not deliver the same items: ${JSON.stringify({ counts, last })} (errors: ${ours.value.error?.message ?? '-'} / ${http.value.error?.message ?? '-'})`,
				);
			}
			times.raw.push(raw.ms);
			times.ours.push(ms(ours.value, 'Lab'));
			times.http.push(ms(http.value, 'HTTP', 'Split'));
			times.httpAlone.push(ms(http.value, 'HTTP'));
			times.plain.push(ms(plain, 'HTTP', 'Split'));
			peak.ours = Math.max(peak.ours, ours.peakMb);
			peak.http = Math.max(peak.http, http.peakMb);
			console.log(
				`  round ${round + 1}: raw ${raw.ms.toFixed(0)} ms, ours ${times.ours[round]} ms, HTTP Request + Split Out ${times.http[round]} ms (HTTP Request alone ${times.httpAlone[round]} ms; key in a header parameter ${times.plain[round]} ms)`,
			);
		}
		const idle = await withPeakMemory(() => n8n.run([{ name: 'Noop', type: 'n8n-nodes-base.noOp' }]));
		const m = {
			raw: median(times.raw),
			ours: median(times.ours),
			http: median(times.http),
			httpAlone: median(times.httpAlone),
			plain: median(times.plain),
		};
		console.log(`paginated read of ${items} items (cursor pages of 100), median of ${rounds} rounds:`);
		console.log(`  raw fetch loop                 ${m.raw.toFixed(0)} ms`);
		console.log(`  our node (in n8n)              ${m.ours} ms   peak n8n memory ${peak.ours} MB`);
		console.log(
			`  HTTP Request + Split Out       ${m.http} ms   peak n8n memory ${peak.http} MB   (HTTP Request alone ${m.httpAlone} ms)`,
		);
		console.log(`  HTTP Request + Split Out, key in a header parameter instead of a credential   ${m.plain} ms`);
		console.log(`  (a No Op workflow: peak n8n memory ${idle.peakMb} MB)`);
		console.log(
			`  our node: ${(m.raw / m.ours).toFixed(2)}× the raw loop's speed, ${(m.http / m.ours).toFixed(2)}× the HTTP Request + Split Out nodes' (${(m.httpAlone / m.ours).toFixed(2)}× the HTTP Request node alone, ${(m.plain / m.ours).toFixed(2)}× the two with the key in a header parameter)`,
		);
	} finally {
		n8n.dispose();
		await api.close();
		rmSync(out, { recursive: true, force: true });
	}
	const without = await startupMs([]);
	const withPack = await startupMs();
	console.log(
		`n8n start: ${without.toFixed(0)} ms without the pack, ${withPack.toFixed(0)} ms with it (${(withPack / without).toFixed(2)}×)`,
	);
})();
