import type { IDataObject, IHookFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';
import { graphqlBody } from '../graphql';
import { send, type Response } from '../http';
import { encodeForm, pathSegment } from '../request';
import { connect, type Connection } from '../session';
import type { IntegrationTable } from '../types';
import { asRequestContext } from './context';
import type { RequestTemplate, WebhookTriggerSpec } from './types';

/** What the node's static data keeps about its subscription between activation and deactivation. */
export interface Subscription {
	subscriptionId?: string;
	secret?: string;
	/** Epoch ms; known when the service says when the subscription expires. */
	expiresAt?: number;
	/** The webhook URL the subscription delivers to. */
	url?: string;
}

interface TemplateValues {
	url: string;
	events: string[];
	secret: string;
	id: string;
	/** The trigger node's fields, by parameter name. */
	fields: Record<string, string>;
}

/**
 * Sends one subscription request (create, check, delete, renew) with the node's credential. The
 * stored signing secret, and a secret generated for `create`, are kept out of any error.
 */
export async function sendSubscriptionRequest(
	this: IHookFunctions | IWebhookFunctions,
	table: IntegrationTable,
	template: RequestTemplate,
	stored: Subscription,
	generatedSecret?: string,
	trigger?: Pick<WebhookTriggerSpec, 'eventFilters' | 'parameters'>,
): Promise<Response> {
	const context = asRequestContext(this);
	const connection = await connect.call(context, table, 0);
	for (const secret of [stored.secret, generatedSecret]) if (secret) connection.session.errors.secrets.push(secret);
	const values = templateValues.call(this, stored, generatedSecret, trigger);
	const graphql = template.graphql !== undefined;
	return await send.call(context, connection.session, request.call(this, connection, template, values), graphql);
}

/** The values a subscription request's path and body can use, for this node. */
function templateValues(
	this: IHookFunctions | IWebhookFunctions,
	stored: Subscription,
	secret = '',
	trigger?: Pick<WebhookTriggerSpec, 'eventFilters' | 'parameters'>,
): TemplateValues {
	const picked = this.getNodeParameter('events', []) as string[];
	// Options standing for a service event narrowed by body values subscribe to that event, once.
	const events = trigger?.eventFilters
		? [...new Set(picked.map((e) => trigger.eventFilters?.[e]?.event ?? e))]
		: picked;
	const fields = Object.fromEntries(
		(trigger?.parameters ?? []).map((p) => [p.name, String(this.getNodeParameter(p.property, ''))]),
	);
	return { url: this.getNodeWebhookUrl('default') ?? '', events, secret, id: stored.subscriptionId ?? '', fields };
}

/** The id comes from the service's answer and the fields from the user: neither may change the path. */
function request(
	this: IHookFunctions | IWebhookFunctions,
	connection: Connection,
	template: RequestTemplate,
	values: TemplateValues,
): IHttpRequestOptions {
	let path = template.path.split('{id}').join(pathSegment.call(this, values.id, 'subscription id'));
	for (const [name, value] of Object.entries(values.fields)) {
		path = path.split(`{${name}}`).join(pathSegment.call(this, value, name));
	}
	const filled = template.body ? (fill(template.body, values) as IDataObject) : undefined;
	// A GraphQL template's body is the document's variables.
	const body = template.graphql !== undefined ? graphqlBody(template.graphql, filled ?? {}) : filled;
	if (body && template.bodyType === 'form') {
		return {
			method: template.method,
			url: connection.baseUrl + path,
			json: true,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: encodeForm(body, 'brackets'),
		};
	}
	return { method: template.method, url: connection.baseUrl + path, json: true, ...(body ? { body } : {}) };
}

/**
 * Fills `{url}`, `{events}`, `{secret}`, `{id}`: a string that is only a placeholder takes the value as is (events stay
 * a list).
 */
function fill(value: unknown, values: TemplateValues): unknown {
	if (typeof value === 'string') {
		const whole = /^\{(url|events|secret|id)\}$/.exec(value);
		if (whole) return values[whole[1] as 'url'];
		return value
			.replace(/\{(url|events|secret|id)\}/g, (_, key: 'url') => String(values[key]))
			.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name: string) => values.fields[name] ?? all);
	}
	if (Array.isArray(value)) return value.map((v) => fill(v, values));
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
	return value;
}
