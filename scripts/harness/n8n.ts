/**
 * Throwaway real n8n instances for tests, benchmarks and `npm run dev`: installs n8n into a cache
 * (install-n8n.sh), gives each instance its own user folder and ports, imports credentials and
 * workflows through n8n's own CLI, and runs workflows with `n8n execute` — or, while an `n8n start`
 * of the instance runs (N8nServer), creates and runs workflows through it: each CLI command boots
 * n8n anew (seconds of CPU), so a warm server saves two boots per run.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface N8nInstall {
	node: string;
	/** The n8n package folder; its `bin/n8n` is the CLI. */
	n8n: string;
	version: string;
}

const installs = new Map<string, Promise<N8nInstall>>();

/** Installs (once per version and process) and locates n8n and the Node that runs it. */
export function installN8n(version = process.env.N8N_VERSION ?? '2.41.1'): Promise<N8nInstall> {
	const nodeMajor = version.startsWith('1.') ? '22' : '24';
	if (!installs.has(version)) {
		installs.set(
			version,
			new Promise((resolve, reject) => {
				const env = { ...process.env, N8N_VERSION: version, NODE_MAJOR: nodeMajor };
				execFile(
					'bash',
					[join(__dirname, 'install-n8n.sh')],
					{ env, maxBuffer: 1 << 24 },
					(error, stdout, stderr) => {
						if (error)
							return reject(new Error(`installing n8n ${version} failed:\n${stderr.slice(-4000)}`));
						const paths = Object.fromEntries(
							stdout
								.trim()
								.split('\n')
								.map((l) => l.split('=', 2) as [string, string]),
						);
						resolve({ node: paths.node, n8n: paths.n8n, version });
					},
				);
			}),
		);
	}
	return installs.get(version)!;
}

/** A free TCP port on loopback (n8n's task broker and editor need their own per instance). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	/** Plain credential fields; n8n encrypts them on import. */
	data: Record<string, unknown>;
}

export interface WorkflowNode {
	name: string;
	type: string;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	typeVersion?: number;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	[key: string]: unknown;
}

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** What `n8n execute` reported: each node's output items, and the error that stopped the run. */
export interface Execution {
	status: 'success' | 'error';
	/** Node name → the `json` of every item of its first run's first output. */
	output: Record<string, Array<Record<string, unknown>>>;
	/** Node name → every run (a node in a loop runs again) → each output (error output last) → its items' `json`. */
	runs: Record<string, Array<Array<Array<Record<string, unknown>>>>>;
	/** Node name → milliseconds n8n recorded for its first run (benchmarks). */
	nodeTimes: Record<string, number>;
	/** Node name → the messages of the execution hints of its first run. */
	hints: Record<string, string[]>;
	error?: { message: string; description?: string; node?: string; httpCode?: string | null };
	/** Everything the CLI printed, for secret scans and debugging. */
	log: string;
	/** The whole process's peak resident set size, when the run was measured (benchmarks). */
	peakRssMb?: number;
}

const PEAK_RSS = 'rills-peak-rss-kb';

export interface N8nOptions {
	/** Folders of compiled nodes/credentials loaded as custom extensions (default: the pack's dist/; none: `[]`). */
	extensions?: string[];
	/** n8n version (default 2.41.1, or N8N_VERSION). */
	version?: string;
	env?: Record<string, string>;
}

/** A running `n8n start` of an instance, which workflows can be created in and run through. */
export interface WarmServer {
	createWorkflow(workflow: Record<string, unknown>): Promise<void>;
	/** Runs the workflow from `triggerName` as the editor does and reports it as `n8n execute` would. */
	runWorkflow(workflowId: string, triggerName: string): Promise<Execution>;
	stop(): Promise<void>;
}

export class N8nInstance {
	readonly userFolder: string;
	/** Set while an N8nServer of this instance runs. */
	warm?: WarmServer;
	/** Workflow id → the node a run starts from (the Manual Trigger, else the node nothing feeds). */
	private readonly starts = new Map<string, string>();
	private workflowCount = 0;
	private cliCount = 0;

