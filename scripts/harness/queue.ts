/**
 * n8n in queue mode on loopback, for tests: Debian's PostgreSQL (the shared database) and Redis
 * (the job queue), one `n8n start` main that takes webhooks and enqueues executions, and
 * `n8n worker` processes that run them — each worker its own process with its own user folder,
 * health port and task-broker port, all sharing one database and one encryption key.
 *
 *   const queue = await QueueMode.create();         // PostgreSQL, Redis, an N8nInstance on them
 *   await queue.instance.importCredentials(...);    // the CLI writes into PostgreSQL
 *   await queue.start({ workers: 2 });              // main (N8nServer) and the workers
 *   ...
 *   await queue.stop();                             // everything, in reverse, also after a failure
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, N8nInstance, type N8nOptions } from './n8n';
import { Daemon, N8nServer } from './n8n-server';

const MISSING =
	"queue mode needs Debian's postgresql and redis-server packages: apt-get install -y postgresql redis-server (.ci/run does this)";

/** The folder of PostgreSQL's server binaries: $PG_BIN, or the newest /usr/lib/postgresql/<major>/bin. */
export function postgresBin(): string {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root)
		? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
		: [];
	if (majors.length === 0) throw new Error(`no PostgreSQL server under ${root}: ${MISSING}`);
	return join(root, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

function run(
	command: string,
	args: string[],
	options: { uid?: number; gid?: number; cwd?: string } = {},
): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile(
			command,
			args,
			{ ...options, env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' } },
			(error, stdout, stderr) =>
				error
					? reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`))
					: resolve(),
		);
	});
}

/**
 * uid/gid to run PostgreSQL as: itself refuses root, so root runs it as the `postgres` user Debian's package creates.
 */
function postgresUser(): { uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return {};
	const entry = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.map((line) => line.split(':'))
		.find((fields) => fields[0] === 'postgres');
	if (!entry) throw new Error(`running as root and there is no postgres user to run PostgreSQL as: ${MISSING}`);
	return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** A server run as a Daemon from a temp folder on a loopback port; `stop` also removes the folder. */
abstract class LoopbackServer {
	protected daemon?: Daemon;

	protected constructor(
		readonly dir: string,
		readonly port: number,
	) {}

	/** Everything the server printed. */
	get log(): string {
		return this.daemon?.log ?? '';
	}

	async stop(): Promise<void> {
		await this.daemon?.stop();
		rmSync(this.dir, { recursive: true, force: true });
	}

	/** Runs `boot` (which starts the daemon and waits for it); stops and cleans up if it fails. */
	protected async booted(boot: () => Promise<void>): Promise<this> {
		try {
			await boot();
			return this;
		} catch (error) {
			await this.stop();
			throw error;
		}
	}
}

/** A throwaway PostgreSQL cluster in a temp folder, listening on 127.0.0.1 only, with a password. */
export class Postgres extends LoopbackServer {
	readonly user = 'n8n';
	readonly password = randomBytes(12).toString('hex');
	readonly database = 'postgres';

	static async start(): Promise<Postgres> {
		const bin = postgresBin();
		const owner = postgresUser();
		const postgres = new Postgres(mkdtempSync(join(tmpdir(), 'rills-pg-')), await freePort());
		return await postgres.booted(async () => {
			const { dir } = postgres;
			if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid!);
			const pwfile = join(dir, 'pwfile');
			writeFileSync(pwfile, postgres.password, { mode: 0o600 });
			if (owner.uid !== undefined) chownSync(pwfile, owner.uid, owner.gid!);
			const data = join(dir, 'data');
			await run(
				join(bin, 'initdb'),
				[
					'-D',
					data,
					'-U',
					postgres.user,
					`--pwfile=${pwfile}`,
					'--auth=scram-sha-256',
					'-E',
					'UTF8',
					'--no-sync',
				],
				{ ...owner, cwd: dir },
			);
			// Unix socket in the temp folder, TCP on loopback only; durability is not what a test needs.
			const args = [
				'-D',
				data,
				'-h',
				'127.0.0.1',
				'-p',
				String(postgres.port),
				'-k',
				dir,
				'-c',
				'fsync=off',
				'-c',
				'synchronous_commit=off',
				'-c',
				'full_page_writes=off',
			];
			// SIGINT is PostgreSQL's fast shutdown.
			const daemon = new Daemon(
				join(bin, 'postgres'),
				args,
				{ ...owner, cwd: dir, env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' } },
				undefined,
				'SIGINT',
			);
			postgres.daemon = daemon;
			await daemon.waitUntil(
				'postgres',
				() => daemon.log.includes('database system is ready to accept connections'),
				60_000,
			);
		});
	}

	/** n8n's settings for this database. */
	get n8nEnv(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: this.password,
			DB_POSTGRESDB_DATABASE: this.database,
		};
	}
}

/** A throwaway Redis on 127.0.0.1 that persists nothing. */
export class Redis extends LoopbackServer {
	static async start(): Promise<Redis> {
		const redis = new Redis(mkdtempSync(join(tmpdir(), 'rills-redis-')), await freePort());
		return await redis.booted(async () => {
			const command =
				process.env.REDIS_SERVER ??
				(existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server');
			const args = [
				'--port',
				String(redis.port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				redis.dir,
			];
			const daemon = new Daemon(command, args, { cwd: redis.dir });
			redis.daemon = daemon;
			// A missing binary fails the spawn: say which package provides it.
			await daemon.waitUntil(
				`redis-server (${MISSING})`,
				() => daemon.log.includes('Ready to accept connections'),
				60_000,
			);
		});
	}

	get n8nEnv(): Record<string, string> {
		return { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(this.port) };
	}
}

/** One `n8n worker`: its own process, user folder, health port and task-broker port. */
export class N8nWorker {
	private constructor(
		readonly index: number,
		readonly userFolder: string,
		readonly healthPort: number,
		private readonly daemon: Daemon,
	) {}

	static async start(instance: N8nInstance, index: number, env: Record<string, string> = {}): Promise<N8nWorker> {
		const userFolder = mkdtempSync(join(tmpdir(), `rills-n8n-worker${index}-`));
		const healthPort = await freePort();
		const daemon = Daemon.n8n(instance, ['worker', '--concurrency=10'], {
			N8N_USER_FOLDER: userFolder,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_LOG_LEVEL: 'info',
			...env,
		});
		const worker = new N8nWorker(index, userFolder, healthPort, daemon);
		try {
			await daemon.waitUntil(
				`n8n worker ${index}`,
				async () => daemon.log.includes('n8n worker is now ready') && (await worker.ready()),
			);
			return worker;
		} catch (error) {
			await worker.stop();
			throw error;
		}
	}

	get log(): string {
		return this.daemon.log;
	}

	get pid(): number | undefined {
		return this.daemon.pid;
	}

	/** Ids of the executions this worker finished, from its own log ("Worker finished execution N (job M)"). */
	finishedExecutions(): string[] {
		return [...this.log.matchAll(/Worker finished execution (\d+) \(job /g)].map((m) => m[1]);
	}

	async stop(): Promise<void> {
		await this.daemon.stop();
		rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** The worker's readiness endpoint: database and Redis connected. */
	private async ready(): Promise<boolean> {
		try {
			return (await fetch(`http://127.0.0.1:${this.healthPort}/healthz/readiness`)).ok;
		} catch {
			return false;
		}
	}
}

