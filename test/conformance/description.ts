/**
 * A vendor's OpenAPI description from npm, and Stoplight Prism's own request and response
 * validation against it (router, security, parameters, content type, body schema), run in process.
 * Prism dereferences every schema of the document it is given, which never ends on Stripe's (its
 * response objects expand into each other); it is handed only the operation a request can match,
 * its responses without bodies, a JSON body's schema cut to what the body reaches (`prunedFor`),
 * and the components those refer to.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createLogger } from '@stoplight/prism-core';
import { createInstance, getHttpOperationsFromSpec, type IHttpRequest } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';
import { prunedFor, resolve } from './prune';

type Json = Record<string, unknown>;

export interface Description {
	/** `package/file`, as the definition names it. */
	source: string;
	/** The npm package's version and the description's own `info.version`. */
	packageVersion: string;
	apiVersion: string;
	title: string;
	doc: Json;
}

/** A request as it reached the loopback server, with its URL already mapped back to the vendor's host. */
export interface Captured {
	method: string;
	url: URL;
	headers: Record<string, string>;
	rawBody: string;
}

export interface Checked {
	/** The path template of the description the request matched, e.g. `/v1/customers/{customer}`. */
	route?: string;
	findings: string[];
	/** What the description's mock answers. */
	answer: { status: number; headers: Record<string, string>; body: unknown };
}