	private constructor(
		readonly install: N8nInstall,
		readonly env: Record<string, string>,
	) {
		this.userFolder = env.N8N_USER_FOLDER;
	}

	static async create(options: N8nOptions = {}): Promise<N8nInstance> {
		const install = await installN8n(options.version);
		const userFolder = mkdtempSync(join(tmpdir(), 'rills-n8n-'));
		const extensions = options.extensions ?? [join(ROOT, 'dist')];
		const env: Record<string, string> = {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? userFolder,
			N8N_USER_FOLDER: userFolder,
			// Unset rather than empty: n8n would load an empty entry as a folder.
			...(extensions.length ? { N8N_CUSTOM_EXTENSIONS: extensions.join(';') } : {}),
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			...options.env,
		};
		return new N8nInstance(install, env);
	}

	/**
	 * Runs an n8n CLI command against this instance. Its stdout goes to a file, not a pipe: n8n exits
	 * as soon as it has printed, and a large execution report still in a pipe's buffer was cut off.
	 */
	cli(args: string[], measure = false): Promise<CliResult> {
		const file = join(this.userFolder, `stdout-${++this.cliCount}.txt`);
		const fd = openSync(file, 'w');
		const command = [this.install.node, join(this.install.n8n, 'bin', 'n8n'), ...args];
		// GNU time prints the process's peak resident set size on stderr when it exits.
		if (measure) command.unshift('/usr/bin/time', '-f', `${PEAK_RSS} %M`);
		return new Promise((resolve) => {
			const child = spawn(command[0], command.slice(1), {
				env: this.env,
				cwd: this.userFolder,
				stdio: ['ignore', fd, 'pipe'],
			});
			closeSync(fd);
			let stderr = '';
			child.stderr?.on('data', (d) => (stderr += d));
			child.on('close', (code) => {
				const stdout = readFileSync(file, 'utf8');
				rmSync(file, { force: true });
				resolve({ code: code ?? 1, stdout, stderr });
			});
		});
	}

	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = join(this.userFolder, `credentials-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(credentials));
		await this.importFile('credentials', file);
	}

	/** Imports a workflow (a Manual Trigger is added in front when `nodes` has no trigger) and returns its id. */
	async importWorkflow(workflow: {
		name?: string;
		nodes: WorkflowNode[];
		connections?: Record<string, unknown>;
		id?: string;
	}): Promise<string> {
		const id = workflow.id ?? `rillsWf${String(++this.workflowCount).padStart(9, '0')}`;
		const nodes = workflow.nodes.map((n, i) => ({
			id: `${id}-${i}`,
			typeVersion: 1,
			position: [i * 220, 0],
			parameters: {},
			...n,
		}));
		const connections = workflow.connections ?? chain(nodes);
		this.starts.set(id, startNode(nodes, connections));
		const entity = { id, name: workflow.name ?? id, active: false, nodes, connections, settings: {} };
		if (this.warm) {
			await this.warm.createWorkflow(entity);
			return id;
		}
		const file = join(this.userFolder, `${id}.json`);
		writeFileSync(file, JSON.stringify([entity]));
		await this.importFile('workflow', file);
		return id;
	}

	/**
	 * `n8n execute --id`: runs the workflow from its trigger and returns what each node output; `measure` also reads
	 * the process's peak memory (always a CLI run). Through the warm server when one runs.
	 */
	async execute(workflowId: string, measure = false): Promise<Execution> {
		const start = this.starts.get(workflowId);
		if (this.warm && start && !measure) return await this.warm.runWorkflow(workflowId, start);
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], measure);
		const log = result.stdout + result.stderr;
		const report = executionReport(result.stdout);
		if (!report)
			throw new Error(`n8n execute printed no execution data (exit ${result.code}):\n${log.slice(-4000)}`);
		const peak = new RegExp(`${PEAK_RSS} (\\d+)`).exec(result.stderr)?.[1];
		return {
			...executionResult(report.data.resultData, log),
			peakRssMb: peak ? Math.round(Number(peak) / 1024) : undefined,
		};
	}

	/** Imports and runs a chain of nodes behind a Manual Trigger. */
	async run(nodes: WorkflowNode[]): Promise<Execution> {
		return await this.execute(
			await this.importWorkflow({ nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, ...nodes] }),
		);
	}

	dispose(): void {
		rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** Stops the instance's server, if one runs, and removes its user folder. */
	async close(): Promise<void> {
		await this.warm?.stop();
		this.dispose();
	}

	/** n8n's import commands log a failure and still exit 0; success is the line that says so. */
	private async importFile(kind: 'credentials' | 'workflow', file: string): Promise<void> {
		const result = await this.cli([`import:${kind}`, `--input=${file}`]);
		if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
			throw new Error(
				`n8n import:${kind} failed (exit ${result.code}):\n${(result.stdout + result.stderr).slice(-4000)}`,
			);
		}
	}
}

/** The node a manual run starts from: the Manual Trigger, else the first node no connection leads to. */
function startNode(nodes: Array<{ name: string; type: string }>, connections: Record<string, unknown>): string {
	const outputs = Object.values(connections as Record<string, Record<string, Array<Array<{ node: string }> | null>>>);
	const fed = new Set(outputs.flatMap((byType) => Object.values(byType).flat(2)).map((target) => target?.node));
	const manual = nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	return (manual ?? nodes.find((n) => !fed.has(n.name)) ?? nodes[0]).name;
}

/** Connects each node's main output to the next one's input. */
function chain(nodes: Array<{ name: string }>): Record<string, unknown> {
	return Object.fromEntries(
		nodes.slice(0, -1).map((n, i) => [n.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]),
	);
}

/** n8n's run data: node name → its runs, each with its outputs' items. */
export type RunData = Record<
	string,
	Array<{
		executionTime?: number;
		data?: { main?: Array<Array<{ json: Record<string, unknown> }>> };
		hints?: Array<{ message: string }>;
	}>
>;

/** Node name → milliseconds n8n recorded for its first run (benchmarks). */
export function nodeTimes(runData: RunData | undefined): Record<string, number> {
	return Object.fromEntries(Object.entries(runData ?? {}).map(([node, runs]) => [node, runs[0]?.executionTime ?? 0]));
}

/** Node name → the `json` of every item of its first run's first output. */
export function nodeOutputs(runData: RunData | undefined): Record<string, Array<Record<string, unknown>>> {
	return Object.fromEntries(
		Object.entries(runData ?? {}).map(([node, runs]) => [
			node,
			(runs[0]?.data?.main?.[0] ?? []).map((item) => item.json),
		]),
	);
}

/** What n8n stores of a run: each node's run data and the error that stopped it. */
export interface ResultData {
	runData?: RunData;
	error?: { message: string; description?: string | null; httpCode?: string | null; node?: { name: string } };
}

/** An execution as the tests read it, from n8n's result data and what n8n printed meanwhile. */
export function executionResult(resultData: ResultData, log: string): Execution {
	const error = resultData.error && {
		message: resultData.error.message,
		description: resultData.error.description ?? undefined,
		node: resultData.error.node?.name,
		httpCode: resultData.error.httpCode,
	};
	return {
		status: error ? 'error' : 'success',
		output: nodeOutputs(resultData.runData),
		runs: Object.fromEntries(
			Object.entries(resultData.runData ?? {}).map(([node, runs]) => [
				node,
				runs.map((run) => (run.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json))),
			]),
		),
		nodeTimes: nodeTimes(resultData.runData),
		hints: Object.fromEntries(
			Object.entries(resultData.runData ?? {}).map(([node, runs]) => [
				node,
				(runs[0]?.hints ?? []).map((h) => h.message),
			]),
		),
		error,
		log,
	};
}

interface RunReport {
	data: { resultData: ResultData };
}

/**
 * The execution JSON in `n8n execute` output. On success it is all of stdout; on failure n8n
 * prints it between log lines, always as a pretty-printed object starting at a line `{`.
 */
function executionReport(stdout: string): RunReport | undefined {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start === -1 || end === -1) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as RunReport;
}
