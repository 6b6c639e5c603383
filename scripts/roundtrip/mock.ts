/**
 * A validating mock of a spec on loopback: Stoplight Prism (`prism mock --errors`) checks every
 * request against the spec, and a small proxy in front of it records what Prism refused and makes
 * list answers end. Prism repeats one example page forever, so Return All would never stop: the
 * proxy answers a list's first page with a way on (a next link or cursor, where the operation pages
 * by those) and every page after it with its results emptied.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import set from 'lodash/set';
import type { Operation } from '../model/types';
import { freePort } from '../harness/n8n';
import type { Json } from '../openapi/document';

export interface Violation {
	method: string;
	url: string;
	/** Prism's words: the rule broken and where. */
	messages: string[];
	/** The operation of the model the request was for, when the path and method are one of them. */
	operation?: Operation;
	/** Set when the node cannot meet it by design, e.g. the operation needs auth n8n cannot run. */
	limitation?: string;
}

export interface Mock {
	url: string;
	/** Requests seen. */
	requests: number;
	/** Each request's method and URL, in order. */
	urls: string[];
	violations: Violation[];
	/** Requests the mock could not answer (Prism crashed or failed on them): neither passed nor refused. */
	failures: string[];
	/** The operations of the requests the mock failed on. */
	failedOperations: Set<Operation>;
	close(): Promise<void>;
}

/** Prism's answers to requests the spec does not allow (its other errors are about answering, not the request). */
const REQUEST_ERRORS =
	/#(UNPROCESSABLE_ENTITY|UNAUTHORIZED|NO_PATH_MATCHED_ERROR|NO_METHOD_MATCHED_ERROR|INVALID_CONTENT_TYPE|NOT_ACCEPTABLE|NO_SERVER_MATCHED_ERROR)$/;

/**
 * `basePath`: the spec's relative server URL (`/api/v1`), which the node puts before every path and
 * Prism does not route by: requests must carry it, and Prism gets them without it. `cursor`: handed
 * on a cursor-paged list's first page, for a spec whose answers describe no cursor Prism could fill in.
 */
