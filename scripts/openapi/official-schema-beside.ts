/**
 * The official-schema check of a large spec, run in a worker thread beside the import: it was a third of a whole
 * `n8n-rills generate` on GitHub's REST spec, and it only reads the spec. The worker loads the file itself (its own
 * copy: handing this thread's over would cost more than reading it, and lintSpec's fixes change this thread's) and
 * checks it as `officialFindings(loaded, shown)` would here, so its findings are the ones an import without it lists.
 * Meanwhile this thread runs lintSpec's checks, applies its fixes, maps the spec and emits the package.
 *
 * Only the compiled generator starts one (`npm run build:generator` bundles this file as the worker's script), only
 * for a spec of `MIN_BYTES` or more, and only while a processor is free: the second load costs CPU time, so on a
 * machine whose processors are all busy the check is done sooner in the importing thread.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { GENERATOR_ROOT } from '../generator-root';
import type { Finding } from '../validate/finding';
import { loadSpec } from './load';
import { isTooDeep, officialFindings } from './official-schema';

/**
 * Below this, starting a thread and loading the spec again cost about what the check does (GitHub's 13 MB spec is
 * checked in about 130 ms on an idle machine, loaded in about 90, and a thread starts in about 40).
 */
const MIN_BYTES = 2 * 1024 * 1024;

/**
 * The worker's stack, smaller than the importing thread's (984 kB by V8's default, the worker gets this less 192 kB):
 * a spec nested deeply enough to exhaust the stack here exhausts the worker's first, and is then checked here (see
 * `Message`), so stack depth never makes the two differ.
 */
const STACK_MB = 1;

/** The worker's script: this module, bundled by `npm run build:generator` (absent where the TypeScript runs). */
export const WORKER_SCRIPT = join(GENERATOR_ROOT, 'scripts', 'official-schema-beside.js');

interface Job {
	checkBeside: true;
	file: string;
	shown: string;
	refRoot?: string;
}

/** The findings, or nothing when the worker could not check as this thread would (then this thread checks). */
type Message = { findings?: Finding[] };

export interface CheckBeside {
	/** The official schema's findings, or undefined when the importing thread must check itself. */
	findings: Promise<Finding[] | undefined>;
	/** Stops the worker if it is still running. */
	stop(): void;
}

/** Starts the check of `file` in a worker, or returns undefined where checking in this thread is better. */
export function checkBeside(file: string, shown: string, refRoot?: string): CheckBeside | undefined {
	if (!processorFree() || !existsSync(WORKER_SCRIPT)) return undefined;
	try {
		if (statSync(file).size < MIN_BYTES) return undefined;
	} catch {
		return undefined;
	}
	return checkInWorker(file, shown, refRoot);
}

/** The check of `file` in a worker running `script`, whatever the spec's size and the machine's load. */
export function checkInWorker(
	file: string,
	shown: string,
	refRoot?: string,
	script = WORKER_SCRIPT,
): CheckBeside | undefined {
	const job: Job = { checkBeside: true, file, shown, refRoot };
	let worker: Worker;
	try {
		worker = new Worker(script, { workerData: job, resourceLimits: { stackSizeMb: STACK_MB } });
	} catch {
		return undefined;
	}
	const findings = new Promise<Finding[] | undefined>((resolve) => {
		worker.once('message', (message: Message) => {
			// Done: the process need not wait for the thread to wind down.
			worker.unref();
			resolve(message.findings);
		});
		worker.once('error', () => resolve(undefined));
		worker.once('exit', () => resolve(undefined));
	});
	return { findings, stop: () => void worker.terminate() };
}

/**
 * Whether a processor is free for the worker: at least two, and no more threads ready to run than leave one. Linux
 * counts them now in /proc/loadavg (this thread included); the last minute's load average, the fallback elsewhere,
 * still holds the run of the command before this one, so it kept the worker off for a user generating twice in a row.
 */
function processorFree(): boolean {
	const processors = availableParallelism();
	if (processors < 2) return false;
	const runnable = runnableNow();
	return runnable === undefined ? loadavg()[0] <= processors - 1 : runnable + 1 <= processors;
}

/** The threads running or ready to run at this moment, this one included, where the system says. */
function runnableNow(): number | undefined {
	try {
		const match = /^\S+ \S+ \S+ (\d+)\//.exec(readFileSync('/proc/loadavg', 'utf8'));
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined;
	}
}

async function checkJob({ file, shown, refRoot }: Job): Promise<Message> {
	try {
		const findings = officialFindings(await loadSpec(file, shown, refRoot), shown);
		return findings.some(isTooDeep) ? {} : { findings };
	} catch {
		// Whatever went wrong (a stack exhausted, say) goes wrong again in the importing thread, which reports it.
		return {};
	}
}

if (!isMainThread && (workerData as Job | undefined)?.checkBeside)
	void checkJob(workerData as Job).then((message) => parentPort!.postMessage(message));
