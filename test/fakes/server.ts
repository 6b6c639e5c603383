/**
 * A loopback HTTP server that stands in for a web API: it records every request it gets and
 * answers through a handler that enforces what the real service enforces.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: URLSearchParams;
	/** Lower-cased header names. */
	headers: Record<string, string>;
	rawBody: string;
	/** The body parsed as JSON or form data, when it is either. */
	body: Record<string, unknown>;
	/** The URL as the client addressed it, for signature checks. */
	url: string;
	receivedAt: number;
}

export interface FakeResponse {
	status?: number;
	headers?: Record<string, string>;
	/** Objects are sent as JSON. */
	body?: unknown;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeService {
	url: string;
	requests: FakeRequest[];
	/** Where its answers or webhook payloads differ from what the vendor describes (see `FakeOptions.conformance`). */
	drift: string[];
	close(): Promise<void>;
}

export interface FakeOptions {
	port?: number;
	/** What an answer does that the vendor's description does not allow; it goes to `drift`. */
	conformance?: (req: FakeRequest, response: FakeResponse) => string[];
}

export async function startFake(handler: Handler, options: FakeOptions = {}): Promise<FakeService> {
	const requests: FakeRequest[] = [];
	const drift: string[] = [];
	const server: Server = createServer((incoming, outgoing) => {
		void readRequest(incoming, base).then(async (req) => {
			requests.push(req);
			let response: FakeResponse;
			try {
				response = await handler(req);
			} catch (error) {
				response = { status: 500, body: { message: `fake service failed: ${(error as Error).message}` } };
			}
			const isJson = response.body !== undefined && typeof response.body !== 'string';
			outgoing.writeHead(response.status ?? 200, {
				...(isJson ? { 'content-type': 'application/json' } : {}),
				...response.headers,
			});
			outgoing.end(
				response.body === undefined
					? undefined
					: isJson
						? JSON.stringify(response.body)
						: (response.body as string),
			);
			// After answering: holding an answer to the vendor's schemas must not delay it.
			drift.push(...(options.conformance?.(req, response) ?? []));
		});
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	return {
		url: base,
		requests,
		drift,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

async function readRequest(incoming: IncomingMessage, base: string): Promise<FakeRequest> {
	const chunks: Buffer[] = [];
	for await (const chunk of incoming) chunks.push(chunk as Buffer);
	const rawBody = Buffer.concat(chunks).toString('utf8');
	const url = new URL(incoming.url ?? '/', base);
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(incoming.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
	return {
		method: incoming.method ?? 'GET',
		path: url.pathname,
		query: url.searchParams,
		headers,
		rawBody,
		body: parseBody(rawBody, headers['content-type']),
		url: url.toString(),
		receivedAt: Date.now(),
	};
}

function parseBody(raw: string, contentType = ''): Record<string, unknown> {
	if (!raw) return {};
	if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
	try {
		const parsed: unknown = JSON.parse(raw);
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { value: parsed };
	} catch {
		return {};
	}
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): FakeResponse => ({
	status,
	body,
	headers,
});