export async function startMock(
	specFile: string,
	operations: Operation[],
	basePath = '',
	options: { cursor?: string } = {},
): Promise<Mock> {
	const prismPort = await freePort();
	const prism = await startPrism(specFile, prismPort);
	const routes = routesOf(operations);
	const violations: Violation[] = [];
	const failures: string[] = [];
	const failedOperations = new Set<Operation>();
	let requests = 0;
	const urls: string[] = [];
	let previous = '';
	const server: Server = createServer((incoming, outgoing) => {
		void (async () => {
			requests++;
			const body = await readAll(incoming);
			const url = incoming.url ?? '/';
			const headers = forwarded(incoming);
			const method = incoming.method ?? 'GET';
			urls.push(`${method} ${url}`);
			const { route, prismUrl } = resolve(routes, method, url, headers, basePath);
			if (prismUrl === undefined) {
				violations.push({ method, url, messages: [`not under the spec's server path ${basePath}`] });
				outgoing.writeHead(404, { 'content-type': 'text/plain' });
				outgoing.end('not under the server path');
				return;
			}
			const path = url.split('?')[0];
			const answer = await fetch(`http://127.0.0.1:${prismPort}${prismUrl}`, {
				method: incoming.method,
				headers,
				body: body.length ? body : undefined,
			});
			const text = await answer.text();
			const found = violationsIn(answer, text);
			const unread = unreadBody(found, headers['content-type']);
			const refused = found.filter((m) => !unread.includes(m));
			if (refused.length) violations.push({ method, url, messages: refused, operation: route?.op });
			if (unread.length) {
				failures.push(
					`${method} ${url}: it cannot read an XML body (Prism checks it as a string): ${unread[0]}`,
				);
				if (route) failedOperations.add(route.op);
			}
			const unanswered = ownAnswerBroken(answer, text);
			if (unanswered) {
				failures.push(`${method} ${url}: ${unanswered}`);
				if (route) failedOperations.add(route.op);
			}
			// Requests of one list follow each other: a node's Return All pages before the next node runs.
			const key = `${method} ${route?.op.path ?? path}`;
			const followUp = key === previous;
			previous = key;
			const answerHeaders: Record<string, string> = {
				'content-type': answer.headers.get('content-type') ?? 'text/plain',
			};
			let out = text;
			if (route?.op.list && answer.ok && /json/.test(answerHeaders['content-type'])) {
				const paged = page(route.op, text, followUp, `http://${incoming.headers.host}${url}`, options.cursor);
				out = paged.body;
				Object.assign(answerHeaders, paged.headers);
			}
			outgoing.writeHead(answer.status, answerHeaders);
			outgoing.end(out);
		})().catch((e: Error) => {
			failures.push(`${incoming.method ?? 'GET'} ${incoming.url ?? '/'}: ${e.message}`);
			outgoing.writeHead(502, { 'content-type': 'text/plain' });
			outgoing.end(`round-trip proxy failed: ${e.message}`);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}`,
		get requests() {
			return requests;
		},
		urls,
		violations,
		failures,
		failedOperations,
		close: async () => {
			await new Promise((resolve) => server.close(resolve));
			prism.kill();
		},
	};
}

/** `prism mock --errors` on a free port; resolves once it listens. */
function startPrism(specFile: string, port: number): Promise<ChildProcess> {
	const bin = join(require.resolve('@stoplight/prism-cli/package.json'), '..', 'dist', 'index.js');
	const child = spawn(process.execPath, [bin, 'mock', specFile, '--errors', '-h', '127.0.0.1', '-p', String(port)], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return new Promise((resolve, reject) => {
		let log = '';
		const timer = setTimeout(() => fail(new Error(`prism did not start in 120 s:\n${log.slice(-2000)}`)), 120_000);
		const fail = (e: Error) => {
			clearTimeout(timer);
			child.kill();
			reject(e);
		};
		const read = (d: Buffer) => {
			log += d;
			if (/Prism is listening/.test(log)) {
				clearTimeout(timer);
				child.stdout?.removeAllListeners('data');
				child.stderr?.removeAllListeners('data');
				child.stdout?.resume();
				child.stderr?.resume();
				resolve(child);
			}
		};
		child.stdout?.on('data', read);
		child.stderr?.on('data', read);
		child.on('exit', (code) => fail(new Error(`prism exited (${code}):\n${log.slice(-2000)}`)));
	});
}

/**
 * What Prism found wrong with a request: its `sl-violations` header (also on answers it takes from the
 * spec's own 400s), else the problem+json error it generated.
 */
function violationsIn(answer: Response, text: string): string[] {
	const header = answer.headers.get('sl-violations');
	if (header) {
		const found = JSON.parse(header) as Array<{
			location?: string[];
			message?: string;
			severity?: string | number;
		}>;
		return (
			found
				// Prism also checks the answers it makes up; only what it says of the request counts.
				.filter((v) => (v.severity === 'Error' || v.severity === 0) && v.location?.[0] === 'request')
				.map((v) => `${(v.location ?? []).join('.')} ${v.message ?? ''}`.trim())
		);
	}
	// A HEAD answer has no body to read.
	if (!text || !/problem\+json/.test(answer.headers.get('content-type') ?? '')) return [];
	const problem = JSON.parse(text) as { type?: string; title?: string; validation?: unknown[] };
	if (!problem.type || !REQUEST_ERRORS.test(problem.type)) return [];
	const details = (problem.validation ?? []) as Array<{ location?: string[]; message?: string }>;
	return details.length
		? details.map((v) => `${(v.location ?? []).join('.')} ${v.message ?? ''}`.trim())
		: [problem.title ?? problem.type];
}

/**
 * Prism's 500 for an answer it made up from the spec and then found breaking the spec (with
 * `--errors` it checks its own answers too): the request passed, the mock could not answer it.
 */
function ownAnswerBroken(answer: Response, text: string): string | undefined {
	if (answer.status !== 500 || !text || !/problem\+json/.test(answer.headers.get('content-type') ?? ''))
		return undefined;
	type Problem = { type?: string; validation?: Array<{ location?: string[]; message?: string }> };
	const problem = JSON.parse(text) as Problem;
	const about = problem.validation ?? [];
	if (!problem.type?.endsWith('#VIOLATIONS') || !about.every((v) => v.location?.[0] === 'response')) return undefined;
	return `its answer made from the spec breaks the spec: ${about[0]?.message ?? ''}`.trim();
}

/**
 * The spec's server URL when it is a path (`/api`): the user names the host, the node keeps the path.
 * A scheme-relative URL (`//host/v1`) names its host, so the user replaces it whole, as an absolute one.
 */
export function relativeServer(doc: Json): string {
	const url = (doc.servers as Json[] | undefined)?.[0]?.url;
	return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? url.replace(/\/+$/, '') : '';
}

/**
 * What Prism says of an XML body: it reads one as a string and checks that against the schema, so an
 * object or list schema refuses every XML body, well-formed or not. The mock cannot check those.
 */
export function unreadBody(messages: string[], contentType = ''): string[] {
	if (!/[/+]xml\b/i.test(contentType)) return [];
	return messages.filter((m) => /^(request\.)?body\b/.test(m));
}

function forwarded(incoming: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(incoming.headers)) {
		if (name === 'host' || name === 'connection' || name === 'content-length' || value === undefined) continue;
		headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function readAll(incoming: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (c: Buffer) => chunks.push(c));
		incoming.on('end', () => resolve(Buffer.concat(chunks)));
		incoming.on('error', reject);
	});
}

export interface Route {
	op: Operation;
	pattern: RegExp;
	/**
	 * What a path's fragment says the request carries (`/#Action=List`, `/{arn}/tags#tagKeys`): AWS
	 * specs tell operations that share a path apart by a header or query value that way.
	 */
	fragment?: { name: string; value?: string };
}

/** The operations' routes, literal paths before templated ones: `/pets/mine` is not `/pets/{id}`. */
export function routesOf(operations: Operation[]): Route[] {
	return operations
		.map((op) => {
			const [path, fragment] = op.path.split('#');
			const [name, value] = (fragment ?? '').split('=');
			const source = path
				.split(/\{[^}]+\}/)
				.map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))
				.join('[^/]+');
			const route: Route = { op, pattern: new RegExp(`^${source}/?$`) };
			if (fragment !== undefined) route.fragment = { name, value };
			return { route, literal: op.path.replace(/\{[^}]+\}/g, '').length };
		})
		.sort((a, b) => b.literal - a.literal)
		.map((r) => r.route);
}

