/**
 * A spec the admin gives as a URL, fetched from a loopback server through n8n's own request
 * function (the node's path) and through fetch (the credential Test's path): what it serves is
 * compiled like a pasted spec; the server is hostile, so nothing of the credential reaches it, its
 * answer is read no further than the size limit, and its words and the URL's query stay out of errors.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSpec, MAX_SPEC_CHARS } from '../../nodes/CustomApi/compile';
import {
	compileCredentialSpec,
	fetchDownload,
	forgetFetchedSpecs,
	n8nDownload,
	type Download,
} from '../../nodes/CustomApi/spec-source';
import { n8nHttpRequest } from '../security/context';

const SWAGGER = readFileSync(join(__dirname, 'fixtures', 'notes.swagger.yaml'), 'utf8');
const KEY = 'key-9d3f7a1c';

let server: Server;
let base: string;
const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
let sentBytes = 0;

const routes: Record<string, (res: ServerResponse) => void> = {
	'/spec.yaml': (res) => res.end(SWAGGER),
	'/moved': (res) => res.writeHead(302, { location: '/spec.yaml' }).end(),
	'/missing': (res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('SERVER-WORDS'),
	'/huge': (res) => {
		const chunk = `# ${'x'.repeat(1024 * 1024 - 3)}\n`;
		const more = () => {
			while (sentBytes < 4 * MAX_SPEC_CHARS && !res.destroyed)
				if (!res.write(chunk)) return void res.once('drain', more);
				else sentBytes += chunk.length;
			res.end();
		};
		more();
	},
};

beforeAll(async () => {
	server = createServer((req, res) => {
		seen.push({ url: req.url ?? '', headers: req.headers });
		(routes[(req.url ?? '').split('?')[0]] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
	server.closeAllConnections();
	server.close();
});

beforeEach(() => {
	forgetFetchedSpecs();
	seen.splice(0);
});

const credentialsFor = (path: string) => ({
	specSource: 'url',
	specUrl: `${base}${path}`,
	spec: '',
	authMethod: 'apiKey',
	apiKey: KEY,
	authHeader: 'X-Api-Key',
	username: 'ada',
	password: KEY,
	extraHeaders: `{"X-Secret": "${KEY}"}`,
});

const downloads: Array<[string, Download]> = [
	["n8n's request helper", n8nDownload({ httpRequest: n8nHttpRequest })],
	['fetch (the Test)', fetchDownload],
];

describe.each(downloads)('through %s', (_, download) => {
	it('compiles what the URL serves (after a redirect) as the same spec pasted, sending nothing of the credential', async () => {
		const compiled = await compileCredentialSpec(credentialsFor('/moved?token=t0k'), download);
		expect(compiled.integration).toEqual((await compileSpec(SWAGGER)).integration);
		expect(seen.map((s) => s.url)).toEqual(['/moved?token=t0k', '/spec.yaml']);
		for (const { headers } of seen) {
			expect(JSON.stringify(headers)).not.toContain(KEY);
			expect(headers.authorization).toBeUndefined();
		}
	});

	it("an error names the status, not the server's words nor the URL's query", async () => {
		const { findings, integration } = await compileCredentialSpec(credentialsFor('/missing?token=t0k'), download);
		expect(integration).toBeUndefined();
		expect(findings).toEqual([expect.objectContaining({ rule: 'spec-url', severity: 'error' })]);
		expect(findings[0].message).toMatch(new RegExp(`could not be fetched from ${base}/missing: .*404`));
		expect(findings[0].message).not.toMatch(/SERVER-WORDS|t0k/);
	});

	it('stops reading a spec larger than the limit', async () => {
		sentBytes = 0;
		const { findings } = await compileCredentialSpec(credentialsFor('/huge'), download);
		expect(findings).toEqual([
			expect.objectContaining({ rule: 'spec-url', message: expect.stringMatching(/larger than 24 MB/) }),
		]);
		// The server was cut off well before it could send all it meant to.
		expect(sentBytes).toBeLessThan(4 * MAX_SPEC_CHARS);
	}, 60_000);
});

it('uses a fetched spec for a while, and the Test fetches it again', async () => {
	const [, download] = downloads[0];
	await compileCredentialSpec(credentialsFor('/spec.yaml'), download);
	await compileCredentialSpec(credentialsFor('/spec.yaml'), download);
	expect(seen).toHaveLength(1);
	await compileCredentialSpec(credentialsFor('/spec.yaml'), download, true);
	expect(seen).toHaveLength(2);
});

it.each([
	['file:///etc/passwd', /must be http\(s\), not file:/],
	['not a url', /is not a URL/],
])('refuses the Spec URL %j without a request', async (specUrl, message) => {
	const { findings } = await compileCredentialSpec({ specSource: 'url', specUrl }, downloads[0][1]);
	expect(findings).toEqual([expect.objectContaining({ rule: 'spec-url', message: expect.stringMatching(message) })]);
	expect(seen).toEqual([]);
});
