/**
 * Every pagination style, retries and the loop guards (pagination-cases.ts) against the runtime
 * directly, without n8n: the operation table and the credential's authentication are what the
 * generator emits for the Paging Lab definition, and requests go through n8n's own request function.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { runOperations } from '../../nodes/shared/execute';
import { requestAuth } from '../../scripts/emit/credentials';
import { namespaceOf } from '../../scripts/emit/names';
import { operationTable } from '../../scripts/emit/table';
import { loadDefinition } from '../../scripts/load/definition';
import { startPagingLab, type PagingLabFake } from '../fakes/paging-lab';
import { hooks } from '../n8n/fixtures/pagingLab.hooks';
import { nodeContext } from '../security/context';
import { PAGING_LAB_DEFINITION, paginationCases, type Run } from './pagination-cases';

const { integration, findings } = loadDefinition(PAGING_LAB_DEFINITION);
if (!integration) throw new Error(JSON.stringify(findings, null, 2));
const table = operationTable(integration, namespaceOf('n8n-nodes-paging-lab'));
let lab: PagingLabFake;

const run: Run = async (operation, parameters) => {
	const { context } = nodeContext<IExecuteFunctions>({
		parameters: { resource: 'item', operation, ...parameters },
		credentials: { server: lab.url, apiKey: lab.apiKey },
		auth: requestAuth(integration.auth[0]),
	});
	try {
		return { items: (await runOperations.call(context, table, hooks))[0].map((item) => item.json) };
	} catch (error) {
		const { message, description } = error as { message: string; description?: string | null };
		return { error: { message, description } };
	}
};

beforeAll(async () => {
	lab = await startPagingLab();
});
afterAll(async () => lab?.close());

paginationCases(() => ({ run, lab }));
