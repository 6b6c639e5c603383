/**
 * Profile (not a test): where a paginated read spends its time inside `n8n execute`. Runs the
 * Fault Lab node's Return All (cursor pages of 100, as scripts/bench/pagination.ts does) under
 * `--cpu-prof` and splits the samples taken while the node ran by what they were doing.
 *   npx tsx scripts/bench/pagination-profile.ts [items] [runs]
 * Prints, per request: self time by code (our runtime, n8n's credential handling, its request
 * helper, axios, Node's HTTP client, GC, idle) and the inclusive time of a few named functions.
 * Environment: PROF_INTERVAL (µs between samples, 200), TOP (self functions listed, 25),
 * KEEP_PROF=1 keeps the profiles, PROF_FILE=<kept .cpuprofile> analyses one without running n8n.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { N8nInstance } from '../harness/n8n';
import { buildFaultLab, FAULT_LAB_NODE, importFaultLabCredential, startFaultApi } from '../soak';

const items = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 2);

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/**
 * The package a frame's code belongs to (the innermost node_modules folder), ours, or undefined for Node's own code.
 */
function packageOf(url: string): string | undefined {
	if (/fault-lab-[^/]*\/dist\//.test(url)) return 'ours';
	const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (match) return match[1];
	return url && !url.startsWith('node:') ? url : undefined;
}

const CREDENTIAL = /^(authenticate|preAuthentication|getCredentials|getParentTypes)$/;
const SOCKET =
	/^(internalConnect|lookupAndConnect|createConnection|createSocket|Socket|Socket\.connect|Socket\.setKeepAlive|setNoDelay|emitCloseNT|onSocketClose|socketOnClose|socketCloseListener|_destroy|destroy|onDestroy|close|Agent|installListeners|afterConnect)$/;
const HELPER = new Set([
	'@n8n/backend-network',
	'axios',
	'follow-redirects',
	'proxy-from-env',
	'qs',
	'form-data',
	'side-channel',
	'http-proxy-agent',
	'https-proxy-agent',
	'agent-base',
]);

/** What a sample was doing, judged from its whole stack (first rule that holds). */
function phaseOf(frames: ProfileNode['callFrame'][]): string {
	const leaf = frames[0];
	if (leaf.functionName === '(garbage collector)') return 'GC';
	if (leaf.functionName === '(idle)') return 'idle (waiting for the server / I/O)';
	if (leaf.functionName === '(program)') return 'V8/native, unattributed';
	if (frames.some((f) => CREDENTIAL.test(f.functionName) && /credentials-helper|n8n-core/.test(f.url)))
		return 'n8n credential handling (authenticate: expression in isolate, …)';
	const pkg = frames.map((f) => packageOf(f.url)).find((p) => p !== undefined);
	if (pkg === 'ours') return 'our runtime';
	if (frames.some((f) => SOCKET.test(f.functionName) && f.url.startsWith('node:')))
		return 'socket set-up / tear-down (new agent, connect, close)';
	if (pkg && HELPER.has(pkg)) return 'n8n request helper (backend-network, axios, follow-redirects, proxy-from-env)';
	if (pkg === undefined)
		return `Node HTTP client, async parts (parse/write: ${leaf.url.replace(/^node:(?:internal\/)?([a-z_]+).*/, '$1') || leaf.functionName})`;
	return `other: ${pkg}`;
}

/** Functions whose inclusive time is worth knowing: bucket name → test on a frame. */
const NAMED: Array<[string, (f: ProfileNode['callFrame']) => boolean]> = [
	[
		'our send() (whole request incl. n8n helper, sync part)',
		(f) => f.functionName === 'send' && f.url.includes('/dist/'),
	],
	['our fetchPages() sync part (excl. awaited)', (f) => f.functionName === 'fetchPages' && f.url.includes('/dist/')],
	[
		'n8n-core httpRequestWithAuthentication (sync parts)',
		(f) => f.functionName === 'httpRequestWithAuthentication' && f.url.includes('n8n-core'),
	],
	[
		'credentialsHelper.authenticate',
		(f) => f.functionName === 'authenticate' && f.url.includes('credentials-helper'),
	],
	[
		'credentialsHelper.preAuthentication',
		(f) => f.functionName === 'preAuthentication' && f.url.includes('credentials-helper'),
	],
	['credentialsHelper.getParentTypes', (f) => f.functionName === 'getParentTypes'],
	['getCredentials (any)', (f) => f.functionName === 'getCredentials'],
	['expression getSimpleParameterValue', (f) => f.functionName === 'getSimpleParameterValue'],
	['backend-network httpRequest', (f) => f.functionName === 'httpRequest' && f.url.includes('backend-network')],
	['convertN8nRequestToAxios', (f) => f.functionName === 'convertN8nRequestToAxios'],
	['buildNodeAgents (new http(s).Agent pair)', (f) => f.functionName === 'buildNodeAgents'],
	['validateUrlSsrf', (f) => f.functionName === 'validateUrlSsrf'],
	['axios dispatchHttpRequest', (f) => f.functionName === 'dispatchHttpRequest'],
	['axios transformResponse / JSON.parse', (f) => f.functionName === 'transformResponse'],
	[
		'node:net connect / createConnection',
		(f) =>
			/^(createConnection|connect|internalConnect|lookupAndConnect)$/.test(f.functionName) &&
			f.url.startsWith('node:net'),
	],
	['http ClientRequest', (f) => f.functionName === 'ClientRequest'],
	[
		'socket close/destroy',
		(f) => /destroy|onSocketEnd|socketOnEnd|_destroy|emitCloseNT/.test(f.functionName) && f.url.startsWith('node:'),
	],
];

function analyse(profile: Profile, requests: number): void {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const stack = (id: number): ProfileNode[] => {
		const out: ProfileNode[] = [];
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) out.push(byId.get(cur)!);
		return out;
	};
	const ours = (id: number) =>
		stack(id).some(
			(n) =>
				/^(runOperations|fetchPages|send)$/.test(n.callFrame.functionName) &&
				/fault-lab-[^/]*\/dist\//.test(n.callFrame.url),
		);
	// The window: from the first sample in our code to the last one.
	let first = -1;
	let last = -1;
	profile.samples.forEach((id, i) => {
		if (ours(id)) {
			if (first < 0) first = i;
			last = i;
		}
	});
	const self = new Map<string, number>();
	const selfFn = new Map<string, number>();
	const named = new Map<string, number>();
	let total = 0;
	for (let i = first; i <= last; i++) {
		const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // the delta after a sample is the time it stands for
		total += dt;
		const frames = stack(profile.samples[i]);
		const bucket = phaseOf(frames.map((f) => f.callFrame));
		self.set(bucket, (self.get(bucket) ?? 0) + dt);
		const leaf = frames[0].callFrame;
		const fn = `[${bucket.slice(0, 14)}] ${leaf.functionName || '(anonymous)'} ${leaf.url.replace(/.*node_modules\//, '')}:${leaf.lineNumber + 1}`;
		selfFn.set(fn, (selfFn.get(fn) ?? 0) + dt);
		for (const [name, test] of NAMED)
			if (frames.some((f) => test(f.callFrame))) named.set(name, (named.get(name) ?? 0) + dt);
	}
	const per = (ms: number) => `${(ms / requests).toFixed(3)} ms/req`;
	console.log(`window ${total.toFixed(0)} ms = ${per(total)} (${requests} requests)`);
	console.log('CPU by what it was doing (whole stack):');
	for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).filter(([, v]) => v / requests >= 0.004))
		console.log(`  ${per(v).padStart(16)}  ${k}`);
	console.log('top self functions:');
	for (const [k, v] of [...selfFn].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25)))
		console.log(`  ${per(v).padStart(16)}  ${k}`);
	console.log('inclusive time of named functions (CPU while they are on the stack):');
	for (const [k] of NAMED) console.log(`  ${per(named.get(k) ?? 0).padStart(16)}  ${k}`);
}

