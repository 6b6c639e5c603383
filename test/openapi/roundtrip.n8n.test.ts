/**
 * The round trip (scripts/roundtrip/) on a small fixed sample: ReadMe's example specs generated as
 * packages, loaded into one real n8n, a few operations each run against `prism mock --errors` of the
 * same spec. Any request Prism refuses fails the test; `npm run roundtrip` is the full sweep.
 */
import { roundTrip, type RoundTripRow } from '../../scripts/roundtrip/roundtrip';
import { startMock } from '../../scripts/roundtrip/mock';
import { readmeSpecs } from '../../scripts/roundtrip/specs';

const SAMPLE = readmeSpecs([
	'3.0/json/parameters-common.json',
	'3.0/json/complex-nesting.json',
	'3.0/json/star-trek.json',
]);
let rows: RoundTripRow[];

beforeAll(async () => {
	rows = await roundTrip(SAMPLE, { operationsPerSpec: 4 });
});

it('runs operations of every spec of the sample in n8n', () => {
	expect(rows.map((r) => r.skipped)).toEqual(SAMPLE.map(() => []));
	for (const r of rows) {
		expect(r.operations).toBeGreaterThanOrEqual(3);
		expect(r.requests).toBeGreaterThanOrEqual(r.operations);
	}
});

it('sends only requests the spec allows', () => {
	expect(rows.flatMap((r) => r.violations)).toEqual([]);
	expect(rows.flatMap((r) => [...r.mockFailures, ...r.nodeErrors])).toEqual([]);
});

it('the mock does refuse a request the spec does not allow (the check is real)', async () => {
	const mock = await startMock(SAMPLE[2].file, []);
	try {
		await fetch(`${mock.url}/animal`); // its required uid left out
		await fetch(`${mock.url}/no/such/path`);
		expect(mock.violations.map((v) => v.url)).toEqual(['/animal', '/no/such/path']);
	} finally {
		await mock.close();
	}
});
