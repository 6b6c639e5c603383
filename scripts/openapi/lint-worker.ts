/** The worker thread `lintBeside` starts: the spec loaded and given every check of `n8n-rills lint`. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadAndLint, unprocessable, type Linted, type WorkerInput } from './lint-beside';

async function lint({ file, shown, refRoot }: WorkerInput): Promise<Linted> {
	try {
		return { findings: (await loadAndLint(file, shown, refRoot, true)).findings };
	} catch (error) {
		return unprocessable(error, shown);
	}
}

void lint(workerData as WorkerInput).then((linted) => parentPort!.postMessage(linted));
