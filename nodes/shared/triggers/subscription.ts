import type { IDataObject, IHookFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';
import type { Connection } from '../session';
import type { RequestTemplate } from './types';

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
}

/** The values a subscription request's path and body can use, for this node. */
export function templateValues(this: IHookFunctions | IWebhookFunctions, stored: Subscription, secret = ''): TemplateValues {
	return { url: this.getNodeWebhookUrl('default') ?? '', events: this.getNodeParameter('events', []) as string[], secret, id: stored.subscriptionId ?? '' };
}

export function request(connection: Connection, template: RequestTemplate, values: TemplateValues): IHttpRequestOptions {
	const path = template.path.split('{id}').join(encodeURIComponent(values.id));
	return { method: template.method, url: connection.baseUrl + path, json: true, ...(template.body ? { body: fill(template.body, values) as IDataObject } : {}) };
}

/** Fills `{url}`, `{events}`, `{secret}`, `{id}`: a string that is only a placeholder takes the value as is (events stay a list). */
function fill(value: unknown, values: TemplateValues): unknown {
	if (typeof value === 'string') {
		const whole = /^\{(url|events|secret|id)\}$/.exec(value);
		if (whole) return values[whole[1] as keyof TemplateValues];
		return value.replace(/\{(url|events|secret|id)\}/g, (_, key: keyof TemplateValues) => String(values[key]));
	}
	if (Array.isArray(value)) return value.map((v) => fill(v, values));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
	return value;
}
