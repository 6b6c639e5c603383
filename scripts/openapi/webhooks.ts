import type { WebhookTrigger } from '../model/types';
import type { Json } from './document';
import { isObject, type Refs } from './refs';
import { resolveSchema } from './schema';
import { describe, toTitle } from './text';
import { METHODS, operationsOf } from './walk';

/**
 * OAS 3.1 `webhooks` and operation `callbacks` → one webhook trigger whose events they are. The
 * spec does not say how to register the URL or how deliveries are signed, so the user registers it
 * in the service and describes the signature in the node; a spec with only webhooks still
 * generates (a trigger, and an action node with Connection → Check).
 */
export function mapWebhooks(refs: Refs, doc: Json, title: string): WebhookTrigger[] {
	const events = new Map<string, { name: string; operation?: Json }>();
	const add = (value: string, item: unknown) => {
		const pathItem = refs.get(item);
		const operation = METHODS.map((m) => pathItem[m]).find(isObject);
		const name = describe(operation?.summary, 60) ?? (toTitle(value) || value);
		if (!events.has(value)) events.set(value, { name, operation });
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
	const located = eventLocation(refs, events);
	return [
		{
			type: 'webhook',
			name: 'events',
			displayName: `${title} Events`,
			events: [...events].map(([value, { name }]) => {
				const event = located?.values.get(value);
				return { name, value, ...(event !== undefined && event !== value ? { event } : {}) };
			}),
			...located?.where,
			parameters: [],
			filters: [],
		},
	];
}

/**
 * Where deliveries name their event, when the spec says it the same way for every event: a header
 * or a top-level body field whose schema is one constant, different for each event (`type: { const:
 * order.created }`). Otherwise the user says where in the node.
 */
function eventLocation(
	refs: Refs,
	events: Map<string, { operation?: Json }>,
): { where: { eventHeader: string } | { eventPath: string }; values: Map<string, string> } | undefined {
	const constants = [...events].map(([value, { operation }]) => [value, constantsOf(refs, operation)] as const);
	for (const key of constants[0][1].keys()) {
		const values = new Map(constants.map(([value, found]) => [value, found.get(key)]));
		const distinct = new Set(values.values());
		if (distinct.has(undefined) || distinct.size !== values.size) continue;
		const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
		return {
			where: kind === 'header' ? { eventHeader: name } : { eventPath: name },
			values: values as Map<string, string>,
		};
	}
	return undefined;
}

/** `header:<name>` and `body:<field>` → the one string value the operation's schema allows there. */
function constantsOf(refs: Refs, operation: Json | undefined): Map<string, string> {
	const found = new Map<string, string>();
	if (!operation) return found;
	for (const p of Array.isArray(operation.parameters) ? operation.parameters : []) {
		const param = refs.get(p);
		const value = constant(refs, param.schema);
		if (param.in === 'header' && typeof param.name === 'string' && value !== undefined)
			found.set(`header:${param.name}`, value);
	}
	const content = refs.get(refs.get(operation.requestBody).content);
	const json = Object.entries(content).find(([type]) => /json/i.test(type))?.[1];
	const body = resolveSchema(refs, isObject(json) ? json.schema : undefined).schema;
	for (const [field, schema] of Object.entries(isObject(body.properties) ? body.properties : {})) {
		const value = constant(refs, schema);
		if (value !== undefined) found.set(`body:${field}`, value);
	}
	return found;
}

function constant(refs: Refs, value: unknown): string | undefined {
	const schema = refs.get(value);
	if (typeof schema.const === 'string') return schema.const;
	return Array.isArray(schema.enum) && schema.enum.length === 1 && typeof schema.enum[0] === 'string'
		? schema.enum[0]
		: undefined;
}