export function loadDescription(source: string): Description {
	const [, pkg, file] = /^((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(source) ?? [];
	const root = dirname(require.resolve(`${pkg}/package.json`));
	const doc = JSON.parse(readFileSync(join(root, file), 'utf8')) as Json;
	const info = (doc.info ?? {}) as Json;
	const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
	return { source, packageVersion: version, apiVersion: versionOf(info.version), title: String(info.title), doc };
}

/** Stripe's is a date in JavaScript's long form in the directory's copy: as a calendar date. */
function versionOf(version: unknown): string {
	const text = String(version);
	return / /.test(text) && !Number.isNaN(Date.parse(text)) ? new Date(text).toISOString().slice(0, 10) : text;
}

const prism = createInstance(
	{
		mock: { dynamic: false },
		checkSecurity: true,
		validateRequest: true,
		validateResponse: true,
		errors: false,
		upstreamProxy: undefined,
		isProxy: false,
	},
	{ logger: createLogger('conformance', { enabled: false }) },
);

export class Validator {
	private readonly servers: RegExp[];
	private readonly operations = new Map<string, Promise<IHttpOperation[]>>();

	/** `server`: where the vendor serves the API when the description names another address. */
	constructor(
		private readonly description: Description,
		server?: string,
	) {
		const servers = (description.doc.servers ?? []) as Array<{ url: string; variables?: Json }>;
		this.servers = [...servers, ...(server ? [{ url: server }] : [])].map((s) =>
			serverPattern(s.url, s.variables ?? {}),
		);
	}

	private templatesOf(path: string): string[] {
		return Object.keys((this.description.doc.paths ?? {}) as Json).filter((t) => pathPattern(t).test(path));
	}

	/** The description's path templates a URL may stand for, literal ones first, or why there are none. */
	locate(url: URL): { path: string; templates: string[] } | { finding: string } {
		const address = `${url.origin}${url.pathname}`;
		// The longest server that holds the address: Jira's site is also the start of its `/ex/jira/{cloudId}` one.
		const base = this.servers
			.map((s) => s.exec(address)?.[0])
			.filter((b) => b !== undefined)
			.sort((a, b) => b.length - a.length)[0];
		if (base === undefined) return { finding: `${address} is under none of the description's servers` };
		const path = address.slice(base.length) || '/';
		const templates = literalFirst(this.templatesOf(path));
		return templates.length ? { path, templates } : { finding: `no path of the description matches ${path}` };
	}

	async check(request: Captured): Promise<Checked> {
		const none = { status: 404, headers: {}, body: {} };
		const located = this.locate(request.url);
		if ('finding' in located) return { findings: [located.finding], answer: none };
		const { path, templates } = located;
		const input: IHttpRequest = {
			method: request.method.toLowerCase() as IHttpRequest['method'],
			url: { path, query: queryOf(request.url.searchParams) },
			headers: request.headers,
			body: bodyOf(request),
		};
		const operations = await this.operationsFor(templates, input.method, formKeys(request), input.body);
		const result = await prism.request(input, operations)();
		if (result._tag === 'Left') return { findings: [result.left.message], answer: none };
		const { output, validations } = result.right;
		return {
			route: templates[0],
			// Errors only: Prism's warnings are about answering, not the request.
			findings: validations.input.filter((v) => v.severity === 0).map((v) => finding(v)),
			answer: { status: output.statusCode, headers: output.headers ?? {}, body: output.body },
		};
	}

	/** `sent`: the top-level keys of a form body, for Prism's form decoding; `body`: as sent (see `requestPart`). */
	private operationsFor(
		templates: string[],
		method: string,
		sent: string[],
		body: unknown,
	): Promise<IHttpOperation[]> {
		const key = `${method} ${templates.join('\n')}\n${sent.join('&')}\n${JSON.stringify(body)}`;
		let found = this.operations.get(key);
		if (!found) {
			// A copy: Prism resolves `$ref`s in place, which would leave the description circular.
			const part = structuredClone(requestPart(this.description.doc, templates, method, sent, body));
			this.operations.set(key, (found = getHttpOperationsFromSpec(part)));
		}
		return found;
	}

	/** The description's path template a definition's path stands for (its parameters may be named otherwise). */
	template(path: string): string | undefined {
		return literalFirst(this.templatesOf(path.replace(/\{[^}]+\}/g, 'x')))[0];
	}
}

/** Top-level keys of a form body (`metadata` of `metadata[plan]=pro`). */
function formKeys(request: Captured): string[] {
	if (!/x-www-form-urlencoded/.test(request.headers['content-type'] ?? '')) return [];
	return [...new Set([...new URLSearchParams(request.rawBody).keys()].map((k) => k.split('[')[0]))].sort();
}

/**
 * The part of the document that says what `method` requests to `templates` may be: their other
 * operations may reach hundreds more schemas (Graph's `PATCH /me` takes a whole user). Prism decodes every form
 * property the description encodes as a deep object, sent or not, into `{}` and then finds its
 * required keys missing; only the encodings of properties `sent` are kept.
 */
function requestPart(doc: Json, templates: string[], method: string, sent: string[], body: unknown): Json {
	const all = (doc.paths ?? {}) as Record<string, Json>;
	const paths = Object.fromEntries(
		templates.map((t) => [
			t,
			Object.fromEntries(
				Object.entries(all[t])
					.filter(([key]) => !isOperation(key) || key === method)
					.map(([key, value]) => [
						key,
						isOperation(key) ? withoutBodies(doc, value as Json, sent, body) : value,
					]),
			),
		]),
	);
	const components = (doc.components ?? {}) as Record<string, Json>;
	const used: Record<string, Json> = { securitySchemes: components.securitySchemes ?? {} };
	for (const ref of referenced(doc, paths)) {
		const [, group, name] = ref.split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
		(used[group] ??= {})[name] = components[group]?.[name];
	}
	return {
		openapi: doc.openapi,
		info: doc.info,
		servers: doc.servers,
		security: doc.security,
		paths,
		components: used,
	};
}

function isOperation(key: string): boolean {
	return ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(key);
}

function withoutBodies(doc: Json, operation: Json, sent: string[], body: unknown): Json {
	const responses = (operation.responses ?? {}) as Record<string, Json>;
	const requestBody = operation.requestBody ? resolve(doc, operation.requestBody as Json) : undefined;
	const content = Object.entries((requestBody?.content ?? {}) as Record<string, Json>).map(([type, media]) => {
		if (/json/.test(type) && media.schema)
			return [type, { ...media, schema: prunedFor(doc, media.schema, body === undefined ? [] : [body]) }];
		if (type === 'application/x-www-form-urlencoded' && media.encoding) {
			const encoding = Object.entries(media.encoding as Json).filter(([k]) => sent.includes(k));
			return [type, { ...media, encoding: Object.fromEntries(encoding) }];
		}
		return [type, media];
	});
	return {
		...operation,
		...(requestBody ? { requestBody: { ...requestBody, content: Object.fromEntries(content) } } : {}),
		responses: Object.fromEntries(
			Object.entries(responses).map(([code, r]) => [code, { description: String(r.description ?? '') }]),
		),
	};
}

/** Every local `$ref` reachable from `root`, followed through the components it names. */
function referenced(doc: Json, root: unknown): Set<string> {
	const refs = new Set<string>();
	const queue = [root];
	while (queue.length) {
		const value = queue.pop();
		if (!value || typeof value !== 'object') continue;
		for (const [key, inner] of Object.entries(value)) {
			if (key !== '$ref' || typeof inner !== 'string') queue.push(inner);
			else if (inner.startsWith('#/components/') && !refs.has(inner)) {
				refs.add(inner);
				queue.push(
					inner
						.slice(2)
						.split('/')
						.reduce<unknown>((o, k) => (o as Json | undefined)?.[k], doc),
				);
			}
		}
	}
	return new Set([...refs].map((r) => r.slice(2)));
}

function finding(v: { path?: string[]; message: string }): string {
	return `${(v.path ?? []).join('.')} ${v.message}`.trim();
}

/** A server URL as a prefix pattern; a variable matches its enum values or any host label / path segment. */
function serverPattern(url: string, variables: Json): RegExp {
	const source = url
		.replace(/\/+$/, '')
		.split(/(\{[^}]+\})/)
		.map((part) => {
			const variable = /^\{([^}]+)\}$/.exec(part)?.[1];
			if (!variable) return escape(part);
			const values = ((variables[variable] as Json | undefined)?.enum ?? []) as string[];
			return values.length ? `(?:${values.map(escape).join('|')})` : '[^/]+';
		})
		.join('');
	return new RegExp(`^${source}(?=/|$)`);
}

