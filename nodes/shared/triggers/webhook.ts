import { randomBytes } from 'node:crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { hasValues, readPath } from '../paths';
import { connect, type Connection } from '../session';
import type { IntegrationTable } from '../types';
import { asRequestContext } from './context';
import { toMillis } from './dedupe';
import { renewalDue, renewSubscription } from './renewal';
import { sendSubscriptionRequest, type Subscription } from './subscription';
import { FILTERS_PROPERTY, type ChallengeSpec, type RequestTemplate, type WebhookTriggerSpec } from './types';
import { passesFilters } from './filters';
import { eventLocation, rejectUnverified } from './node-signature';
import { headerValue, rejectUnsigned } from './verify';

/**
 * Webhook URLs whose subscription create() is making in this process, with the handshake secret
 * (signature secret `handshake`) that arrived for it. Only these answer an unsigned handshake:
 * anyone can post one, and its value must neither choose a secret nor be echoed at will.
 */
const subscribing = new Map<string, string | undefined>();

/**
 * n8n's `webhookMethods.default`: activating the workflow subscribes with the service (once:
 * checkExists first), deactivating unsubscribes. The subscription id and signing secret live in
 * the node's static data, which n8n saves right after each of these steps.
 */
export function subscriptionMethods(table: IntegrationTable, triggers: Record<string, WebhookTriggerSpec>) {
	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { trigger, stored } = chosen.call(this, triggers);
				if (!trigger.subscribe || !stored.subscriptionId) return false;
				if (stored.url !== undefined && stored.url !== this.getNodeWebhookUrl('default')) {
					// Made for another URL (n8n moved, or the workflow was copied): it would deliver elsewhere, so
					// replace it —
					// but a test listener (editor, test URL) leaves the active workflow's subscription alone and makes
					// its own.
					if (this.getMode() !== 'manual')
						await requestUnlessGone.call(this, table, trigger.subscribe.delete, stored, trigger);
					forget(stored);
					return false;
				}
				const gone = trigger.subscribe.check
					? await requestUnlessGone.call(this, table, trigger.subscribe.check, stored, trigger)
					: false;
				if (gone) forget(stored);
				else if (trigger.subscribe.renew && renewalDue(stored, trigger.subscribe.renew))
					await renewSubscription.call(this, table, trigger.subscribe.renew, stored, trigger);
				return !gone;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const { trigger, stored } = chosen.call(this, triggers);
				if (!trigger.subscribe) return true;
				const create = trigger.subscribe.create;
				const secret = trigger.signature?.secret === 'generated' ? randomBytes(32).toString('hex') : undefined;
				const url = this.getNodeWebhookUrl('default') ?? '';
				subscribing.set(url, undefined);
				let handshakeSecret: string | undefined;
				let response: Awaited<ReturnType<typeof sendSubscriptionRequest>>;
				try {
					response = await sendSubscriptionRequest.call(this, table, create, stored, secret, trigger);
				} finally {
					handshakeSecret = subscribing.get(url);
					subscribing.delete(url);
				}
				const id = readPath(response.body, create.idPath);
				const serviceSecret = create.secretPath ? readPath(response.body, create.secretPath) : undefined;
				if (id === undefined || id === null || id === '') {
					throw new NodeOperationError(
						this.getNode(),
						`${table.displayName} did not return a subscription id at "${create.idPath}"`,
						{
							description:
								'The webhook may have been created; check the service. Fix the trigger’s subscribe.create.idPath in the integration definition.',
						},
					);
				}
				if (trigger.signature?.secret === 'handshake' && !handshakeSecret) {
					throw new NodeOperationError(
						this.getNode(),
						`${table.displayName} subscribed without the ${trigger.challenge?.header ?? 'handshake'} handshake reaching this n8n process`,
						{
							description:
								'Without its secret no delivery can be verified. The webhook may have been created; check the service. In queue mode, the main process must receive webhooks while a workflow is published.',
						},
					);
				}
				if (trigger.signature?.secret === 'service' && (typeof serviceSecret !== 'string' || !serviceSecret)) {
					throw new NodeOperationError(
						this.getNode(),
						`${table.displayName} did not return a signing secret at "${create.secretPath}"`,
						{
							description:
								'Without it no delivery can be verified. The webhook may have been created; check the service. Fix subscribe.create.secretPath in the integration definition.',
						},
					);
				}
				stored.subscriptionId = String(id);
				stored.url = this.getNodeWebhookUrl('default');
				stored.secret =
					secret ?? handshakeSecret ?? (typeof serviceSecret === 'string' ? serviceSecret : undefined);
				stored.expiresAt = create.expiresPath
					? toMillis(readPath(response.body, create.expiresPath))
					: undefined;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const { trigger, stored } = chosen.call(this, triggers);
				if (!trigger.subscribe || !stored.subscriptionId) return true;
				await requestUnlessGone.call(this, table, trigger.subscribe.delete, stored, trigger);
				forget(stored);
				return true;
			},
		},
	};
}

