import type { WebhookTrigger } from '../model/types';
import type { Json } from './load';
import { isObject, type Refs } from './refs';
import { describe, toTitle } from './text';
import { METHODS, operationsOf } from './walk';

/**
 * OAS 3.1 `webhooks` and operation `callbacks` → one webhook trigger whose events they are. The
 * spec does not say how to register the URL, so the user registers it in the service; a spec with
 * only webhooks still generates (a trigger, and an action node with Connection → Check).
 */
export function mapWebhooks(refs: Refs, doc: Json, title: string): WebhookTrigger[] {
	const events = new Map<string, string>();
	const add = (value: string, item: unknown) => {
		const pathItem = refs.get(item);
		const operation = METHODS.map((m) => pathItem[m]).find(isObject);
		if (!events.has(value)) events.set(value, describe(operation?.summary, 60) ?? (toTitle(value) || value));
	};
	for (const [name, item] of Object.entries(isObject(doc.webhooks) ? doc.webhooks : {})) add(name, item);
	for (const { operation } of operationsOf(doc)) {
		for (const [name, callback] of Object.entries(isObject(operation.callbacks) ? operation.callbacks : {})) {
			// A callback maps URL expressions to path items; its name is the event.
			const first = Object.values(refs.get(callback))[0];
			add(name, first);
		}
	}
	if (!events.size) return [];
	return [
		{
			type: 'webhook',
			name: 'events',
			displayName: `${title} Events`,
			events: [...events].map(([value, name]) => ({ name, value })),
			parameters: [],
		},
	];
}
