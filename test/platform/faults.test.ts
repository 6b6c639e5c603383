/**
 * The faults soak (scripts/soak.ts), short: a Return All of 4,000 items in 40 pages through a real
 * n8n while every tenth request fails — one 429 with Retry-After, one 503, one response stalled
 * past the definition's 2 s timeout, one reset connection — loses and duplicates nothing. And its
 * polling part: 5 polls of the Fault Lab polling trigger in a running n8n, 30 items added before
 * each, every third request failing, emit each added item once.
 */
import { join } from 'node:path';
import { loadDefinition } from '../../scripts/load/definition';
import { evaluateExports } from '../../scripts/openapi/evaluate';
import { packageFiles } from '../../scripts/openapi/package';
import type { IntegrationTable } from '../../nodes/shared/types';
import { FAULTS, runPollSoak, runSoak } from '../../scripts/soak';

it("the definition's retry.timeoutSeconds reaches the generated node's table", () => {
	const { integration } = loadDefinition(join(__dirname, '..', '..', 'scripts', 'soak', 'faultLab.integration.yaml'));
	const node = packageFiles(integration!, 'n8n-nodes-fault-lab', 'faultLab.integration.yaml').find((f) =>
		f.path.endsWith('FaultLab.node.ts'),
	);
	const table = evaluateExports(node!.content).table as IntegrationTable;
	expect(table.retry.timeoutSeconds).toBe(2);
});

it('a paginated Return All survives 429, 503, a stall and a reset with nothing lost or repeated', async () => {
	const result = await runSoak(4000);
	expect(result.error).toBeUndefined();
	expect(result).toMatchObject({ returned: 4000, missing: 0, duplicates: 0, inOrder: true });
	expect(result.faults).toEqual({ '429': 1, '503': 1, stall: 1, reset: 1 });
	// The API never answers a stalled request: the definition's timeout ended it.
	expect(result.abandoned).toBe(1);
	// Each page was answered once; every fault cost exactly one more request.
	expect(result.pages).toBe(40);
	expect(result.requests).toBe(44);
});

it('a polling trigger over 5 polls under the same faults emits every item added between polls exactly once', async () => {
	const result = await runPollSoak({ polls: 5, initial: 150, perPoll: 30, faultEvery: 3 });
	expect(result.error).toBeUndefined();
	expect(result).toMatchObject({ added: 150, emitted: 150, missing: 0, duplicates: 0, exactPolls: 5 });
	for (const fault of FAULTS) expect(result.faults[fault]).toBeGreaterThanOrEqual(1);
	// Every fault cost exactly one more request, and no page was read twice within a poll.
	expect(result.requests - result.pages).toBe(FAULTS.reduce((sum, f) => sum + result.faults[f], 0));
	// Poll 0 reads 2 pages (150 items), then polls read 2, 3, 3, 3, 3 pages.
	expect(result.pages).toBe(2 + 2 + 3 + 3 + 3 + 3);
});

// n8n 1.x's errors for authenticated requests carry no headers; the runtime reads HTTP errors as responses instead.
it.each([['2.41.1'], ['1.123.81']])("n8n %s: a 429's Retry-After is waited out before the retry", async (version) => {
	const result = await runSoak(600, { faultEvery: 2, version });
	expect(result.error).toBeUndefined();
	expect(result).toMatchObject({ returned: 600, missing: 0, duplicates: 0, inOrder: true });
	expect(result.faults['429']).toBeGreaterThanOrEqual(2);
	expect(result.retryGapsMs).toHaveLength(result.faults['429']);
	// Retry-After: 1 against the definition's 0.1 s backoff.
	for (const gap of result.retryGapsMs) expect(gap).toBeGreaterThanOrEqual(950);
});