void (async () => {
	// Re-analyse a kept profile: PROF_FILE=/tmp/rills-prof-…/CPU….cpuprofile
	if (process.env.PROF_FILE)
		return analyse(JSON.parse(readFileSync(process.env.PROF_FILE, 'utf8')) as Profile, Math.ceil(items / 100));
	const out = buildFaultLab();
	const api = await startFaultApi(items, 0);
	const profDir = mkdtempSync(join(tmpdir(), 'rills-prof-'));
	const n8n = await N8nInstance.create({
		extensions: [join(out, 'dist')],
		env: {
			NODE_OPTIONS: `--cpu-prof --cpu-prof-interval=${process.env.PROF_INTERVAL ?? 200} --cpu-prof-dir=${profDir}`,
		},
	});
	try {
		await importFaultLabCredential(n8n, api);
		const id = await n8n.importWorkflow({
			nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, FAULT_LAB_NODE],
		});
		for (let run = 0; run < runs; run++) {
			for (const f of readdirSync(profDir)) rmSync(join(profDir, f));
			const execution = await n8n.execute(id);
			if (execution.output.Lab?.length !== items)
				throw new Error(`got ${execution.output.Lab?.length} items: ${execution.error?.message}`);
			// The biggest profile is n8n execute's own process (the task runner's is small).
			const file = readdirSync(profDir)
				.map((f) => join(profDir, f))
				.sort((a, b) => statSync(b).size - statSync(a).size)[0];
			console.log(`run ${run + 1}: node time ${execution.nodeTimes.Lab} ms`);
			analyse(JSON.parse(readFileSync(file, 'utf8')) as Profile, Math.ceil(items / 100));
		}
	} finally {
		n8n.dispose();
		await api.close();
		rmSync(out, { recursive: true, force: true });
		if (!process.env.KEEP_PROF) rmSync(profDir, { recursive: true, force: true });
		else console.log(`profiles kept in ${profDir}`);
	}
})();
