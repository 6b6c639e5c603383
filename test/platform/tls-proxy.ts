/**
 * An HTTPS proxy on loopback that plays one real host (e.g. slack.com) for a process started with
 * `HTTPS_PROXY` and `NODE_EXTRA_CA_CERTS`: it answers CONNECT to that host with a certificate from
 * a throwaway CA and hands each request to a loopback fake. n8n's built-in nodes call their
 * vendors at fixed https URLs; this lets a test run them against our fakes unchanged. Any other
 * host is refused, so nothing leaves the machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsProxy {
	/** For `HTTPS_PROXY`. */
	url: string;
	/** For `NODE_EXTRA_CA_CERTS`: the CA that signed the host's certificate. */
	caFile: string;
	/** `host:port` of every CONNECT asked for, served or refused. */
	connects: string[];
	close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
	const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** A CA and a certificate for `host` signed by it, in a temporary folder. */
function certificates(host: string): { dir: string; key: Buffer; cert: Buffer } {
	const dir = mkdtempSync(join(tmpdir(), 'rills-tls-'));
	openssl(
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-keyout',
			'ca.key',
			'-out',
			'ca.pem',
			'-days',
			'2',
			'-subj',
			'/CN=rills test CA',
		],
		dir,
	);
	openssl(
		['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'host.key', '-out', 'host.csr', '-subj', `/CN=${host}`],
		dir,
	);
	writeFileSync(join(dir, 'host.ext'), `subjectAltName=DNS:${host}\n`);
	openssl(
		[
			'x509',
			'-req',
			'-in',
			'host.csr',
			'-CA',
			'ca.pem',
			'-CAkey',
			'ca.key',
			'-CAcreateserial',
			'-out',
			'host.pem',
			'-days',
			'2',
			'-extfile',
			'host.ext',
		],
		dir,
	);
	return { dir, key: readFileSync(join(dir, 'host.key')), cert: readFileSync(join(dir, 'host.pem')) };
}

/** Serves `host`:443 through the proxy from the plain-HTTP fake at `target` (same paths). */
export async function startTlsProxy(host: string, target: string): Promise<TlsProxy> {
	const { dir, key, cert } = certificates(host);
	const forward = createTlsServer({ key, cert }, (incoming, outgoing) => {
		const upstream = request(
			new URL(incoming.url ?? '/', target),
			{ method: incoming.method, headers: { ...incoming.headers, host: new URL(target).host } },
			(answer) => {
				outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(outgoing);
			},
		);
		upstream.on('error', () => outgoing.destroy());
		incoming.pipe(upstream);
	});
	const connects: string[] = [];
	const proxy: Server = createServer((_, outgoing) => outgoing.writeHead(405).end());
	proxy.on('connect', (req, socket) => {
		connects.push(req.url ?? '');
		if (req.url !== `${host}:443`) {
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		forward.emit('connection', socket);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
		caFile: join(dir, 'ca.pem'),
		connects,
		close: async () => {
			proxy.closeAllConnections();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
