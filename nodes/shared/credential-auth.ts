import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * What a generated API-key or basic credential adds to a request: headers, query parameters and
 * basic auth, written as n8n's declarative form writes them (`=Bearer {{$credentials.apiKey}}`).
 */
export interface CredentialAuthentication {
	headers?: Record<string, string>;
	qs?: Record<string, string>;
	auth?: { username: string; password: string };
}

const REFERENCE = /\{\{\s*\$credentials\.([A-Za-z_$][\w$]*)\s*\}\}/g;

/**
 * The credential's `authenticate` as a function that applies `spec` as n8n applies the declarative
 * form: its values over the request's own, a missing field empty. n8n evaluates a declarative
 * form's templates as expressions in its sandbox on every request (a third of a request's cost in
 * a paginated read on loopback); a function it simply calls. Requests still go through n8n's
 * httpRequestWithAuthentication, which calls it.
 */
export function credentialAuthentication(spec: CredentialAuthentication) {
	return async (
		credentials: ICredentialDataDecryptedObject,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const fill = (template: string) =>
			template.startsWith('=')
				? template.slice(1).replace(REFERENCE, (_, field: string) => String(credentials[field] ?? ''))
				: template;
		const filled = (values: Record<string, string>) =>
			Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fill(v)]));
		return {
			...request,
			...(spec.headers ? { headers: { ...request.headers, ...filled(spec.headers) } } : {}),
			...(spec.qs ? { qs: { ...request.qs, ...filled(spec.qs) } } : {}),
			...(spec.auth ? { auth: { username: fill(spec.auth.username), password: fill(spec.auth.password) } } : {}),
		};
	};
}