/**
 * The operation a request is for, and the URL Prism routes it by (none for a request outside the
 * base path). A fragment never travels over HTTP, so Prism, which
 * matches a fragment path literally, gets it back (`%23`) once the request carries what it names.
 */
export function resolve(
	routes: Route[],
	method: string,
	url: string,
	headers: Record<string, string>,
	basePath: string,
): { route?: Route; prismUrl?: string } {
	if (basePath && url !== basePath && !url.startsWith(`${basePath}/`) && !url.startsWith(`${basePath}?`)) return {};
	const inner = url.slice(basePath.length) || '/';
	const [path, search = ''] = inner.split(/\?(.*)/s);
	const query = new URLSearchParams(search);
	const carries = ({ name, value }: NonNullable<Route['fragment']>) =>
		[query.getAll(name), headerValues(headers, name)].some((values) =>
			value === undefined ? values.length > 0 : values.includes(value),
		);
	const route = routes.find(
		(r) => r.op.method === method && r.pattern.test(path) && (!r.fragment || carries(r.fragment)),
	);
	if (!route?.fragment) return { route, prismUrl: inner };
	const fragment = encodeURIComponent(route.op.path.slice(route.op.path.indexOf('#') + 1)).replace(/%3D/g, '=');
	return { route, prismUrl: `${path}%23${fragment}${search ? `?${search}` : ''}` };
}

function headerValues(headers: Record<string, string>, name: string): string[] {
	const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
	return found ? [found[1]] : [];
}

/** A list page that leads on once (first page) and then ends (every later one). */
function page(
	op: Operation,
	text: string,
	followUp: boolean,
	self: string,
	cursor?: string,
): { body: string; headers: Record<string, string> } {
	const p = op.pagination;
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { body: text, headers: {} };
	}
	if (!p || p.type === 'none') return { body: text, headers: {} };
	const results = p.resultsKey ? p.resultsKey.replace(/^\$\.?/, '') : '';
	const headers: Record<string, string> = {};
	if (followUp) {
		if (!results) body = [];
		else if (body && typeof body === 'object') set(body, results, []);
		if (p.type === 'cursor' && body && typeof body === 'object')
			set(body, p.cursorPath.replace(/^\$\.?/, ''), null);
		if (p.type === 'link' && p.location === 'body' && body && typeof body === 'object')
			set(body, p.nextUrlPath.replace(/^\$\.?/, ''), null);
		if (p.hasMorePath && body && typeof body === 'object') set(body, p.hasMorePath.replace(/^\$\.?/, ''), false);
	} else if (p.type === 'cursor' && cursor && body && typeof body === 'object') {
		set(body, p.cursorPath.replace(/^\$\.?/, ''), cursor);
	} else if (p.type === 'link' && p.location === 'header') {
		headers[p.header ?? 'link'] = `<${self}>; rel="${p.rel ?? 'next'}"`;
	} else if (p.type === 'link' && body && typeof body === 'object') {
		set(body, p.nextUrlPath.replace(/^\$\.?/, ''), self);
	}
	return { body: JSON.stringify(body), headers };
}
