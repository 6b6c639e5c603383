/**
 * A fake held to its vendor's description (test/fakes/described.ts) finds what drifts: an answer or a
 * webhook payload the description does not allow. The catalog tests require each held fake's drift
 * to be empty; this shows the check can fail, and that the Stripe fake passes it without n8n.
 */
import { describedBy } from '../fakes/described';
import type { FakeRequest } from '../fakes/server';
import { startFake } from '../fakes/server';
import { startStripe } from '../fakes/stripe';

const request = (method: string, path: string) => ({ method, path }) as FakeRequest;

it('finds an answer that lacks what the description requires, a success it does not list, and a path it lacks', () => {
	const github = describedBy('@octokit/openapi/generated/api.github.com.json', 'https://api.github.com');
	const issues = request('GET', '/repos/rills/launchpad/issues');
	expect(github.answer(issues, { status: 200, body: [{ number: 1, title: 'Bare' }] })).toEqual(
		expect.arrayContaining([expect.stringContaining("/0 must have required property 'closed_at'")]),
	);
	expect(github.answer(issues, { status: 202, body: [] })).toEqual([
		expect.stringContaining('status 202 is not among the described ones'),
	]);
	// An error the operation does not list (a rate limit) is not drift: descriptions leave those out.
	expect(github.answer(issues, { status: 429, body: { message: 'slow down' } })).toEqual([]);
	expect(github.answer(request('GET', '/repos/rills/launchpad/nothing'), { status: 200, body: {} })).toEqual([
		expect.stringContaining('no path of the description matches'),
	]);
});

it('finds a webhook payload that is not the event GitHub describes', () => {
	const github = describedBy('@octokit/openapi/generated/api.github.com.json', 'https://api.github.com');
	const webhooks = '@octokit/openapi-webhooks/generated/api.github.com.json';
	const bare = { action: 'opened', issue: { number: 1 } };
	expect(github.payload('/components/schemas/webhook-issues-opened', bare, webhooks)).toEqual(
		expect.arrayContaining([expect.stringContaining("must have required property 'sender'")]),
	);
	const shaped = github.shaped('/components/schemas/webhook-issues-opened', bare, webhooks);
	expect(shaped.issue).toMatchObject({ number: 1 });
	expect(github.payload('/components/schemas/webhook-issues-opened', shaped, webhooks)).toEqual([]);
});

it('the Stripe fake answers and delivers events as Stripe describes them', async () => {
	const stripe = await startStripe({ customerCount: 2 });
	const n8n = await startFake(() => ({ status: 200 }));
	try {
		const call = async (method: string, path: string, form?: string) => {
			const response = await fetch(`${stripe.url}${path}`, {
				method,
				headers: {
					authorization: `Bearer ${stripe.secretKey}`,
					...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
				},
				body: form,
			});
			return (await response.json()) as { id: string };
		};
		const customer = await call('POST', '/v1/customers', 'email=ada%40example.com&metadata[plan]=pro');
		const invoice = await call(
			'POST',
			'/v1/invoices',
			`customer=${customer.id}&collection_method=send_invoice&days_until_due=30`,
		);
		await call(
			'POST',
			'/v1/invoiceitems',
			`customer=${customer.id}&invoice=${invoice.id}&amount=1500&currency=usd`,
		);
		await call('POST', `/v1/invoices/${invoice.id}/finalize`);
		await call('GET', '/v1/invoices?limit=1');
		await call('GET', '/v1/customers/none/nothing');
		await call(
			'POST',
			'/v1/webhook_endpoints',
			`url=${encodeURIComponent(n8n.url)}&enabled_events[]=customer.created`,
		);
		expect(await stripe.deliver('customer.created', customer as Record<string, unknown>)).toEqual([
			{ status: 200, body: '' },
		]);
		// The one path Stripe does not have is found; every other answer and the event pass.
		expect(stripe.drift).toEqual([
			expect.stringContaining('no path of the description matches /v1/customers/none/nothing'),
		]);
	} finally {
		await stripe.close();
		await n8n.close();
	}
});
