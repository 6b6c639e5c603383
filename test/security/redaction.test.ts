/**
 * A service that echoes the credential back, in whatever form it travelled, must not get it into an
 * error, a log line or the node's output (see SECURITY.md, "Secrets in errors and output").
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { runOperations } from '../../nodes/shared/execute';
import type { CredentialAuthentication } from '../../nodes/shared/credential-auth';
import type { IntegrationTable, OperationSpec } from '../../nodes/shared/types';
import { startFake, type FakeService, type Handler } from '../fakes/server';
import { nodeContext, table } from './context';

const PASSWORD = 'p@ss w/rd+k3y=9f3c&x';
const basic: CredentialAuthentication = {
	auth: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' },
};
const forms: Record<string, string> = {
	raw: PASSWORD,
	'URL-encoded': encodeURIComponent(PASSWORD),
	'form-encoded': new URLSearchParams({ p: PASSWORD }).toString().slice(2),
	'base64 basic pair': Buffer.from(`ann:${PASSWORD}`).toString('base64'),
	'inside a URL': new URL(`https://api.example/x?key=${encodeURIComponent(PASSWORD)}`).search.slice(5),
};

const operations: Record<string, OperationSpec> = {
	'item:get': { method: 'GET', path: '/items/1', parameters: [] },
	'item:list': {
		method: 'GET',
		path: '/items',
		parameters: [],
		list: true,
		pagination: { type: 'link', location: 'body', nextUrlPath: 'next', resultsKey: 'items' },
	},
};

let api: FakeService;
afterEach(() => api.close());
const serve = async (handler: Handler) => (api = await startFake(handler));

async function run(spec: IntegrationTable, parameters: Record<string, unknown>, continueOnFail = false) {
	const credentials = { username: 'ann', password: PASSWORD };
	const { context } = nodeContext<IExecuteFunctions>({ parameters, auth: basic, credentials, continueOnFail });
	return (await runOperations.call(context, spec))[0];
}

/** The error's words as n8n shows and logs them. */
async function failure(parameters: Record<string, unknown>): Promise<string> {
	const error = (await run(table(api.url, { operations }), parameters).then(
		() => undefined,
		(e: unknown) => e,
	)) as { message: string; description?: string } | undefined;
	expect(error).toBeDefined();
	return `${error?.message} ${error?.description}`;
}

const leaks = (text: string) =>
	Object.entries(forms)
		.filter(([, form]) => text.includes(form))
		.map(([name]) => name);

describe('a secret echoed by the service is redacted in every form', () => {
	it('in an error, raw, URL- and form-encoded, base64 (basic auth pair) and inside a URL', async () => {
		await serve(() => ({ status: 400, body: { message: `bad credentials: ${Object.values(forms).join(' | ')}` } }));
		expect(leaks(await failure({ resource: 'item', operation: 'get' }))).toEqual([]);
	});

	it('in the output of a node that continues on fail', async () => {
		await serve(() => ({ status: 400, body: { message: `bad credentials: ${Object.values(forms).join(' | ')}` } }));
		const [item] = await run(table(api.url, { operations }), { resource: 'item', operation: 'get' }, true);
		expect(leaks(JSON.stringify(item.json))).toEqual([]);
	});

	it('in a pagination error about a next link that carries it in the query string', async () => {
		await serve(() => ({ body: { items: [{ id: 1 }], next: `/items?key=${encodeURIComponent(PASSWORD)}` } }));
		expect(leaks(await failure({ resource: 'item', operation: 'list', returnAll: true }))).toEqual([]);
	});

	it('when cut short, by the runtime or by the service', async () => {
		const prefix = PASSWORD.slice(0, 12);
		await serve(() => ({ status: 400, body: { message: `${'x'.repeat(290)}${PASSWORD}` } }));
		expect(await failure({ resource: 'item', operation: 'get' })).not.toContain(PASSWORD.slice(0, 8));
		await api.close();
		await serve(() => ({ status: 400, body: { message: `invalid password ${prefix}…` } }));
		expect(await failure({ resource: 'item', operation: 'get' })).not.toContain(prefix);
	});
});