/**
 * A template as a pattern for paths. OData (Microsoft Graph) describes a bound function by its
 * qualified name, `/messages/microsoft.graph.delta()`; the service also takes it as `/messages/delta`.
 */
function pathPattern(template: string): RegExp {
	const source = template
		.split(/\{[^}]+\}/)
		.map((part) =>
			part
				.split('/')
				.map((segment) => {
					const name = /^(?:[A-Za-z]\w*\.)+([A-Za-z]\w*)\(\)$/.exec(segment)?.[1];
					return name ? `(?:${escape(segment)}|${name})` : escape(segment);
				})
				.join('/'),
		)
		.join('[^/]+');
	return new RegExp(`^${source}/?$`);
}

/** Literal paths before templated ones, as routers match them: `/users/me` is not `/users/{id}`. */
function literalFirst(templates: string[]): string[] {
	const literal = (t: string) => t.replace(/\{[^}]+\}/g, '').length;
	return [...templates].sort((a, b) => literal(b) - literal(a));
}

function escape(text: string): string {
	return text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
	const query: Record<string, string | string[]> = {};
	for (const key of new Set(params.keys())) {
		const all = params.getAll(key);
		query[key] = all.length === 1 ? all[0] : all;
	}
	return query;
}

/** The body as Prism's own server hands it on: JSON parsed, anything else as text. */
function bodyOf(request: Captured): unknown {
	if (!request.rawBody) return undefined;
	if (/json/.test(request.headers['content-type'] ?? '')) {
		try {
			return JSON.parse(request.rawBody);
		} catch {
			return request.rawBody;
		}
	}
	return request.rawBody;
}
