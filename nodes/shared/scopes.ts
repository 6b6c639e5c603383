import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * Scopes an OAuth2 credential holds: those the token response granted, or, before the first
 * token exists (client credentials), those the credential asks for.
 */
export function grantedScopes(credentials: ICredentialDataDecryptedObject): Set<string> {
	const token = credentials.oauthTokenData as { scope?: unknown } | undefined;
	const granted =
		typeof token?.scope === 'string'
			? token.scope
			: Array.isArray(token?.scope)
				? token.scope.join(' ')
				: String(credentials.scope ?? '');
	return new Set(granted.split(/[\s,]+/).filter(Boolean));
}

/** The narrower scopes that `scopes` grant through `includes` (broader scope → the narrower ones it grants too). */
export function impliedScopes(scopes: Iterable<string>, includes: Record<string, string[]>): Set<string> {
	return new Set([...scopes].flatMap((s) => includes[s] ?? []));
}

/** The required scopes the credential lacks; a granted scope also grants the narrower ones it `includes`. */
export function missingScopes(
	required: string[] | undefined,
	granted: Set<string>,
	includes: Record<string, string[]> = {},
): string[] {
	const implied = impliedScopes(granted, includes);
	return (required ?? []).filter((s) => !granted.has(s) && !implied.has(s));
}

/** A 403 explained after the fact: the scopes the API's description names for the operation, beside those granted. */
export function withScopesNamed(
	error: unknown,
	required: string[] | undefined,
	credentials: ICredentialDataDecryptedObject,
): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== '403' || !required?.length) return error;
	const granted = [...grantedScopes(credentials)].join(', ') || 'none it reported';
	const named =
		`The API's description names the scopes ${required.join(', ')} for this operation; ` +
		`the credential was granted ${granted}.`;
	error.description = error.description ? `${error.description} ${named}` : named;
	return error;
}
