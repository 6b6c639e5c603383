/**
 * Faults soak: a generated node's paginated Return All, run inside a real n8n, against a loopback
 * API that fails every tenth request — in turn a 429 with Retry-After, a 503, a response stalled
 * past the request timeout, a reset connection — must lose and duplicate nothing. The node comes
 * from scripts/soak/faultLab.integration.yaml, built as its own package.
 *
 * `npm run soak [-- --items 10000]` prints the counts and the faults injected (each one a retry
 * the node had to make) and exits 1 on any loss, duplicate or error. test/platform/faults.test.ts
 * runs a short version.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { N8nInstance, type WorkflowNode } from './harness/n8n';
import { loadDefinition } from './load/definition';
import { buildPackage } from './harness/package-build';

const ROOT = join(__dirname, '..');
const DEFINITION = join(__dirname, 'soak', 'faultLab.integration.yaml');
export const API_KEY = 'fault-lab-key-93d1';
const SOAK_LIMIT_MS = 15 * 60_000;
export const FAULTS = ['429', '503', 'stall', 'reset'] as const;
type Fault = (typeof FAULTS)[number];

export interface SoakResult {
	items: number;
	returned: number;
	missing: number;
	duplicates: number;
	/** The items came back in the service's order. */
	inOrder: boolean;
	requests: number;
	/** Pages answered in full (each exactly once when nothing is refetched). */
	pages: number;
	faults: Record<Fault, number>;
	/** Stalled requests the node gave up on (its timeout fired; the API never answers them). */
	abandoned: number;
	error?: string;
}

export interface FaultApi {
	url: string;
	requests: number;
	pages: number;
	faults: Record<Fault, number>;
	abandoned: number;
	close(): Promise<void>;
}

/** `items` ids i1…iN paged by an offset cursor; every `faultEvery`-th request (0: none) fails with the next fault in FAULTS. */
export async function startFaultApi(items: number, faultEvery = 10): Promise<FaultApi> {
	const server = createServer((req, res) => {
		const n = ++api.requests;
		if (req.headers['x-key'] !== API_KEY) return void res.writeHead(401).end();
		if (faultEvery && n % faultEvery === 0) {
			const fault = FAULTS[(n / faultEvery - 1) % FAULTS.length];
			api.faults[fault]++;
			const json = { 'content-type': 'application/json' };
			if (fault === '429') return void res.writeHead(429, { ...json, 'retry-after': '1' }).end('{"message":"slow down"}');
			if (fault === '503') return void res.writeHead(503, json).end('{"message":"overloaded"}');
			if (fault === 'reset') return void req.socket.destroy();
			// Stalled for good: only the client's timeout ends it.
			return void req.socket.once('close', () => api.abandoned++);
		}
		const query = new URL(req.url ?? '/', 'http://fault.lab').searchParams;
		const after = Number(query.get('after') ?? 0);
		const count = Math.max(0, Math.min(Number(query.get('limit') ?? 100), items - after));
		const page = Array.from({ length: count }, (_, i) => ({ id: `i${after + i + 1}` }));
		api.pages++;
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: page, ...(after + count < items ? { next: String(after + count) } : {}) }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const api: FaultApi = {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
		requests: 0,
		pages: 0,
		faults: { '429': 0, '503': 0, stall: 0, reset: 0 },
		abandoned: 0,
		close: () => {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
	return api;
}

/** The Fault Lab package compiled into a folder of its own (remove it when done); its dist/ loads as an extension. */
export function buildFaultLab(): string {
	const { integration, findings } = loadDefinition(DEFINITION);
	if (!integration) throw new Error(JSON.stringify(findings, null, 2));
	// Inside the project, so the package compiles against its n8n-workflow.
	mkdirSync(join(ROOT, '.test-output'), { recursive: true });
	const out = mkdtempSync(join(ROOT, '.test-output', 'fault-lab-'));
	buildPackage(out, integration, 'n8n-nodes-fault-lab', 'faultLab.integration.yaml');
	return out;
}

/** A workflow node reading every item through the Fault Lab node (credential `fault`, see importFaultLabCredential). */
export const FAULT_LAB_NODE: WorkflowNode = { name: 'Lab', type: 'CUSTOM.faultLab', parameters: { resource: 'item', operation: 'getAll', returnAll: true }, credentials: { faultLabApi: { id: 'fault', name: 'Fault key' } } };

export async function importFaultLabCredential(n8n: N8nInstance, api: FaultApi): Promise<void> {
	await n8n.importCredentials([{ id: 'fault', name: 'Fault key', type: 'faultLabApi', data: { server: api.url, apiKey: API_KEY } }]);
}

export async function runSoak(items: number): Promise<SoakResult> {
	const out = buildFaultLab();
	const api = await startFaultApi(items);
	let n8n: N8nInstance | undefined;
	try {
		n8n = await N8nInstance.create({ extensions: [join(out, 'dist')] });
		await importFaultLabCredential(n8n, api);
		const execution = await n8n.run([FAULT_LAB_NODE]);
		const ids = (execution.output.Lab ?? []).map((item) => String(item.id));
		const unique = new Set(ids);
		const expected = Array.from({ length: items }, (_, i) => `i${i + 1}`);
		return {
			items,
			returned: ids.length,
			missing: expected.filter((id) => !unique.has(id)).length,
			duplicates: ids.length - unique.size,
			inOrder: ids.every((id, i) => id === expected[i]),
			requests: api.requests,
			pages: api.pages,
			faults: { ...api.faults },
			abandoned: api.abandoned,
			error: execution.error?.message,
		};
	} finally {
		n8n?.dispose();
		await api.close();
		rmSync(out, { recursive: true, force: true });
	}
}

if (require.main === module) {
	const flag = process.argv.indexOf('--items');
	const items = flag === -1 ? 10_000 : Number(process.argv[flag + 1]);
	// Bounded: a run that hangs is a failure, not a wait.
	setTimeout(() => {
		process.stderr.write(`soak: no result after ${SOAK_LIMIT_MS / 60_000} min\n`);
		process.exit(1);
	}, SOAK_LIMIT_MS).unref();
	void runSoak(items).then((r) => {
		const retries = FAULTS.reduce((sum, f) => sum + r.faults[f], 0);
		process.stdout.write(
			`items ${r.items}: returned ${r.returned}, missing ${r.missing}, duplicated ${r.duplicates}, in order ${r.inOrder}\n` +
				`requests ${r.requests} for ${r.pages} pages; faults injected (each retried) ${retries}: ${FAULTS.map((f) => `${f} ${r.faults[f]}`).join(', ')}; stalls timed out by the node ${r.abandoned}\n` +
				(r.error ? `error: ${r.error}\n` : ''),
		);
		process.exitCode = r.error || r.missing || r.duplicates || r.returned !== r.items ? 1 : 0;
	});
}
