/**
 * One corpus worker: generates each spec it is sent into its own package folder and loads the
 * generated node and credentials in memory. The parent times every spec, so a hang here is
 * caught there.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateModule, evaluateNode } from '../openapi/evaluate';
import { importSpec } from '../openapi/import';
import { packageFiles, writeFiles } from '../openapi/package';

export interface Job {
	id: string;
	file: string;
	out: string;
}

export interface Outcome {
	id: string;
	outcome: 'generated' | 'refused' | 'crashed' | 'hung' | 'type-error';
	reason?: string;
	operations?: number;
	out?: string;
}

const RUNTIME = join(__dirname, '..', '..', 'nodes', 'shared');

async function run(job: Job): Promise<Outcome> {
	try {
		const imported = await importSpec(job.file, { shown: job.id });
		if (!imported.integration) return { id: job.id, outcome: 'refused', reason: imported.refusal };
		// The runtime is linked, not copied: one copy on disk, and the compiler checks it once.
		const files = packageFiles(imported.integration, 'n8n-nodes-corpus', job.id).filter(
			(f) => !f.path.startsWith('nodes/shared/'),
		);
		rmSync(job.out, { recursive: true, force: true });
		writeFiles(job.out, files);
		mkdirSync(join(job.out, 'nodes'), { recursive: true });
		symlinkSync(RUNTIME, join(job.out, 'nodes', 'shared'), 'dir');
		evaluateNode(files.find((f) => f.path.endsWith('.node.ts'))!.content);
		for (const f of files.filter((x) => x.path.endsWith('.credentials.ts'))) evaluateModule(f.content);
		const operations = imported.integration.resources.reduce((n, r) => n + r.operations.length, 0);
		return { id: job.id, outcome: 'generated', operations, out: job.out };
	} catch (error) {
		return {
			id: job.id,
			outcome: 'crashed',
			reason: (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error),
		};
	}
}

process.on('message', (job: Job) => {
	void run(job).then((outcome) => process.send!(outcome));
});
