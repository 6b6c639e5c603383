/**
 * A vendor's OpenAPI description from npm, and Stoplight Prism's own request and response
 * validation against it (router, security, parameters, content type, body schema), run in process.
 * Prism resolves the whole document per call, which takes minutes for Stripe's; it is handed only
 * the paths a request can match, with the components they refer to.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createLogger } from '@stoplight/prism-core';
import { createInstance, getHttpOperationsFromSpec, type IHttpRequest } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';

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
	return { source, packageVersion: version, apiVersion: String(info.version), title: String(info.title), doc };
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
	/** The templates the expected paths match, resolved in one go (each resolution costs seconds on GitHub's). */
	private readonly expected: Set<string>;

	/** `expected`: the paths (relative to a server) the requests are meant for, e.g. `/v1/customers/{id}`. */
	constructor(
		private readonly description: Description,
		expected: string[],
	) {
		const servers = (description.doc.servers ?? []) as Array<{ url: string; variables?: Json }>;
		this.servers = servers.map((s) => serverPattern(s.url, s.variables ?? {}));
		this.expected = new Set(expected.flatMap((path) => this.templatesOf(path.replace(/\{[^}]+\}/g, 'x'))));
	}

	private templatesOf(path: string): string[] {
		return Object.keys((this.description.doc.paths ?? {}) as Json).filter((t) => pathPattern(t).test(path));
	}

	async check(request: Captured): Promise<Checked> {
		const url = `${request.url.origin}${request.url.pathname}`;
		const base = this.servers.map((s) => s.exec(url)?.[0]).find((b) => b !== undefined);
		const none = { status: 404, headers: {}, body: {} };
		if (base === undefined)
			return { findings: [`${url} is under none of the description's servers`], answer: none };
		const path = url.slice(base.length) || '/';
		const templates = this.templatesOf(path);
		if (!templates.length) return { findings: [`no path of the description matches ${path}`], answer: none };
		const input: IHttpRequest = {
			method: request.method.toLowerCase() as IHttpRequest['method'],
			url: { path, query: queryOf(request.url.searchParams) },
			headers: request.headers,
			body: bodyOf(request),
		};
		const result = await prism.request(input, await this.operationsFor(templates))();
		if (result._tag === 'Left') return { findings: [result.left.message], answer: none };
		const { output, validations } = result.right;
		return {
			route: literalFirst(templates)[0],
			// Errors only: Prism's warnings are about answering, not the request.
			findings: validations.input.filter((v) => v.severity === 0).map((v) => finding(v)),
			answer: { status: output.statusCode, headers: output.headers ?? {}, body: output.body },
		};
	}

	private operationsFor(templates: string[]): Promise<IHttpOperation[]> {
		if (templates.every((t) => this.expected.has(t))) templates = [...this.expected];
		const key = templates.join('\n');
		let found = this.operations.get(key);
		if (!found) {
			const paths = (this.description.doc.paths ?? {}) as Json;
			const doc = { ...this.description.doc, paths: Object.fromEntries(templates.map((t) => [t, paths[t]])) };
			this.operations.set(key, (found = getHttpOperationsFromSpec(doc)));
		}
		return found;
	}
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

function pathPattern(template: string): RegExp {
	const source = template
		.split(/\{[^}]+\}/)
		.map(escape)
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
