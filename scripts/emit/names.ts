import { camelCase, pascalCase } from '../model/naming';
import type { AuthVariant, ConfigField, Integration } from '../model/types';
import { plainUrl } from '../openapi/text';
import { Expression } from './literal';

/**
 * The package an integration is generated into. n8n keeps credential types in one global table
 * where the last one loaded wins, so a credential named like a built-in one (`slackApi`) would
 * replace n8n's own: every credential type we emit starts with the package's prefix. Node types
 * are namespaced by n8n itself (`<package>.<node>`).
 */
export interface Namespace {
	packageName: string;
	/** Credential type names start with it: `rills` → `rillsSlackApi`. */
	prefix: string;
	/** Put before display names so a user tells our nodes and credentials from n8n's own; the catalog has one. */
	label?: string;
}

/** `n8n-nodes-foo-bar` and `@acme/n8n-nodes-foo` → prefixes `fooBar` and `acmeFoo`. */
export function namespaceOf(packageName: string, label?: string): Namespace {
	const [, scope = '', name] = /^(?:@([^/]+)\/)?(.*)$/.exec(packageName)!;
	const prefix = camelCase(`${scope} ${name.replace(/^n8n-nodes-/, '')}`);
	if (!/^[a-z]/.test(prefix))
		throw new Error(`cannot derive a credential namespace from the package name "${packageName}"`);
	return { packageName, prefix, label };
}

/** `Slack` → `Rills Slack` in a namespace with a label. */
export function labelled(ns: Namespace, displayName: string): string {
	return ns.label ? `${ns.label} ${displayName}` : displayName;
}

/** Names n8n sees for one auth variant's credential: its type, its class and its display name. */
export interface CredentialNames {
	/** Credential type name, e.g. `rillsAcmeTasksOAuth2Api`. */
	name: string;
	className: string;
	displayName: string;
}

/** How a node offers one auth variant in its Authentication selector. */
export interface AuthOption {
	/** Value of the node's `authentication` option. */
	option: string;
	/** Label of that option. */
	label: string;
}

/**
 * `qualifier` goes between the integration's name and "API" in the credential's name; n8n's lint wants OAuth2 ones to
 * end in "OAuth2 API".
 */
const KIND: Record<string, { suffix: string; option: string; label: string; qualifier: string }> = {
	apiKey: { suffix: 'Api', option: 'apiKey', label: 'API Key', qualifier: '' },
	basic: { suffix: 'BasicAuthApi', option: 'basicAuth', label: 'Basic Auth', qualifier: ' Basic Auth' },
	oauth1: { suffix: 'OAuth1Api', option: 'oAuth1', label: 'OAuth1', qualifier: ' OAuth1' },
	none: { suffix: 'Api', option: 'none', label: 'None', qualifier: '' },
	authorizationCode: { suffix: 'OAuth2Api', option: 'oAuth2', label: 'OAuth2', qualifier: ' OAuth2' },
	clientCredentials: {
		suffix: 'ClientCredentialsOAuth2Api',
		option: 'oAuth2ClientCredentials',
		label: 'OAuth2 (Client Credentials)',
		qualifier: ' (Client Credentials) OAuth2',
	},
	pkce: { suffix: 'PkceOAuth2Api', option: 'oAuth2Pkce', label: 'OAuth2 (PKCE)', qualifier: ' (PKCE) OAuth2' },
};

const TITLE_API = /\s+API(?=(\s+(v?\d[\w.-]*|\([^)]*\)))?$)/i;

function kindOf(auth: AuthVariant) {
	return KIND[auth.type === 'oauth2' ? auth.grantType : auth.type];
}

export function credentialNames(integration: Integration, auth: AuthVariant, ns: Namespace): CredentialNames {
	const kind = kindOf(auth);
	const className = pascalCase(ns.prefix) + pascalCase(integration.name) + kind.suffix;
	// n8n's lint wants credential display names to end in "API": a title that has one, last or before its
	// version ("Foo API v2", "Foo API (2024-01)"), gives it up, so the name never says "API" twice.
	const title = integration.displayName.replace(TITLE_API, '');
	const displayName = labelled(ns, `${title}${kind.qualifier} API`);
	return { name: className[0].toLowerCase() + className.slice(1), className, displayName };
}

export function authOption(auth: AuthVariant): AuthOption {
	const kind = kindOf(auth);
	return { option: kind.option, label: auth.displayName ?? kind.label };
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
 * is URL-encoded, so the template's own text cannot open an expression of its own. A config field
 * whose default is a URL template (an imported spec's Base URL) has its own placeholders filled in
 * the expression too, as the runtime fills them.
 */
export function credentialExpression(
	template: string,
	scope: '$credentials' | '$self',
	config: ConfigField[] = [],
): string | Expression {
	const placeholder = /\{([A-Za-z_][A-Za-z0-9_]*)\}/;
	const parts = template.split(placeholder);
	if (parts.length === 1) return template;
	const value = (name: string) => {
		const inner = config.find((c) => c.name === name)?.default?.match(new RegExp(placeholder.source, 'g')) ?? [];
		return inner.reduce((expr, p) => `${expr}.split('${p}').join(${scope}.${p.slice(1, -1)})`, `${scope}.${name}`);
	};
	return new Expression('=' + parts.map((part, i) => (i % 2 ? `{{${value(part)}}}` : plainUrl(part))).join(''));
}
