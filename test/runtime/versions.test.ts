/**
 * Node versions at the runtime: the Paging Lab's `search` changed in version 2 (test/n8n/fixtures), and a node sends
 * the request of its own typeVersion, so a workflow saved with version 1 sends what version 1 sent.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { runOperations } from '../../nodes/shared/execute';
import type { IntegrationTable } from '../../nodes/shared/types';
import { requestAuth } from '../../scripts/emit/credentials';
import { namespaceOf } from '../../scripts/emit/names';
import { operationTable } from '../../scripts/emit/table';
import { loadDefinition } from '../../scripts/load/definition';
import { startPagingLab, type PagingLabFake } from '../fakes/paging-lab';
import { nodeContext } from '../security/context';
import { PAGING_LAB_DEFINITION } from './pagination-cases';

const { integration, findings } = loadDefinition(PAGING_LAB_DEFINITION);
if (!integration) throw new Error(JSON.stringify(findings, null, 2));
const table = operationTable(integration, namespaceOf('n8n-nodes-paging-lab'));
let lab: PagingLabFake;

/** What a node of `typeVersion` with these parameters sent to /search, or the error it stopped with. */
async function search(typeVersion: number, parameters: Record<string, unknown>, using: IntegrationTable = table) {
	const { context } = nodeContext<IExecuteFunctions>({
		parameters: { resource: 'item', operation: 'search', ...parameters },
		credentials: { server: lab.url, apiKey: lab.apiKey },
		auth: requestAuth(integration!.auth[0]),
	});
	const node = context.getNode();
	context.getNode = () => ({ ...node, typeVersion });
	lab.requests.splice(0);
	try {
		await runOperations.call(context, using);
	} catch (error) {
		return { error: (error as Error).message };
	}
	return lab.requests.map((r) => ({ path: r.path, query: Object.fromEntries(r.query), tag: r.headers.tag }));
}

/** How version 1 of the node stored its fields. */
const savedWithVersion1 = { q: 'old', additionalFields: { max: '05', tag: 't1' } };

beforeAll(async () => {
	lab = await startPagingLab();
});
afterAll(async () => lab?.close());

it('a node of version 1 sends the version 1 request: q, max as typed, tag in the query', async () => {
	expect(await search(1, savedWithVersion1)).toEqual([
		{ path: '/search', query: { q: 'old', max: '05', tag: 't1' }, tag: undefined },
	]);
});

it('a node of version 2 sends query, max as a number, tag as a header, and no version 1 field', async () => {
	expect(await search(2, { ...savedWithVersion1, query: 'new', additionalFields: { max: 7, tag: 't2' } })).toEqual([
		{ path: '/search', query: { query: 'new', max: '7' }, tag: 't2' },
	]);
});

it('an operation a version does not have is refused before anything is sent', async () => {
	const removed = {
		...table,
		operations: { ...table.operations, 'item:search': { ...table.operations['item:search'], until: 1 } },
	};
	expect(await search(2, { query: 'new' }, removed)).toEqual({
		error: 'Operation "search" is not in version 2 of this node',
	});
	expect(lab.requests).toEqual([]);
	expect(await search(1, savedWithVersion1, removed)).toHaveLength(1);
});
