/**
 * The concurrent page cases (concurrent-pages-cases.ts) against the runtime's page reader directly,
 * over real HTTP, without n8n.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { Session } from '../../nodes/shared/http';
import { fetchPages, type ListSpec } from '../../nodes/shared/pagination';
import type { IntegrationTable } from '../../nodes/shared/types';
import { startPageCountLab, type PageCountLab } from '../fakes/page-count-lab';
import { concurrentPageCases, LAB_ITEMS, type Read } from './concurrent-pages-cases';

const table: IntegrationTable = {
	name: 'lab',
	displayName: 'Lab',
	baseUrl: '',
	configDefaults: {},
	auth: [{ credentialType: '', kind: 'none' }],
	rateLimits: [],
	retry: { maxRetries: 3, maxWaitSeconds: 5, backoffSeconds: 0.05 },
	operations: {},
};
const sizes = { resultsKey: 'items', pageSizeParam: 'per_page', pageSize: 100, maxPageSize: 500 };
/** The lab's two ways of stating its pages, each as a definition would declare it. */
const styles: Array<{ style: string; path: string; spec: ListSpec }> = [
	{
		style: 'page count in the body',
		path: '/items',
		spec: { pagination: { type: 'page', pageParam: 'page', totalPagesPath: 'total_pages', ...sizes } },
	},
	{
		style: 'Link header with next and last',
		path: '/linked',
		spec: { pagination: { type: 'link', location: 'header', ...sizes } },
	},
];

/** n8n's request helper as the runtime uses it for a credential-less API, over fetch. */
const context = {
	getNode: () => ({ name: 'Lab' }),
	helpers: {
		httpRequest: async (options: { url: string; qs?: Record<string, unknown> }) => {
			const url = new URL(options.url);
			for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
			const response = await fetch(url);
			return {
				statusCode: response.status,
				headers: Object.fromEntries(response.headers.entries()),
				body: await response.json(),
			};
		},
	},
} as unknown as IExecuteFunctions;

let lab: PageCountLab;
const reader =
	(path: string, spec: ListSpec): Read =>
	(limit, options) => {
		const session: Session = {
			table,
			variant: table.auth[0],
			limiterKey: `lab:${Math.random()}`,
			rateLimits: table.rateLimits,
			origin: new URL(lab.url).origin,
			errors: { node: { name: 'Lab' } as never, integration: 'Lab', itemIndex: 0, secrets: [] },
		};
		return fetchPages.call(
			context,
			session,
			{ method: 'GET', url: `${lab.url}${path}`, json: true },
			spec,
			limit,
			0,
			options,
		);
	};

beforeAll(async () => {
	lab = await startPageCountLab(LAB_ITEMS);
});
afterAll(async () => lab?.close());

describe.each(styles)('$style', ({ path, spec }) => {
	const read = reader(path, spec);
	concurrentPageCases(() => ({ read, lab }));
});
