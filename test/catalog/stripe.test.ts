/**
 * Stripe inside a real n8n 2.41: every action with a secret key as Bearer (and once as the Basic
 * user), form bodies in bracket notation, the invoice flow (draft → item → finalize → send),
 * `starting_after` taken from the last object of each page, Idempotency-Key, a restricted key's
 * permission error, 429 backed off and retried, and both webhook triggers — endpoints created
 * through the API on publishing and deleted on unpublishing, deliveries verified with the
 * endpoint's whsec_ secret.
 */
import { join } from 'node:path';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startStripe, type StripeFake } from '../fakes/stripe';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { actionNodes, CatalogRun, type CredentialRef, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Stripe/stripe.integration.yaml'));

let stripe: StripeFake;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let runs: CatalogRun;

const secretKey = { rillsStripeApi: { id: 'stripeKey', name: 'Stripe key' } };
const basic = { rillsStripeBasicAuthApi: { id: 'stripeBasic', name: 'Stripe basic' } };
const restricted = { rillsStripeApi: { id: 'stripeRestricted', name: 'Stripe restricted' } };
const node = actionNodes('CUSTOM.stripe', { rillsStripeApi: 'apiKey', rillsStripeBasicAuthApi: 'basicAuth' });
const stripeNode = (name: string, parameters: Record<string, unknown>, credentials: CredentialRef = secretKey) =>
	node(name, parameters, credentials);
const calls = (method: string, path: string) =>
	stripe.requests.filter((r) => r.method === method && r.path === `/v1${path}`);

const run = (...nodes: WorkflowNode[]): Promise<Execution> => runs.run(...nodes);

beforeAll(async () => {
	stripe = await startStripe({ customerCount: 230 });
	runs = await CatalogRun.create();
	n8n = runs.n8n;
	await n8n.importCredentials([
		{
			id: 'stripeKey',
			name: 'Stripe key',
			type: 'rillsStripeApi',
			data: { apiUrl: stripe.url, apiKey: stripe.secretKey },
		},
		{
			id: 'stripeBasic',
			name: 'Stripe basic',
			type: 'rillsStripeBasicAuthApi',
			data: { apiUrl: stripe.url, username: stripe.secretKey, password: '' },
		},
		{
			id: 'stripeRestricted',
			name: 'Stripe restricted',
			type: 'rillsStripeApi',
			data: { apiUrl: stripe.url, apiKey: stripe.restrictedKey },
		},
	]);
});

afterAll(() => shutDown(server, runs, stripe));

describe('actions', () => {
	beforeEach(() => stripe.requests.splice(0));

	it('creates a customer and sends them an invoice (draft, item, finalize, send), then lists invoices and every customer over three pages', async () => {
		const before = stripe.customers.length;
		stripe.throttleNext(1);
		const execution = await run(
			stripeNode('Create Customer', {
				resource: 'customer',
				operation: 'create',
				additionalFields: {
					email: 'ada@example.com',
					name: 'Ada Lovelace',
					metadata: '{"plan": "pro", "seats": 3}',
					idempotencyKey: 'signup-ada-1',
				},
			}),
			stripeNode('Create Invoice', {
				resource: 'invoice',
				operation: 'create',
				customer: "={{ $('Create Customer').item.json.id }}",
				additionalFields: { collectionMethod: 'send_invoice', daysUntilDue: 30, description: 'Engine time' },
			}),
			stripeNode('Add Item', {
				resource: 'invoiceItem',
				operation: 'create',
				customer: "={{ $('Create Customer').item.json.id }}",
				additionalFields: {
					invoice: "={{ $('Create Invoice').item.json.id }}",
					amount: 1500,
					currency: 'usd',
					description: 'Difference engine, 1 h',
				},
			}),
			stripeNode('Finalize', {
				resource: 'invoice',
				operation: 'finalize',
				invoiceId: "={{ $('Create Invoice').item.json.id }}",
			}),
			stripeNode('Send', {
				resource: 'invoice',
				operation: 'send',
				invoiceId: "={{ $('Create Invoice').item.json.id }}",
			}),
			stripeNode('Invoices', {
				resource: 'invoice',
				operation: 'getAll',
				returnAll: true,
				additionalFields: { customer: "={{ $('Create Customer').item.json.id }}", status: 'open' },
			}),
			stripeNode('Customers', { resource: 'customer', operation: 'getAll', returnAll: true }),
			stripeNode(
				'Customers (Basic)',
				{ resource: 'customer', operation: 'getAll', returnAll: false, limit: 2 },
				basic,
			),
			{
				...stripeNode(
					'Restricted Create',
					{ resource: 'customer', operation: 'create', additionalFields: { email: 'no@example.com' } },
					restricted,
				),
				onError: 'continueRegularOutput',
			},
		);
		expect(execution.error).toBeUndefined();

		// The first call met a 429 and was retried after the backoff, with the same Idempotency-Key.
		const creates = calls('POST', '/customers').filter(
			(r) => r.headers.authorization === `Bearer ${stripe.secretKey}`,
		);
		expect(creates).toHaveLength(2);
		expect(stripe.violations).toEqual([]);
		const [, create] = creates;
		expect(create.headers.authorization).toBe(`Bearer ${stripe.secretKey}`);
		expect(create.headers['stripe-version']).toBe('2024-06-20');
		expect(create.headers['idempotency-key']).toBe('signup-ada-1');
		expect(create.headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(create.rawBody).toBe(
			'email=ada%40example.com&name=Ada+Lovelace&metadata%5Bplan%5D=pro&metadata%5Bseats%5D=3',
		);
		const customer = stripe.customers[0];
		expect(stripe.customers).toHaveLength(before + 1);
		expect(execution.output['Create Customer']).toEqual([
			expect.objectContaining({
				id: customer.id,
				email: 'ada@example.com',
				metadata: { plan: 'pro', seats: '3' },
			}),
		]);
		coverage.ran('customer:create');

		const invoice = stripe.invoices[0];
		expect(stripe.form(calls('POST', '/invoices')[0])).toEqual({
			customer: customer.id,
			collection_method: 'send_invoice',
			days_until_due: '30',
			description: 'Engine time',
		});
		coverage.ran('invoice:create');
		expect(stripe.form(calls('POST', '/invoiceitems')[0])).toEqual({
			customer: customer.id,
			invoice: invoice.id,
			amount: '1500',
			currency: 'usd',
			description: 'Difference engine, 1 h',
		});
		coverage.ran('invoiceItem:create');
		expect(calls('POST', `/invoices/${invoice.id}/finalize`)).toHaveLength(1);
		expect(execution.output.Finalize).toEqual([
			expect.objectContaining({ id: invoice.id, status: 'open', amount_due: 1500 }),
		]);
		coverage.ran('invoice:finalize');
		expect(calls('POST', `/invoices/${invoice.id}/send`)).toHaveLength(1);
		expect(execution.output.Send).toEqual([
			expect.objectContaining({ id: invoice.id, status: 'open', sent: true }),
		]);
		coverage.ran('invoice:send');
		expect(calls('GET', '/invoices')[0].query.get('customer')).toBe(customer.id);
		expect(execution.output.Invoices.map((i) => i.id)).toEqual([invoice.id]);
		coverage.ran('invoice:getAll');

		// 231 customers, 100 a page: starting_after is the id of the previous page's last customer.
		const pages = calls('GET', '/customers').filter((r) => r.headers.authorization.startsWith('Bearer '));
		expect(pages.map((p) => [p.query.get('limit'), p.query.get('starting_after')])).toEqual([
			['100', null],
			['100', stripe.customers[99].id],
			['100', stripe.customers[199].id],
		]);
		expect(execution.output.Customers.map((c) => c.id)).toEqual(stripe.customers.map((c) => c.id));
		coverage.ran('customer:getAll');

		const [basicCall] = calls('GET', '/customers').filter((r) => r.headers.authorization.startsWith('Basic '));
		expect(basicCall.headers.authorization).toBe(`Basic ${Buffer.from(`${stripe.secretKey}:`).toString('base64')}`);
		expect(basicCall.query.get('limit')).toBe('2');
		expect(execution.output['Customers (Basic)'].map((c) => c.id)).toEqual(
			stripe.customers.slice(0, 2).map((c) => c.id),
		);
		// A restricted key that may only read customers gets Stripe's permission error.
		expect(execution.output['Restricted Create']).toEqual([
			{
				error: 'Stripe refused access: "Stripe restricted" lacks the permission or scope this operation needs',
				description: expect.stringContaining(
					"Having the 'rak_customer_write' permission would allow this request to continue.",
				),
			},
		]);
		expect(
			calls('POST', '/customers').filter((r) => r.headers.authorization === `Bearer ${stripe.restrictedKey}`),
		).toHaveLength(1);
	});
});

describe('webhook triggers', () => {
	const triggers = {
		paymentSucceeded: ['payment_intent.succeeded', '00000000c0d1'],
		subscriptionCreated: ['customer.subscription.created', '00000000c0d2'],
	} as const;
	const workflows: Record<string, string> = {};
	const executions = (trigger: string, count: number) => triggerExecutions(server!, workflows[trigger], count);

	beforeAll(async () => {
		for (const [trigger, [event, id]] of Object.entries(triggers)) {
			workflows[trigger] = await n8n.importWorkflow({
				name: trigger,
				nodes: [
					{
						name: 'Stripe Trigger',
						type: 'CUSTOM.stripeTrigger',
						webhookId: `57a1be00-0000-4000-8000-${id}`,
						parameters: { authentication: 'apiKey', trigger, events: [event] },
						credentials: secretKey,
					},
				],
				connections: {},
			});
		}
		server = await N8nServer.start(n8n);
	});

	it('publishing creates one webhook endpoint per trigger with its events, pointing at n8n', async () => {
		for (const workflow of Object.values(workflows)) await server!.activate(workflow);
		// n8n registers a published workflow's webhooks in the background.
		await waitFor('both webhook endpoints', () => (stripe.endpoints.size >= 2 ? true : undefined));
		const created = calls('POST', '/webhook_endpoints');
		expect(created).toHaveLength(2);
		for (const request of created) {
			expect(request.headers.authorization).toBe(`Bearer ${stripe.secretKey}`);
			expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
		}
		expect([...stripe.endpoints.values()].map((e) => [e.enabled_events, e.url]).sort()).toEqual(
			Object.values(triggers)
				.map(([event, id]) => [[event], `${server!.url}/webhook/57a1be00-0000-4000-8000-${id}/webhook`])
				.sort(),
		);
	});

	it('unsigned, wrongly signed and replayed deliveries get 401; signed events start exactly the trigger that subscribed to them', async () => {
		const intent = {
			id: 'pi_3Fake',
			object: 'payment_intent',
			amount: 1500,
			currency: 'usd',
			status: 'succeeded',
			customer: stripe.customers[0].id,
		};
		expect(
			(await stripe.deliver('payment_intent.succeeded', intent, { signature: 'none' })).map((r) => r.status),
		).toEqual([401]);
		expect(
			(await stripe.deliver('payment_intent.succeeded', intent, { signature: 'wrong' })).map((r) => r.status),
		).toEqual([401]);
		expect(
			(
				await stripe.deliver('payment_intent.succeeded', intent, {
					timestamp: Math.floor(Date.now() / 1000) - 3600,
				})
			).map((r) => r.status),
		).toEqual([401]);
		expect(await server!.executions(workflows.paymentSucceeded)).toEqual([]);

		expect((await stripe.deliver('payment_intent.succeeded', intent)).map((r) => r.status)).toEqual([200]);
		const subscription = {
			id: 'sub_1Fake',
			object: 'subscription',
			customer: stripe.customers[0].id,
			status: 'active',
			items: { data: [{ price: { id: 'price_pro' } }] },
		};
		expect((await stripe.deliver('customer.subscription.created', subscription)).map((r) => r.status)).toEqual([
			200,
		]);

		const payments = await executions('paymentSucceeded', 1);
		expect(
			payments.map((e) =>
				e.output['Stripe Trigger'].map((o) => [o.type, (o.data as { object: unknown }).object]),
			),
		).toEqual([[['payment_intent.succeeded', intent]]]);
		coverage.ran('trigger:paymentSucceeded');
		const subscriptions = await executions('subscriptionCreated', 1);
		expect(
			subscriptions.map((e) =>
				e.output['Stripe Trigger'].map((o) => [o.type, (o.data as { object: unknown }).object]),
			),
		).toEqual([[['customer.subscription.created', subscription]]]);
		coverage.ran('trigger:subscriptionCreated');
	});

	it('unpublishing deletes the endpoints', async () => {
		const ids = [...stripe.endpoints.keys()];
		for (const workflow of Object.values(workflows)) await server!.deactivate(workflow);
		await waitFor('both endpoints deleted', () => (stripe.deletedEndpoints.length >= 2 ? true : undefined));
		expect(stripe.deletedEndpoints.sort()).toEqual(ids.sort());
		expect(stripe.endpoints.size).toBe(0);
	});

	it('no key or signing secret appears in any log or execution', async () => {
		const stored = JSON.stringify(await Promise.all(Object.values(workflows).map((w) => server!.executions(w))));
		const all = [...runs.logs, server!.log, stored].join('\n');
		expect(runs.logs.length).toBe(1);
		for (const secret of [stripe.secretKey, stripe.restrictedKey]) expect(all).not.toContain(secret);
		expect(all).not.toMatch(/whsec_/);
	});
});

it('every action and trigger of the definition ran in n8n', () => {
	expect(coverage.missing()).toEqual([]);
});

it("answered and delivered events as Stripe's description says", () => {
	expect(stripe.drift).toEqual([]);
});
