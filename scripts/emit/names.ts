import { pascalCase } from '../model/naming';
import type { AuthVariant, Integration } from '../model/types';
import { plainUrl } from '../openapi/text';
import { Expression } from './literal';

/** Names n8n sees for one auth variant: the credential type, its class and the node's option value. */
export interface CredentialNames {
	/** Credential type name, e.g. `acmeTasksOAuth2Api`. */
	name: string;
	className: string;
	displayName: string;
	/** Value of the node's `authentication` option. */
	option: string;
	/** Label of that option. */
	label: string;
}

/** `qualifier` goes between the integration's name and "API" in the credential's name; n8n's lint wants OAuth2 ones to end in "OAuth2 API". */
const KIND: Record<string, { suffix: string; option: string; label: string; qualifier: string }> = {
	apiKey: { suffix: 'Api', option: 'apiKey', label: 'API Key', qualifier: '' },
	basic: { suffix: 'BasicAuthApi', option: 'basicAuth', label: 'Basic Auth', qualifier: ' Basic Auth' },
	oauth1: { suffix: 'OAuth1Api', option: 'oAuth1', label: 'OAuth1', qualifier: ' OAuth1' },
	none: { suffix: 'Api', option: 'none', label: 'None', qualifier: '' },
	authorizationCode: { suffix: 'OAuth2Api', option: 'oAuth2', label: 'OAuth2', qualifier: ' OAuth2' },
	clientCredentials: { suffix: 'ClientCredentialsOAuth2Api', option: 'oAuth2ClientCredentials', label: 'OAuth2 (Client Credentials)', qualifier: ' (Client Credentials) OAuth2' },
	pkce: { suffix: 'PkceOAuth2Api', option: 'oAuth2Pkce', label: 'OAuth2 (PKCE)', qualifier: ' (PKCE) OAuth2' },
};

export function credentialNames(integration: Integration, auth: AuthVariant): CredentialNames {
	const kind = KIND[auth.type === 'oauth2' ? auth.grantType : auth.type];
	const className = pascalCase(integration.name) + kind.suffix;
	const label = auth.displayName ?? kind.label;
	return { name: className[0].toLowerCase() + className.slice(1), className, displayName: `${integration.displayName}${kind.qualifier} API`, option: kind.option, label };
}

/** Variants that need a credential: all but `none`, which needs one only to hold config fields. */
export function credentialVariants(integration: Integration): AuthVariant[] {
	return integration.auth.filter((a) => a.type !== 'none' || integration.config.length > 0);
}

export function nodeFolder(integration: Integration): string {
	return pascalCase(integration.name);
}

/**
 * `{subdomain}` → `{{$credentials.subdomain}}` for n8n expressions in credentials. Any other brace
 * is URL-encoded, so the template's own text cannot open an expression of its own.
 */
export function credentialExpression(template: string, scope: '$credentials' | '$self'): string | Expression {
	const parts = template.split(/\{([A-Za-z_][A-Za-z0-9_]*)\}/);
	if (parts.length === 1) return template;
	return new Expression('=' + parts.map((part, i) => (i % 2 ? `{{${scope}.${part}}}` : plainUrl(part))).join(''));
}
