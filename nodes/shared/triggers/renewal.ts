import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { readPath } from '../paths';
import type { IntegrationTable } from '../types';
import { toMillis } from './dedupe';
import { sendSubscriptionRequest, type Subscription } from './subscription';
import type { RenewalSpec, WebhookTriggerSpec } from './types';

/**
 * Renewal of subscriptions that expire. n8n gives a webhook node no timer of its own — a `trigger`
 * or `poll` method would replace the webhook's output in manual test runs, and a background loop
 * has no expression context to authenticate with — so renewal happens whenever n8n hands the node
 * a context: when a workflow is published over an existing subscription (checkExists), on every
 * verified delivery once the expiry is near, and on the service's own expiry notice (lifecycle
 * event). A subscription that sees no deliveries and whose service sends no notice can lapse.
 */
export function renewalDue(stored: Subscription, renew: RenewalSpec, now = Date.now()): boolean {
	return (
		stored.subscriptionId !== undefined &&
		stored.expiresAt !== undefined &&
		stored.expiresAt - renew.beforeSeconds * 1000 <= now
	);
}

/** Extends the subscription and stores its new expiry (n8n saves the node's static data after the hook or delivery). */
export async function renewSubscription(
	this: IHookFunctions | IWebhookFunctions,
	table: IntegrationTable,
	renew: RenewalSpec,
	stored: Subscription,
	trigger?: WebhookTriggerSpec,
): Promise<void> {
	const response = await sendSubscriptionRequest.call(this, table, renew, stored, undefined, trigger);
	stored.expiresAt = toMillis(readPath(response.body, renew.expiresPath));
}
