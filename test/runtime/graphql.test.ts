/**
 * The GraphQL operation kind of the runtime over real HTTP against the Linear fake (graphql-js
 * executing Linear's schema): cursor pages through `first`/`after` variables, Limit, `errors` in
 * 200 and 400 answers as n8n errors, RATELIMITED waited out until the reset Linear names.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { graphqlBody } from '../../nodes/shared/graphql';
import { send, type Session } from '../../nodes/shared/http';
import { fetchPages } from '../../nodes/shared/pagination';
import type { IntegrationTable, Pagination } from '../../nodes/shared/types';
import { startLinear, type LinearFake } from '../fakes/linear';

let linear: LinearFake;

const table: IntegrationTable = {
	name: 'linear',
	displayName: 'Linear',
	baseUrl: '',
	configDefaults: {},
	auth: [{ credentialType: 'rillsLinearApi', kind: 'apiKey' }],
	rateLimits: [],
	retry: { maxRetries: 2, maxWaitSeconds: 10, backoffSeconds: 0.1 },
	operations: {},
};
const pages: Pagination = {
	type: 'cursor',
	resultsKey: 'data.issues.nodes',
	cursorParam: 'after',
	cursorPath: 'data.issues.pageInfo.endCursor',
	hasMorePath: 'data.issues.pageInfo.hasNextPage',
	pageSizeParam: 'first',
	pageSize: 3,
	maxPages: 20,
};
const ISSUES =
	'query Issues($first: Int, $after: String) { issues(first: $first, after: $after) { nodes { id identifier } pageInfo { hasNextPage endCursor } } }';

/** What n8n's authenticated request helper does for the Linear API-key credential, over fetch. */
function context(apiKey: string): IExecuteFunctions {
	const request = async (
		_type: string,
		options: {
			method?: string;
			url: string;
			qs?: Record<string, unknown>;
			headers?: Record<string, string>;
			body?: unknown;
		},
	) => {
		const url = new URL(options.url);
		for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
		const response = await fetch(url, {
			method: options.method,
			headers: { ...options.headers, Authorization: apiKey, 'content-type': 'application/json' },
			body: JSON.stringify(options.body),
		});
		const body: unknown = await response.json();
		const headers = Object.fromEntries(response.headers.entries());
		if (!response.ok)
			throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
				response: { status: response.status, headers, data: body },
			});
		return { statusCode: response.status, headers, body };
	};
	return {
		getNode: () => ({ name: 'Linear' }),
		helpers: { httpRequestWithAuthentication: request },
	} as unknown as IExecuteFunctions;
}

function session(): Session {
	return {
		table,
		variant: table.auth[0],
		limiterKey: `linear:${Math.random()}`,
		rateLimits: table.rateLimits,
		origin: new URL(linear.url).origin,
		errors: { node: { name: 'Linear' } as never, integration: 'Linear', itemIndex: 0, secrets: [linear.apiKey] },
	};
}

const request = (query: string, variables: IDataObject = {}) => ({
	method: 'POST' as const,
	url: `${linear.url}/graphql`,
	json: true,
	body: graphqlBody(query, variables),
});
const issueCalls = () => linear.calls('issues').map((r) => r.body.variables);

beforeAll(async () => {
	linear = await startLinear({ issueCount: 8 });
});
afterAll(async () => linear?.close());
beforeEach(() => linear.requests.splice(0));

it('Return All sends the page size as `first` and each endCursor as `after`, until hasNextPage is false', async () => {
	const items = await fetchPages.call(
		context(linear.apiKey),
		session(),
		request(ISSUES),
		{ pagination: pages, graphql: ISSUES },
		undefined,
		0,
	);
	expect((items as Array<{ identifier: string }>).map((i) => i.identifier)).toEqual(
		linear.issues.map((i) => i.identifier),
	);
	const cursor = (n: number) => Buffer.from(linear.issues[n].id).toString('base64');
	expect(issueCalls()).toEqual([{ first: 3 }, { first: 3, after: cursor(2) }, { first: 3, after: cursor(5) }]);
	expect(
		linear.requests.every(
			(r) =>
				r.method === 'POST' &&
				r.body.query === ISSUES &&
				r.url.endsWith('/graphql') &&
				[...r.query.keys()].length === 0,
		),
	).toBe(true);
});

it('Limit stops as soon as it has enough and asks for no more than it needs', async () => {
	const items = await fetchPages.call(
		context(linear.apiKey),
		session(),
		request(ISSUES),
		{ pagination: pages, graphql: ISSUES },
		2,
		0,
	);
	expect(items).toHaveLength(2);
	expect(issueCalls()).toEqual([{ first: 2 }]);
});

it('REST requests keep their page parameters in the query string', async () => {
	const rest = { ...request(ISSUES), body: { query: ISSUES } };
	// The fake's GraphQL endpoint ignores the query string, so only the first page comes back; what matters is where
	// `first` went.
	await fetchPages.call(
		context(linear.apiKey),
		session(),
		rest,
		{ pagination: { ...pages, maxPages: 1, hasMorePath: undefined } },
		1,
		0,
	);
	expect(linear.requests[0].query.get('first')).toBe('1');
	expect(linear.requests[0].body).toEqual({ query: ISSUES });
});

it('an `errors` answer with status 200 fails with the HTTP meaning of its message or code, quoting Linear', async () => {
	const call = send.call(
		context(linear.apiKey),
		session(),
		request('mutation($id: String!) { webhookDelete(id: $id) { success } }', { id: 'nope' }),
		true,
	);
	await expect(call).rejects.toMatchObject({
		message: 'Linear found nothing at this address',
		httpCode: '404',
		description: expect.stringContaining('Entity not found: Webhook'),
	});
	expect(linear.requests.at(-1)).toBeDefined();
});

it('without the GraphQL flag the same 200 answer is a success (REST behaviour unchanged)', async () => {
	const response = await send.call(
		context(linear.apiKey),
		session(),
		request('mutation($id: String!) { webhookDelete(id: $id) { success } }', { id: 'nope' }),
	);
	expect(response.statusCode).toBe(200);
	expect((response.body as { errors: unknown[] }).errors).toHaveLength(1);
});

it('a document Linear cannot validate fails with its message; a bad key says reconnect', async () => {
	await expect(
		send.call(context(linear.apiKey), session(), request('query { issues { nodes { nope } } }'), true),
	).rejects.toMatchObject({
		httpCode: '400',
		description: expect.stringContaining('Cannot query field "nope"'),
	});
	await expect(send.call(context('lin_api_wrong00000000'), session(), request(ISSUES), true)).rejects.toMatchObject({
		httpCode: '401',
		message: 'Linear rejected the credential: it has expired or was revoked',
	});
});

it('RATELIMITED is waited out until X-RateLimit-Requests-Reset (epoch ms), then retried', async () => {
	linear.throttleNext(1, 1200);
	const response = await send.call(context(linear.apiKey), session(), request(ISSUES, { first: 1 }), true);
	expect(response.statusCode).toBe(200);
	expect(linear.requests).toHaveLength(2);
	expect(linear.violations).toEqual([]);
});

it('a RATELIMITED wait longer than allowed fails at once with when to try again', async () => {
	linear.throttleNext(1, 60_000);
	await expect(send.call(context(linear.apiKey), session(), request(ISSUES), true)).rejects.toMatchObject({
		httpCode: '429',
		message: expect.stringMatching(/^Linear rate limit hit: try again in (59|60) s$/),
	});
	expect(linear.requests).toHaveLength(1);
	linear.throttleNext(0, 0);
});
