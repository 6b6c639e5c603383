/**
 * Every pagination style, retries and the loop guards (test/runtime/pagination-cases.ts), run by a
 * generated node inside a real n8n. The node is built as its own package, the way a contributor's
 * integration would be.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { N8nInstance } from '../../scripts/harness/n8n';
import { loadDefinition } from '../../scripts/load/definition';
import { buildPackage } from '../../scripts/harness/package-build';
import { startPagingLab, type PagingLabFake } from '../fakes/paging-lab';
import { PAGING_LAB_DEFINITION, paginationCases, type Run } from '../runtime/pagination-cases';

const OUT = join(__dirname, '..', '..', '.test-output', 'paging-lab-package');
let n8n: N8nInstance;
let lab: PagingLabFake;

const run: Run = async (operation, parameters) => {
	const execution = await n8n.run([
		{
			name: 'Lab',
			type: 'CUSTOM.pagingLab',
			parameters: { resource: 'item', operation, ...parameters },
			credentials: { pagingLabPagingLabApi: { id: 'lab', name: 'Lab key' } },
		},
	]);
	return { items: execution.output.Lab, error: execution.error };
};

beforeAll(async () => {
	const { integration, findings } = loadDefinition(PAGING_LAB_DEFINITION);
	if (!integration) throw new Error(JSON.stringify(findings, null, 2));
	rmSync(OUT, { recursive: true, force: true });
	buildPackage(
		OUT,
		integration,
		'n8n-nodes-paging-lab',
		'pagingLab.integration.yaml',
		dirname(PAGING_LAB_DEFINITION),
	);
	lab = await startPagingLab();
	n8n = await N8nInstance.create({ extensions: [join(OUT, 'dist')] });
	// Runs go through one `n8n start` rather than an n8n boot per import and execute.
	await N8nServer.start(n8n);
	await n8n.importCredentials([
		{ id: 'lab', name: 'Lab key', type: 'pagingLabPagingLabApi', data: { server: lab.url, apiKey: lab.apiKey } },
	]);
});

afterAll(async () => {
	await n8n?.close();
	await lab?.close();
});

paginationCases(() => ({ run, lab }));

it('a workflow saved with node version 1 still sends the version 1 request; a version 2 node the new one', async () => {
	// One execution for both, as a workflow saved before version 2 and a node added after it.
	const node = (name: string, typeVersion: number, parameters: Record<string, unknown>) => ({
		name,
		type: 'CUSTOM.pagingLab',
		typeVersion,
		parameters: { resource: 'item', operation: 'search', ...parameters },
		credentials: { pagingLabPagingLabApi: { id: 'lab', name: 'Lab key' } },
	});
	const execution = await n8n.run([
		node('Saved', 1, { q: 'old', additionalFields: { max: '05', tag: 't1' } }),
		node('Added', 2, { query: 'new', additionalFields: { max: 7, tag: 't2' } }),
	]);
	expect(execution.error).toBeUndefined();
	expect(execution.output.Saved).toEqual([{ query: { q: 'old', max: '05', tag: 't1' }, tag: null }]);
	expect(execution.output.Added).toEqual([{ query: { query: 'new', max: '7' }, tag: 't2' }]);
	expect(lab.requests.filter((r) => r.path === '/search')).toHaveLength(2);
});
