import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Scopes an OAuth2 credential holds: those the token response granted, or, before the first
 * token exists (client credentials), those the credential asks for.
 */
export function grantedScopes(credentials: ICredentialDataDecryptedObject): Set<string> {
	const token = credentials.oauthTokenData as { scope?: unknown } | undefined;
	const granted = typeof token?.scope === 'string' ? token.scope : Array.isArray(token?.scope) ? token.scope.join(' ') : String(credentials.scope ?? '');
	return new Set(granted.split(/[\s,]+/).filter(Boolean));
}

/** The required scopes the credential lacks; a granted scope also grants the narrower ones it `includes`. */
export function missingScopes(required: string[] | undefined, granted: Set<string>, includes: Record<string, string[]> = {}): string[] {
	const held = new Set([...granted, ...[...granted].flatMap((s) => includes[s] ?? [])]);
	return (required ?? []).filter((s) => !held.has(s));
}
