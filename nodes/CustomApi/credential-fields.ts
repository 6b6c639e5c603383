// Hand-written: the fields both Custom API credentials hold (API key/basic/none and OAuth2), besides their auth.
import type { INodeProperties } from 'n8n-workflow';

const pagination = (types: string[]) => ({ show: { paginationType: types } });
const PAGED = ['index', 'page', 'link', 'pointer'];

/** The spec, pasted or at a URL, and where requests go. */
export const specFields: INodeProperties[] = [
	{
		displayName: 'Spec Source',
		name: 'specSource',
		type: 'options',
		options: [
			{ name: 'Pasted Here', value: 'paste', description: 'The spec is pasted into the field below' },
			{
				name: 'From a URL',
				value: 'url',
				description: 'Fetched without credentials when first needed, then again every five minutes',
			},
		],
		default: 'paste',
	},
	{
		displayName: 'OpenAPI Spec',
		name: 'spec',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '',
		required: true,
		displayOptions: { show: { specSource: ['paste'] } },
		description:
			"The API's OpenAPI 3.0/3.1 or Swagger 2.0 document, as JSON or YAML. The Custom API node lists its tags as resources and its operations as actions.",
	},
	{
		displayName: 'Spec URL',
		name: 'specUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://api.example.com/openapi.yaml',
		description:
			"Where n8n fetches the API's OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML). Nothing of this credential is sent there.",
		displayOptions: { show: { specSource: ['url'] } },
	},
	{
		displayName: 'API Base URL',
		name: 'baseUrl',
		type: 'string',
		default: '',
		placeholder: 'https://api.example.com/v1',
		description: "Where requests go. Leave empty to use the spec's first server.",
	},
];

/** Extra headers, the default pagination, the action rename and the Test's endpoint. */
export const settingFields: INodeProperties[] = [
	{
		displayName: 'Extra Request Headers',
		name: 'extraHeaders',
		type: 'json',
		default: '{}',
		description: 'Headers sent with every request to the API, as a JSON object, e.g. {"X-Api-Version": "2"}',
	},
	{
		displayName: 'Pagination Type',
		name: 'paginationType',
		type: 'options',
		options: [
			{
				name: 'As the Spec Says',
				value: 'spec',
				description: 'What the spec declares, or the importer detects',
			},
			{ name: 'Index', value: 'index', description: 'An offset parameter: offset=0&limit=50' },
			{ name: 'Link', value: 'link', description: 'A next-page URL in a header or in the body' },
			{ name: 'No Pagination', value: 'none', description: 'Lists come whole' },
			{ name: 'Page', value: 'page', description: 'A page number: page=1&page_size=50' },
			{ name: 'Pointer', value: 'pointer', description: 'A cursor read from each page and sent back' },
		],
		default: 'spec',
		description: "How list actions page; anything but the spec's own applies to every list action",
	},
	{
		displayName: 'Results Key',
		name: 'resultsPath',
		type: 'string',
		default: '',
		placeholder: 'results',
		description:
			'Path to the array of results in a page (results or results.foo); empty: the page is the array',
		displayOptions: pagination(PAGED),
	},
	{
		displayName: 'Page Size Param',
		name: 'pageSizeParam',
		type: 'string',
		default: '',
		placeholder: 'limit',
		description: 'The query parameter that sets how many items a page holds',
		displayOptions: pagination(PAGED),
	},
	{
		displayName: 'Default Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 100,
		description: 'Items to ask for per page (at most 1000)',
		displayOptions: pagination(PAGED),
	},
	{
		displayName: 'Default Page Limit',
		name: 'pageLimit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 20 },
		default: 20,
		description:
			'The most pages Return All reads (at most 20); it stops with an error rather than cut a list short',
		displayOptions: pagination(PAGED),
	},
	{
		displayName: 'Index Param',
		name: 'indexParam',
		type: 'string',
		default: 'offset',
		description: 'The query parameter that gives the index of the first item of a page',
		displayOptions: pagination(['index']),
	},
	{
		displayName: 'Page Param',
		name: 'pageParam',
		type: 'string',
		default: 'page',
		description: 'The query parameter that gives the page number',
		displayOptions: pagination(['page']),
	},
	{
		displayName: 'Next Link Location',
		name: 'nextLinkLocation',
		type: 'options',
		options: [
			{ name: 'Response Header', value: 'header' },
			{ name: 'JSON Response Body', value: 'body' },
		],
		default: 'header',
		displayOptions: pagination(['link']),
	},
	{
		displayName: 'Response Header Name',
		name: 'headerName',
		type: 'string',
		default: 'link',
		description: 'The response header that holds the next link',
		displayOptions: { show: { paginationType: ['link'], nextLinkLocation: ['header'] } },
	},
	{
		displayName: 'Response Header Rel',
		name: 'headerRel',
		type: 'string',
		default: 'next',
		description: 'The rel of the next link in that header',
		displayOptions: { show: { paginationType: ['link'], nextLinkLocation: ['header'] } },
	},
	{
		displayName: 'Next Page Key',
		name: 'nextPagePath',
		type: 'string',
		default: '',
		placeholder: 'next',
		description: 'Path to the next-page URL in the response body',
		displayOptions: { show: { paginationType: ['link'], nextLinkLocation: ['body'] } },
	},
	{
		displayName: 'After Param',
		name: 'afterParam',
		type: 'string',
		default: '',
		placeholder: 'starting_after',
		description: 'The query parameter that carries the cursor',
		displayOptions: pagination(['pointer']),
	},
	{
		displayName: 'Pointer JSONPath',
		name: 'pointerPath',
		type: 'string',
		default: '',
		placeholder: '$.meta.next_cursor',
		description: 'Path to the cursor in the response',
		displayOptions: pagination(['pointer']),
	},
	{
		displayName: 'Rename Actions: Pattern',
		name: 'renamePattern',
		type: 'string',
		default: '',
		placeholder: '(.*?) Get',
		description:
			'A regular expression run on every action name, e.g. (.*?) Get to turn "Photo Records Get" around',
	},
	{
		displayName: 'Rename Actions: Replace With',
		name: 'renameReplacement',
		type: 'string',
		default: '',
		placeholder: 'Get $1',
		description: 'What a match becomes; $1 is the first group',
	},
	{
		displayName: 'Test Endpoint',
		name: 'testPath',
		type: 'string',
		default: '',
		placeholder: '/me',
		description:
			"A path the credential's Test calls with GET to check the authentication. Leave empty for the first safe GET of the spec.",
	},
];
