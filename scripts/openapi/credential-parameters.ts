import type { AuthVariant } from '../model/types';

/** Names of parameters that carry an API token (Slack's `token`, `access_token`, `api_key`). */
const TOKEN_NAME = /^(access[-_]?token|auth[-_]?token|oauth[-_]?token|api[-_]?key|token)$/i;
/** A bare `token` may be anything (an invitation's, a page's): it counts when the spec says it authenticates. */
const AMBIGUOUS = /^token$/i;
const AUTH_WORDS = /auth|access token|api key|credential|bearer/i;

/**
 * Parameters that are the credential: an apiKey scheme's own name and place, or a token parameter
 * beside a scheme that carries a token (API key, bearer, OAuth2). The credential sends the secret,
 * encrypted at rest and in the place its scheme says; a field for it would store the secret in
 * every workflow (and on GETs put it in the URL).
 */
export class CredentialParameters {
	/** `in:name` of the apiKey schemes, names lower case. */
	private readonly schemes: Set<string>;
	private readonly carriesToken: boolean;

	constructor(auth: AuthVariant[]) {
		this.schemes = new Set(auth.flatMap((a) => (a.type === 'apiKey' ? [`${a.in}:${a.name.toLowerCase()}`] : [])));
		this.carriesToken = auth.some((a) => a.type === 'apiKey' || a.type === 'oauth2');
	}

	/** Whether the parameter (a form or JSON body field is `in: body`) is the credential. */
	carries(name: string, location: string, description: unknown): boolean {
		if (this.schemes.has(`${location}:${name.toLowerCase()}`)) return true;
		if (!this.carriesToken || location === 'path' || !TOKEN_NAME.test(name)) return false;
		return !AMBIGUOUS.test(name) || AUTH_WORDS.test(String(description ?? ''));
	}
}
