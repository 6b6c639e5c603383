import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../validate/finding';
import { lintSpec } from './lint';
import { loadSpec, type LoadedSpec } from './load';

/** What loading and linting a spec found, before it is mapped; a refusal when it threw. */
export interface Linted {
	findings: Finding[];
	refusal?: string;
}

/** The spec loaded and linted: `full` runs every check of `n8n-rills lint`, otherwise only the fixes mapping needs. */
export async function loadAndLint(
	file: string,
	shown: string,
	refRoot: string | undefined,
	full: boolean,
): Promise<{ loaded: LoadedSpec; findings: Finding[] }> {
	const loaded = await loadSpec(file, shown, refRoot);
	return { loaded, findings: [...loaded.findings, ...lintSpec(loaded, shown, full)] };
}

/** Whatever the input, the answer is a finding: a bug of ours must not look like a crash of the user's run. */
export function unprocessable(error: unknown, shown: string): Linted {
	const message =
		error instanceof RangeError
			? 'the spec is nested too deeply to process'
			: `the import failed: ${(error as Error).message}`;
	const finding: Finding = {
		file: shown,
		pointer: '',
		severity: 'error',
		rule: 'unprocessable',
		message,
		fix: 'flatten the deepest schemas with $ref to named components; if the spec is ordinary, report this with the file',
	};
	return { findings: [finding], refusal: `unprocessable: ${message}` };
}

/**
 * Below this size a spec is linted in the calling thread: a worker thread takes about 30 ms to start and loads the
 * spec again, more than every check costs on a spec this small.
 */
const WORKER_BYTES = 1_000_000;

export interface WorkerInput {
	file: string;
	shown: string;
	refRoot?: string;
}

/**
 * Every lint check of a large spec in a worker thread, which loads the spec itself, while the calling thread maps
 * and emits it: on GitHub's 13 MB spec the checks cost as much as the rest of `n8n-rills generate` (the official
 * schema alone 280–370 ms), and beside it they take its whole-process time from 1.84× n8n-openapi-node's to the
 * figure in docs/measurements.md. Undefined for a small spec: lint it in this thread.
 */
export function lintBeside(input: WorkerInput): Promise<Linted> | undefined {
	if ((statSync(input.file, { throwIfNoEntry: false })?.size ?? 0) < WORKER_BYTES) return undefined;
	// Under tsx (this repository) the worker is TypeScript too, and needs tsx to load.
	const typescript = __filename.endsWith('.ts');
	const worker = new Worker(join(__dirname, `lint-worker.${typescript ? 'ts' : 'js'}`), {
		workerData: input,
		execArgv: typescript ? ['--require', require.resolve('tsx/cjs')] : [],
	});
	return new Promise((resolve) => {
		worker.once('message', resolve);
		worker.once('error', (error) => resolve(unprocessable(error, input.shown)));
	});
}