/**
 * The `webhook` of generated triggers: answers handshakes, rejects deliveries whose signature is
 * missing, wrong or stale with 401 (no execution), drops events the user did not pick, and
 * starts the workflow with the event as output.
 */
export async function receiveEvent(
	this: IWebhookFunctions,
	table: IntegrationTable,
	triggers: Record<string, WebhookTriggerSpec>,
): Promise<IWebhookResponseData> {
	const { trigger, stored } = chosen.call(this, triggers);
	if (trigger.challenge?.method && this.getWebhookName() === 'setup') {
		// Trello checks the callback URL with a HEAD before it creates the webhook: 200, nothing starts.
		this.getResponseObject().status(200).end();
		return { noWebhookResponse: true };
	}
	const body = this.getBodyData();
	const url = this.getNodeWebhookUrl('default') ?? '';
	const header = trigger.challenge?.header;
	const handshake = header ? headerValue(this.getHeaderData() as Record<string, unknown>, header) : undefined;
	const challenge = challengeValue(trigger.challenge, body);
	const isHandshake = Boolean(handshake) || challenge !== undefined;
	// While create() waits for the service, its handshake arrives here (no secret is known yet to check it with).
	if (isHandshake && subscribing.has(url)) return answerHandshake.call(this, url, header, handshake, challenge);
	if (trigger.userDescribed) {
		const rejected = await rejectUnverified.call(this, trigger.userDescribed.credential);
		if (rejected) return rejected;
	} else if (trigger.signature) {
		// Before any challenge: a service that signs its handshake (Slack) gets it answered only when it verifies.
		const secret =
			trigger.signature.secret === 'credential'
				? credentialSecret(await connect.call(asRequestContext(this), table, 0))
				: stored.secret;
		const rejected = rejectUnsigned.call(this, trigger.signature, secret);
		if (rejected) return rejected;
	}
	if (isHandshake) return answerHandshake.call(this, url, header, handshake, challenge);
	const renew = trigger.subscribe?.renew;
	const notice = renew?.lifecycle !== undefined && readPath(body, renew.lifecycle.path) === renew.lifecycle.type;
	if (renew && (notice || renewalDue(stored, renew))) {
		try {
			await renewSubscription.call(this, table, renew, stored, trigger);
		} catch (error) {
			// An expiry notice fails so the service sends it again; an event is still delivered.
			if (notice)
				throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error);
			this.logger.warn(
				`Renewing the ${table.displayName} webhook subscription failed; the next delivery tries again: ${(error as Error).message}`,
			);
		}
		if (notice) return { webhookResponse: { received: true, renewed: true } };
	}
	const { eventPath, eventHeader } = trigger.userDescribed?.eventLocation ? eventLocation.call(this) : trigger;
	const picked = this.getNodeParameter('events', []) as string[];
	const conditions = this.getNodeParameter(FILTERS_PROPERTY, {}) as IDataObject;
	// Picked, and meeting the Only When conditions that apply to the option it matched.
	const wanted = (event: unknown, delivery: unknown = body) => {
		if (!eventPath && !eventHeader) return passesFilters(trigger.filters, conditions, delivery);
		const options = picked.includes('*')
			? [undefined]
			: picked.filter((o) => matches(trigger, o, String(event), delivery));
		return options.some((option) => passesFilters(trigger.filters, conditions, delivery, option));
	};
	const batch = trigger.itemsPath !== undefined ? (readPath(body, trigger.itemsPath) ?? []) : body;
	if (Array.isArray(batch)) {
		// A batch of events (HubSpot sends up to 100 in one delivery, Asana a list under `events`): each is an item;
		// events not picked are dropped.
		const events = (batch as IDataObject[]).filter((e) => wanted(readPath(e, eventPath), e));
		if (!events.length) return { webhookResponse: { received: true, ignored: batch.length } };
		return { workflowData: [this.helpers.returnJsonArray(events)] };
	}
	const event = eventHeader
		? headerValue(this.getHeaderData() as Record<string, unknown>, eventHeader)
		: eventPath
			? readPath(body, eventPath)
			: undefined;
	if (!wanted(event)) return { webhookResponse: { received: true, ignored: String(event) } };
	return { workflowData: [this.helpers.returnJsonArray(body)] };
}

