import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * The headers a Custom API credential adds to a request: the API key (in its header, after its
 * preamble) or basic auth, and the admin's extra headers. n8n applies it only to requests the
 * runtime sends to the API's own origin.
 */
export async function authenticateCustomApi(
	credentials: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const headers: Record<string, string> = {
		...extraHeaders(credentials),
		...(request.headers as Record<string, string>),
	};
	if (credentials.authMethod === 'apiKey') {
		const preamble = String(credentials.authPreamble ?? '').trim();
		const key = String(credentials.apiKey ?? '');
		headers[String(credentials.authHeader || 'Authorization')] = preamble ? `${preamble} ${key}` : key;
	}
	const auth =
		credentials.authMethod === 'basic'
			? { username: String(credentials.username ?? ''), password: String(credentials.password ?? '') }
			: request.auth;
	return { ...request, headers, ...(auth ? { auth } : {}) };
}

/** The admin's Extra Request Headers: a JSON object of header names and values (none while it is not one). */
export function extraHeaders(credentials: ICredentialDataDecryptedObject): Record<string, string> {
	const parsed = parsedHeaders(credentials);
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
	return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

/** Why Extra Request Headers cannot be sent, when they cannot. */
export function headersProblem(credentials: ICredentialDataDecryptedObject): string | undefined {
	const parsed = parsedHeaders(credentials);
	if (parsed === INVALID) return 'Extra Request Headers is not valid JSON';
	if (parsed !== undefined && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)))
		return 'Extra Request Headers is not a JSON object';
	return undefined;
}

const INVALID = Symbol('invalid JSON');

function parsedHeaders(credentials: ICredentialDataDecryptedObject): unknown {
	const given = credentials.extraHeaders;
	if (typeof given !== 'string') return given;
	if (!given.trim()) return undefined;
	try {
		return JSON.parse(given);
	} catch {
		// Reported by headersProblem, which the node and the credential's Test check before any request.
		return INVALID;
	}
}
