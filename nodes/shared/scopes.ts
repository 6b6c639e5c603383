// Pure set logic, no runtime import of n8n-workflow: the generator uses it without n8n installed.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

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