/**
 * Whether a delivery of `event` is the picked option: the same event, or the option's service event with its body
 * values.
 */
function matches(trigger: WebhookTriggerSpec, option: string, event: string, delivery: unknown): boolean {
	const filter = trigger.eventFilters?.[option];
	if (!filter) return option === event;
	return (
		(filter.event ?? option) === event &&
		hasValues(delivery, filter.when) &&
		(filter.present ?? []).every(
			(path) => readPath(delivery, path) !== undefined && readPath(delivery, path) !== null,
		)
	);
}

/** The challenge a handshake body carries (Slack's `url_verification`), or undefined when the body is no handshake. */
function challengeValue(spec: ChallengeSpec | undefined, body: unknown): unknown {
	if (!spec?.path || (spec.typePath && readPath(body, spec.typePath) !== spec.type)) return undefined;
	return readPath(body, spec.path);
}

/**
 * Answers a handshake and starts nothing. A header handshake (Asana) gives the subscription being
 * made its secret: the first value wins and a different one is refused, so a second caller cannot
 * race the service. A body challenge goes back as plain text that no browser renders as a page.
 */
function answerHandshake(
	this: IWebhookFunctions,
	url: string,
	header: string | undefined,
	handshake: string | undefined,
	challenge: unknown,
): IWebhookResponseData {
	const response = this.getResponseObject();
	if (header && handshake) {
		const first = subscribing.get(url);
		if (first !== undefined && first !== handshake) {
			const reason = 'a different handshake already arrived for this subscription';
			response.status(409).json({ error: 'Conflict', reason });
			return { noWebhookResponse: true };
		}
		if (subscribing.has(url)) subscribing.set(url, handshake);
		response.status(200).set(header, handshake).end();
	} else {
		response.status(200).type('text/plain').set('X-Content-Type-Options', 'nosniff').send(String(challenge));
	}
	return { noWebhookResponse: true };
}

function chosen(
	this: IHookFunctions | IWebhookFunctions,
	triggers: Record<string, WebhookTriggerSpec>,
): { trigger: WebhookTriggerSpec; stored: Subscription & IDataObject } {
	const names = Object.keys(triggers);
	const name = names.length > 1 ? (this.getNodeParameter('trigger', names[0]) as string) : names[0];
	const trigger = triggers[name];
	if (!trigger) throw new NodeOperationError(this.getNode(), `Unknown trigger "${name}"`);
	return { trigger, stored: this.getWorkflowStaticData('node') as Subscription & IDataObject };
}

/** Sends a check or delete; false when done, true when the service no longer knows the subscription. */
async function requestUnlessGone(
	this: IHookFunctions,
	table: IntegrationTable,
	template: RequestTemplate,
	stored: Subscription,
	trigger: WebhookTriggerSpec,
): Promise<boolean> {
	try {
		await sendSubscriptionRequest.call(this, table, template, stored, undefined, trigger);
		return false;
	} catch (error) {
		const code = (error as NodeApiError).httpCode;
		if (code === '404' || code === '410') return true;
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(this.getNode(), error as Error);
	}
}

function forget(stored: Subscription & IDataObject): void {
	delete stored.subscriptionId;
	delete stored.secret;
	delete stored.expiresAt;
	delete stored.url;
}

function credentialSecret(connection: Connection): string | undefined {
	const secret = connection.credentials?.webhookSecret;
	return typeof secret === 'string' && secret ? secret : undefined;
}