export class QueueMode {
	main?: N8nServer;
	workers: N8nWorker[] = [];

	private constructor(
		readonly postgres: Postgres,
		readonly redis: Redis,
		readonly instance: N8nInstance,
	) {}

	/**
	 * PostgreSQL, Redis and an n8n instance set up for queue mode on them; import credentials and workflows, then
	 * `start`.
	 */
	static async create(options: N8nOptions = {}): Promise<QueueMode> {
		const postgres = await Postgres.start();
		let redis: Redis | undefined;
		try {
			redis = await Redis.start();
			const env = { EXECUTIONS_MODE: 'queue', ...postgres.n8nEnv, ...redis.n8nEnv, ...options.env };
			return new QueueMode(postgres, redis, await N8nInstance.create({ ...options, env }));
		} catch (error) {
			await redis?.stop();
			await postgres.stop();
			throw error;
		}
	}

	/** Starts the main, then `workers` workers; `workerEnv(i)` adds environment to worker i (0-based). */
	async start(
		options: { workers?: number; workerEnv?: (index: number) => Record<string, string> } = {},
	): Promise<void> {
		this.main = await N8nServer.start(this.instance);
		for (let i = 0; i < (options.workers ?? 2); i++)
			this.workers.push(await N8nWorker.start(this.instance, i, options.workerEnv?.(i)));
	}

	/**
	 * Stops whatever runs — workers, main, Redis, PostgreSQL — and removes their folders; safe after a failed start.
	 */
	async stop(): Promise<void> {
		const steps = [
			...this.workers.map((w) => () => w.stop()),
			() => this.main?.stop(),
			() => this.redis.stop(),
			() => this.postgres.stop(),
		];
		const failures: unknown[] = [];
		for (const step of steps) await step()?.catch((error: unknown) => failures.push(error));
		this.instance.dispose();
		if (failures.length) throw failures[0];
	}
}
