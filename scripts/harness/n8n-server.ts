/**
 * A real `n8n start` for trigger tests: the editor and webhooks on a free loopback port, an owner
 * account for the REST API, and the steps triggers need — publish (activate) and unpublish a
 * workflow, read its executions, restart, stop. Builds on N8nInstance (user folder, CLI, imports).
 * Daemon runs any long-running process (n8n start or worker, PostgreSQL, Redis for queue.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
	executionResult,
	freePort,
	nodeOutputs,
	nodeTimes,
	type Execution,
	type N8nInstance,
	type ResultData,
	type WarmServer,
} from './n8n';

/**
 * A long-running process (n8n start or worker, a database) whose output goes to `onOutput`; killed if the test process
 * exits without stopping it.
 */
export class Daemon {
	/** Everything it printed. */
	log = '';
	private readonly child: ChildProcess;
	private spawnError?: Error;

	constructor(
		command: string,
		args: string[],
		options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number },
		onOutput: (text: string) => void = () => undefined,
		/** The signal that shuts it down gracefully. */
		private readonly stopSignal: NodeJS.Signals = 'SIGTERM',
	) {
		this.child = spawn(command, args, options);
		const output = (d: unknown) => {
			this.log += String(d);
			onOutput(String(d));
		};
		this.child.stdout?.on('data', output);
		this.child.stderr?.on('data', output);
		// A command that cannot start (not installed) reads as one that exited.
		this.child.once('error', (error) => {
			this.spawnError = error;
			output(`${command}: ${error.message}\n`);
		});
		running.add(this.child);
		this.child.once('exit', () => running.delete(this.child));
	}

	/** A long-running n8n command (`start`, `worker`) of an instance, with extra environment. */
	static n8n(
		instance: N8nInstance,
		args: string[],
		env: Record<string, string>,
		onOutput?: (text: string) => void,
	): Daemon {
		const { install } = instance;
		const merged = { ...instance.env, ...env };
		return new Daemon(
			install.node,
			[join(install.n8n, 'bin', 'n8n'), ...args],
			{ cwd: merged.N8N_USER_FOLDER, env: merged },
			onOutput,
		);
	}

	/** The exit code (1 when a signal ended it), or null while it runs. */
	get exitCode(): number | null {
		return this.child.exitCode ?? (this.child.signalCode || this.spawnError ? 1 : null);
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/**
	 * Polls `ready` every 500 ms until it holds; throws with the output's tail if the process exits or `limitMs` passes
	 * first.
	 */
	async waitUntil(what: string, ready: () => boolean | Promise<boolean>, limitMs = 180_000): Promise<void> {
		const started = Date.now();
		for (;;) {
			if (this.exitCode !== null)
				throw new Error(`${what} exited with ${this.exitCode}:\n${this.log.slice(-4000)}`);
			if (Date.now() - started > limitMs)
				throw new Error(`${what} did not become ready:\n${this.log.slice(-4000)}`);
			if (await ready()) return;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	/** The stop signal, then SIGKILL if it has not exited after 45 s (n8n waits up to 30 s for running executions). */
	async stop(): Promise<void> {
		const child = this.child;
		if (this.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(this.stopSignal);
		const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
		await exited;
		clearTimeout(killer);
	}
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export interface StoredExecution {
	id: string;
	status: string;
	mode: string;
	/** Node name → the `json` of every item of its first run's first output. */
	output: Record<string, Array<Record<string, unknown>>>;
	/** Node name → milliseconds n8n recorded for its first run (benchmarks). */
	nodeTimes: Record<string, number>;
}

/** The parts of a node or credential type description the tests read. */
export interface TypeDescription {
	name: string;
	displayName: string;
	properties?: Array<{ name: string }>;
}

/** A node's field whose choices the editor asks n8n for: the method, the node as it is filled in, its credential. */
export interface DynamicParameters {
	nodeType: string;
	methodName: string;
	/** The field, e.g. `channel`. */
	path: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

export type ListSearchRequest = DynamicParameters & { filter?: string; paginationToken?: string };

export interface ListSearchPage {
	results: Array<{ name: string; value: string; url?: string }>;
	paginationToken?: string;
}

function dynamicParameters({ nodeType, parameters, path, ...rest }: DynamicParameters): Record<string, unknown> {
	return {
		...rest,
		path: `parameters.${path}`,
		nodeTypeAndVersion: { name: nodeType, version: 1 },
		currentNodeParameters: parameters,
	};
}

export const OWNER = {
	email: 'owner@rills.test',
	firstName: 'Rills',
	lastName: 'Harness',
	password: 'Harness-Passw0rd',
};
const STARTUP_LIMIT_MS = 180_000;

interface StoredRun {
	id: string;
	status: string;
	mode: string;
	resultData?: ResultData;
}

function toStored({ resultData, ...run }: StoredRun): StoredExecution {
	return { ...run, output: nodeOutputs(resultData?.runData), nodeTimes: nodeTimes(resultData?.runData) };
}

export class N8nServer implements WarmServer {
	/** Everything n8n printed, across restarts, for debugging and secret scans. */
	log = '';
	private process?: Daemon;
	private cookie = '';
	private ownerReady = false;

	private constructor(
		readonly instance: N8nInstance,
		readonly port: number,
	) {}

	/** Base URL of the editor, REST API and webhooks. */
	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Starts n8n on `port`, or a free one; the instance's server if one already runs (CatalogRun starts it early). */
	static async start(instance: N8nInstance, port?: number): Promise<N8nServer> {
		const running = instance.warm;
		if (running instanceof N8nServer && (port === undefined || port === running.port)) return running;
		const server = new N8nServer(instance, port ?? (await freePort()));
		await server.boot();
		return server;
	}

	/** Publishes the workflow's current version: n8n registers its webhooks and pollers. */
	async activate(workflowId: string): Promise<void> {
		const workflow = (await this.rest('GET', `/rest/workflows/${workflowId}`)) as { versionId: string };
		await this.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
	}

	/**
	 * Whether n8n serves a production webhook at `path` yet (a CORS preflight: it starts no execution). In queue mode
	 * it can lag `activate`.
	 */
	async webhookRegistered(path: string): Promise<boolean> {
		const response = await fetch(`${this.url}/webhook/${path}`, {
			method: 'OPTIONS',
			headers: { origin: this.url, 'access-control-request-method': 'GET' },
		});
		return response.status === 204;
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.rest('POST', `/rest/workflows/${workflowId}/deactivate`, {});
	}

	/** The workflow's static data as stored in the database (where poll cursors live). */
	async staticData(workflowId: string): Promise<Record<string, unknown>> {
		const workflow = (await this.rest('GET', `/rest/workflows/${workflowId}`)) as {
			staticData?: Record<string, unknown> | string | null;
		};
		const data = workflow.staticData;
		return typeof data === 'string' ? (JSON.parse(data) as Record<string, unknown>) : (data ?? {});
	}

	/** Runs the workflow from a trigger as the editor's "Test workflow" / "Fetch Test Event" does (mode `manual`). */
	async runManually(workflowId: string, triggerName: string): Promise<void> {
		await this.rest('POST', `/rest/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName } });
	}

	/** Runs the workflow manually from `triggerName` and waits for the stored execution to finish. */
	async runToEnd(workflowId: string, triggerName: string): Promise<StoredExecution> {
		return toStored(await this.finishedRun(workflowId, triggerName));
	}

	async createWorkflow(workflow: Record<string, unknown>): Promise<void> {
		await this.rest('POST', '/rest/workflows', workflow);
	}

	async runWorkflow(workflowId: string, triggerName: string): Promise<Execution> {
		const logStart = this.log.length;
		const run = await this.finishedRun(workflowId, triggerName);
		return executionResult(run.resultData ?? {}, this.log.slice(logStart));
	}

	/** The n8n main process, where manual executions run (benchmarks read its memory). */
	get pid(): number | undefined {
		return this.process?.pid;
	}

	/** The workflow's stored executions, oldest first, with each node's output. */
	async executions(workflowId: string): Promise<StoredExecution[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = (await this.rest('GET', `/rest/executions?filter=${filter}&limit=100`)) as {
			results: Array<{ id: string }>;
		};
		// The list can name an execution twice while it moves from running to finished.
		const ids = [...new Set(list.results.map((e) => e.id))];
		const executions = await Promise.all(ids.map(async (id) => this.execution(id)));
		return executions.sort((a, b) => Number(a.id) - Number(b.id));
	}

	/** The credential dialog's Save: n8n stores the credential as the editor sends it; returns its id. */
	async saveCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<string> {
		return ((await this.rest('POST', '/rest/credentials', credential)) as { id: string }).id;
	}

	/** The credential dialog's Test button for a stored credential (id) with these fields: n8n's verdict. */
	async testCredential(credential: {
		id: string;
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<{ status: string; message: string }> {
		return (await this.rest('POST', '/rest/credentials/test', { credentials: credential })) as {
			status: string;
			message: string;
		};
	}

	/** Where the OAuth2 credential dialog's Connect button sends the admin (n8n builds it from the credential). */
	async oauth2AuthorizationUrl(credentialId: string): Promise<URL> {
		const path = `/rest/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`;
		return new URL((await this.rest('GET', path)) as string);
	}

	/**
	 * The Connect button's whole sign-in, as the admin's browser makes it: to the service's authorization page
	 * (which consents at once), and back to n8n's callback, where n8n exchanges the code and stores the token.
	 * Returns the page n8n answers with.
	 */
	async oauth2Connect(credentialId: string): Promise<string> {
		const consent = await fetch(await this.oauth2AuthorizationUrl(credentialId), { redirect: 'manual' });
		const back = consent.headers.get('location');
		if (!back) throw new Error(`the authorization page answered ${consent.status} without a redirect`);
		const { pathname, search } = new URL(back);
		const callback = await fetch(`${this.url}${pathname}${search}`, { headers: { cookie: this.cookie } });
		return await callback.text();
	}

	/** The node or credential type names the editor offers (what n8n loaded). */
	async types(kind: 'nodes' | 'credentials'): Promise<string[]> {
		return (await this.typeDescriptions(kind)).map((type) => type.name);
	}

	/** The node or credential types as the editor gets them: what its panels and dialogs render. */
	async typeDescriptions(kind: 'nodes' | 'credentials'): Promise<TypeDescription[]> {
		const response = await fetch(`${this.url}/types/${kind}.json`, { headers: { cookie: this.cookie } });
		if (!response.ok) throw new Error(`n8n GET /types/${kind}.json answered ${response.status}`);
		return (await response.json()) as TypeDescription[];
	}

	/** Stops n8n gracefully and starts it again on the same port, database and user folder. */
	/** One page of a resource locator's "From List", asked for as the editor asks (its filter and paging token). */
	async listSearch(request: ListSearchRequest): Promise<ListSearchPage> {
		return (await this.rest(
			'POST',
			'/rest/dynamic-node-parameters/resource-locator-results',
			dynamicParameters(request),
		)) as ListSearchPage;
	}

	/** The options of a drop-down whose options load from the service, as the editor asks for them. */
	async loadOptions(request: DynamicParameters): Promise<Array<{ name: string; value: string }>> {
		return (await this.rest('POST', '/rest/dynamic-node-parameters/options', dynamicParameters(request))) as Array<{
			name: string;
			value: string;
		}>;
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.boot();
	}

	async stop(): Promise<void> {
		if (this.instance.warm === this) this.instance.warm = undefined;
		await this.process?.stop();
		this.process = undefined;
	}

	private async boot(): Promise<void> {
		const env = {
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${this.url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'info',
		};
		const child = Daemon.n8n(this.instance, ['start'], env, (text) => (this.log += text));
		this.process = child;
		try {
			// Only this process's own announcement counts: another server could hold a port we were told was free.
			await child.waitUntil(
				'n8n start',
				async () => child.log.includes(`accessible via:\n${this.url}`) && (await this.ready()),
				STARTUP_LIMIT_MS,
			);
			await this.signIn();
			this.instance.warm = this;
		} catch (error) {
			await this.stop();
			throw error;
		}
	}

	private async ready(): Promise<boolean> {
		try {
			const response = await fetch(`${this.url}/rest/settings`);
			return response.ok;
		} catch {
			return false;
		}
	}

	/** Sets the owner up on first boot (imported workflows already belong to the owner's project), then logs in. */
	private async signIn(): Promise<void> {
		if (!this.ownerReady) {
			await this.rest('POST', '/rest/owner/setup', OWNER);
			this.ownerReady = true;
			return;
		}
		await this.rest('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	}

	private async execution(id: string): Promise<StoredExecution> {
		return toStored(await this.storedRun(id));
	}

	/** Starts a manual run and polls until n8n has stored its end. */
	private async finishedRun(workflowId: string, triggerName: string): Promise<StoredRun> {
		const started = (await this.rest('POST', `/rest/workflows/${workflowId}/run`, {
			triggerToStartFrom: { name: triggerName },
		})) as { executionId: string };
		for (;;) {
			const run = await this.storedRun(started.executionId);
			if (!['new', 'running', 'waiting'].includes(run.status)) return run;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	private async storedRun(id: string): Promise<StoredRun> {
		const found = (await this.rest('GET', `/rest/executions/${id}`)) as {
			id: string;
			status: string;
			mode: string;
			data: string;
		};
		// n8n stores run data in the `flatted` format; its own copy of the package reads it.
		const flatted = require(join(this.instance.install.n8n, '..', 'flatted')) as { parse(text: string): unknown };
		// A running execution has no data yet.
		const data = (found.data ? flatted.parse(found.data) : undefined) as { resultData?: ResultData } | undefined;
		return { id: found.id, status: found.status, mode: found.mode, resultData: data?.resultData };
	}

	private async rest(method: string, path: string, body?: unknown): Promise<unknown> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': 'rills-harness',
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		const auth = setCookie && /n8n-auth=[^;]+/.exec(setCookie)?.[0];
		if (auth) this.cookie = auth;
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} ${path} answered ${response.status}: ${text.slice(0, 1000)}`);
		return text ? (JSON.parse(text) as { data: unknown }).data : undefined;
	}
}
