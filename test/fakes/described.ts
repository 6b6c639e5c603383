/**
 * A fake held to the vendor's own description, the one its definition's conformance check uses:
 * every answer against the schema of the operation and status it answers, every webhook payload
 * against the schema the vendor gives its events. Findings go to the fake's `drift`, which the
 * catalog tests require empty, so a fake cannot drift from the vendor.
 */
import { sample } from '@stoplight/json-schema-sampler';
import mergeWith from 'lodash/mergeWith';
import { loadDescription, Validator, type Description } from '../conformance/description';
import { Schemas } from '../conformance/schemas';
import type { FakeRequest, FakeResponse } from './server';

export interface Described {
	/** For `startFake`'s `conformance`. */
	answer(req: FakeRequest, response: FakeResponse): string[];
	/** Findings on a webhook payload against the schema at `pointer` of `source` (or of the fake's description). */
	payload(pointer: string, body: unknown, source?: string): string[];
	/**
	 * An object of the schema at `pointer`, as the vendor describes it: the required properties Prism's
	 * sampler fills in (the same sampler its mock answers with), and over them the fake's own `fields`.
	 */
	shaped<T extends object>(pointer: string, fields: T, source?: string): T & Record<string, unknown>;
}

/** Loaded once, on first use: Stripe's document takes seconds to read and prepare. */
const loaded = new Map<
	string,
	{ description: Description; schemas: Schemas; paths: Record<string, object>; doc: Record<string, unknown> }
>();
function load(source: string) {
	let found = loaded.get(source);
	if (!found) {
		const description = loadDescription(source);
		const doc = tuplesAsAlternatives(description.doc) as Record<string, unknown>;
		found = { description, schemas: new Schemas(doc), paths: (doc.paths ?? {}) as Record<string, object>, doc };
		loaded.set(source, found);
	}
	return found;
}

/**
 * `source`: as the definition's `conformance.description` names it; `host`: the vendor's address
 * the fake's paths stand under. Options: `server`, where the vendor also serves the API when the
 * description names another address (the definition's `conformance.server`); `elsewhere`, paths
 * the fake serves that this description does not cover (a token endpoint, another product's API, a
 * deviation the definition lists); `failed`, which answers with a success status are failures the
 * description gives as the operation's `default` response (Slack's `ok: false`); `common`, failures
 * any operation can answer, which descriptions leave out as they leave out a 429 (Slack's
 * `ratelimited`, `missing_scope`); `deviations`, findings on answers the vendor is known to give
 * otherwise than its description says (a part of the finding's text), each with the reason.
 */
export function describedBy(
	source: string,
	host: string,
	options: {
		server?: string;
		elsewhere?: RegExp;
		failed?: (body: unknown) => boolean;
		common?: (body: unknown) => boolean;
		deviations?: Array<{ finding: string; reason: string }>;
	} = {},
): Described {
	let validator: Validator | undefined;
	return {
		answer(req, response) {
			if (options.elsewhere?.test(req.path)) return [];
			const { description, schemas, paths } = load(source);
			validator ??= new Validator(description, options.server);
			const located = validator.locate(new URL(req.path, host));
			const where = `${req.method} ${req.path} → ${response.status ?? 200}`;
			if ('finding' in located) return [`${where}: ${located.finding}`];
			const body = typeof response.body === 'string' ? parsed(response.body) : response.body;
			if (options.common?.(body)) return [];
			// `/users/me` and `/users/{id}` may both match; the one with this method answers.
			const template =
				located.templates.find((t) => req.method.toLowerCase() in (paths[t] ?? {})) ?? located.templates[0];
			return schemas
				.response(
					req.method,
					template,
					response.status ?? 200,
					body,
					options.failed?.(body) ? 'default' : undefined,
					mediaTypeOf(response),
				)
				.map((f) => `${where} (${template}): ${f}`)
				.filter((f) => !options.deviations?.some((d) => f.includes(d.finding)));
		},
		payload(pointer, body, other = source) {
			return load(other)
				.schemas.named(pointer, body)
				.map((f) => `webhook ${pointer}: ${f}`);
		},
		shaped(pointer, fields, other = source) {
			const { doc } = load(other);
			// The fake's lists replace the sampled ones rather than merge into them item by item.
			const sampled = sample({ $ref: `#${pointer}` }, { skipNonRequired: true }, doc) as object;
			return mergeWith(sampled, fields, (_: unknown, own: unknown) =>
				Array.isArray(own) ? own : undefined,
			) as typeof fields & Record<string, unknown>;
		},
	};
}

/**
 * Swagger 2.0 has no `anyOf`; Slack's description wrote "one of these" as a tuple, `items: [a, b]`,
 * on schemas that are no arrays (a user, a conversation, a nullable `bot_id`). Converted to OpenAPI 3
 * that became `{ items: { anyOf: [a, b] } }`, which holds nothing that is not an array: read back as
 * `{ anyOf: [a, b] }`. A copy where anything changes; other descriptions come back as they are.
 */
function tuplesAsAlternatives(value: unknown): unknown {
	if (Array.isArray(value)) {
		const items = value.map(tuplesAsAlternatives);
		return items.some((v, i) => v !== value[i]) ? items : value;
	}
	if (!value || typeof value !== 'object') return value;
	const o = value as Record<string, unknown>;
	const keys = Object.keys(o);
	const alternatives = (o.items as { anyOf?: unknown } | undefined)?.anyOf;
	if (
		keys.length === 1 &&
		keys[0] === 'items' &&
		Object.keys(o.items as object).length === 1 &&
		Array.isArray(alternatives)
	)
		return { anyOf: tuplesAsAlternatives(alternatives) };
	const entries = keys.map((k) => [k, tuplesAsAlternatives(o[k])] as const);
	return entries.some(([k, v]) => v !== o[k]) ? Object.fromEntries(entries) : value;
}

function parsed(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** The answer's content type without its parameters, as the fake sends it. */
function mediaTypeOf(response: FakeResponse): string | undefined {
	const header = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type');
	return header?.[1].split(';')[0].trim().toLowerCase();
}
