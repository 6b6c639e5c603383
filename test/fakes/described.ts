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
		found = {
			description,
			schemas: new Schemas(description.doc),
			paths: (description.doc.paths ?? {}) as Record<string, object>,
			doc: description.doc,
		};
		loaded.set(source, found);
	}
	return found;
}

/**
 * `source`: as the definition's `conformance.description` names it; `host`: the vendor's address
 * the fake's paths stand under. Options: `server`, where the vendor also serves the API when the
 * description names another address (the definition's `conformance.server`); `elsewhere`, paths
 * the fake serves that this description does not cover (a token endpoint, another product's API, a
 * deviation the definition lists); `deviations`, findings on answers the vendor is known to give
 * otherwise than its description says (a part of the finding's text), each with the reason.
 */
export function describedBy(
	source: string,
	host: string,
	options: { server?: string; elsewhere?: RegExp; deviations?: Array<{ finding: string; reason: string }> } = {},
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
			// `/users/me` and `/users/{id}` may both match; the one with this method answers.
			const template =
				located.templates.find((t) => req.method.toLowerCase() in (paths[t] ?? {})) ?? located.templates[0];
			return schemas
				.response(req.method, template, response.status ?? 200, body)
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

function parsed(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
