/**
 * Where a Custom API credential's spec comes from: pasted into it, or fetched from a URL the admin
 * gives. The URL's server is outside the boundary: nothing of the credential is sent to it, what it
 * answers is read up to the spec size limit, within a deadline, and its words never reach an error.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { compileSpec, MAX_SPEC_CHARS, type CompiledSpec } from './compile';

/** Fetches a URL with no credential and returns its body's bytes as they arrive. */
export type Download = (url: string, signal: AbortSignal) => Promise<AsyncIterable<Uint8Array>>;

/** How long a fetched spec is used before it is fetched again, and how long a fetch may take. */
const FRESH_MS = 5 * 60_000;
const TIMEOUT_MS = 30_000;
/**
 * Fetched texts kept at once, the oldest dropped first: the same strings the compiled cache holds
 * while it keeps them, at most 8 × 24 MB beyond it.
 */
const KEPT = 8;

const fetched = new Map<string, { text: string; until: number }>();

/**
 * The credential's spec, compiled; a spec URL that cannot be read is an error finding like any
 * other. `fresh` fetches again whatever was kept (the credential's Test: the admin just changed it).
 */
export async function compileCredentialSpec(
	credentials: ICredentialDataDecryptedObject,
	download: Download,
	fresh = false,
): Promise<CompiledSpec> {
	if (credentials.specSource !== 'url') return await compileSpec(String(credentials.spec ?? ''));
	const url = String(credentials.specUrl ?? '').trim();
	const kept = fetched.get(url);
	if (kept && !fresh && kept.until > Date.now()) return await compileSpec(kept.text);
	const text = await fetchSpec(url, download);
	if (typeof text !== 'string') return { findings: [text] };
	fetched.delete(url);
	fetched.set(url, { text, until: Date.now() + FRESH_MS });
	for (const oldest of fetched.keys()) if (fetched.size > KEPT) fetched.delete(oldest);
	return await compileSpec(text);
}

async function fetchSpec(url: string, download: Download): Promise<string | CompiledSpec['findings'][number]> {
	const fail = (message: string, fix: string) => ({
		file: 'spec',
		pointer: '',
		severity: 'error' as const,
		rule: 'spec-url',
		message,
		fix,
	});
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return fail(
			`the Spec URL "${url}" is not a URL`,
			'write the full address of the spec, e.g. https://api.example.com/openapi.yaml',
		);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
		return fail(`the Spec URL must be http(s), not ${parsed.protocol}`, 'write an http(s) address of the spec');
	// A query or user info may be a token for a private spec: errors name the URL without them.
	const shown = `${parsed.origin}${parsed.pathname}`;
	const signal = AbortSignal.timeout(TIMEOUT_MS);
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for await (const chunk of await download(parsed.href, signal)) {
			size += chunk.length;
			// Leaving the loop ends the download: the stream is destroyed.
			if (size > MAX_SPEC_CHARS)
				return fail(
					`the spec at ${shown} is larger than ${MAX_SPEC_CHARS / 2 ** 20} MB`,
					'give the URL of a smaller spec, or paste one without the paths you do not need',
				);
			chunks.push(chunk);
		}
	} catch (e) {
		const why = signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : (e as Error).message.split('\n')[0];
		return fail(
			`the spec could not be fetched from ${shown}: ${why}`,
			'check the Spec URL and that n8n can reach it without signing in',
		);
	}
	return Buffer.concat(chunks).toString('utf8');
}

const ACCEPT = 'application/json, application/yaml, text/yaml, text/plain;q=0.5, */*;q=0.1';

/** Through n8n's request helper (the node's runs and drop-downs): its proxy and TLS settings apply. */
export function n8nDownload(helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> }): Download {
	return async (url, signal) =>
		(await helpers.httpRequest({
			url,
			method: 'GET',
			headers: { Accept: ACCEPT },
			encoding: 'stream',
			json: false,
			maxRedirects: 5,
			abortSignal: signal,
		})) as AsyncIterable<Uint8Array>;
}

/** For the credential's Test, whose context has no request helper but the deprecated one. */
export const fetchDownload: Download = async (url, signal) => {
	const response = await fetch(url, { headers: { Accept: ACCEPT }, signal });
	if (!response.ok || !response.body) throw new Error(`the server answered ${response.status}`);
	return response.body as unknown as AsyncIterable<Uint8Array>;
};

/** For tests: forget every fetched spec. */
export function forgetFetchedSpecs(): void {
	fetched.clear();
}
