import { TOKEN_REFRESH_DEFAULTS } from '../../nodes/shared/token-refresh-policy';
import type { AuthVariant, ConfigField, OAuth2Auth, Resource } from '../model/types';
import type { Finding } from '../validate/finding';
import { pointerOf } from '../validate/finding';
import type { Json } from './document';
import { isObject, type Refs } from './refs';
import { plainUrl } from './text';

export interface MappedAuth {
	auth: AuthVariant[];
	/** Scheme name → the variant it became (several schemes may share one). */
	bySchemeName: Map<string, AuthVariant>;
	/** Config fields the variants need (OpenID Connect endpoints). */
	config: ConfigField[];
	findings: Array<Omit<Finding, 'file'>>;
}

const GRANTS: Array<[string, OAuth2Auth['grantType']]> = [
	['authorizationCode', 'authorizationCode'],
	['clientCredentials', 'clientCredentials'],
];

/**
 * securitySchemes → auth variants: apiKey (header, query, cookie), http basic and bearer, each
 * OAuth2 flow n8n can run (authorization code, client credentials) with its scopes, and OpenID
 * Connect as an authorization-code flow whose endpoints the credential holds. n8n takes one variant
 * per kind, so a second scheme of the same kind is reported and left out.
 */
export function mapAuth(refs: Refs, doc: Json): MappedAuth {
	const schemes =
		isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
	const out: MappedAuth = { auth: [], bySchemeName: new Map(), config: [], findings: [] };
	const kinds = new Map<string, AuthVariant>();
	const note = (name: string, message: string, fix: string) =>
		out.findings.push({
			pointer: pointerOf(['components', 'securitySchemes', name]),
			severity: 'info',
			rule: 'auth-not-mapped',
			message,
			fix,
		});
	const take = (name: string, kind: string, variant: AuthVariant) => {
		const existing = kinds.get(kind);
		if (existing) {
			out.bySchemeName.set(name, existing);
			if (existing.type === 'oauth2' && variant.type === 'oauth2') Object.assign(existing.scopes, variant.scopes);
			else
				note(
					name,
					`a second ${kind} scheme; the node offers the first one`,
					'combine the schemes in an overlay definition if both are needed',
				);
			return;
		}
		kinds.set(kind, variant);
		out.auth.push(variant);
		out.bySchemeName.set(name, variant);
	};
	for (const [name, raw] of Object.entries(schemes)) {
		const s = refs.get(raw);
		const common = { extraHeaders: {} };
		const type = String(s.type ?? '');
		if (type === 'apiKey' && typeof s.name === 'string' && ['header', 'query', 'cookie'].includes(String(s.in))) {
			take(name, 'apiKey', { type: 'apiKey', ...common, in: s.in as 'header', name: s.name });
		} else if (type === 'http' && /^basic$/i.test(String(s.scheme))) {
			take(name, 'basic', { type: 'basic', ...common });
		} else if (type === 'http' && /^bearer$/i.test(String(s.scheme))) {
			take(name, 'apiKey', {
				type: 'apiKey',
				...common,
				displayName: 'Bearer Token',
				in: 'header',
				name: 'Authorization',
				preamble: 'Bearer',
			});
		} else if (type === 'oauth2' && isObject(s.flows)) {
			const flows = s.flows;
			let mapped = false;
			for (const [flowName, grantType] of GRANTS) {
				const flow = isObject(flows[flowName]) ? flows[flowName] : undefined;
				if (!flow || typeof flow.tokenUrl !== 'string') continue;
				mapped = true;
				take(
					name,
					`oauth2:${grantType}`,
					oauth2(
						grantType,
						plainUrl(flow.tokenUrl),
						typeof flow.authorizationUrl === 'string' ? plainUrl(flow.authorizationUrl) : undefined,
						scopesOf(flow),
					),
				);
			}
			if (!mapped)
				note(
					name,
					'only implicit or password OAuth2 flows, which n8n cannot run',
					'add an authorizationCode or clientCredentials flow, or use an API key',
				);
		} else if (type === 'openIdConnect') {
			for (const [field, label] of [
				['oidcAuthorizationUrl', 'Authorization URL'],
				['oidcTokenUrl', 'Token URL'],
			]) {
				if (!out.config.some((c) => c.name === field))
					out.config.push({
						name: field,
						displayName: `OpenID ${label}`,
						description: `From the discovery document ${String(s.openIdConnectUrl ?? '')}`,
						required: false,
					});
			}
			take(
				name,
				'oauth2:authorizationCode',
				oauth2('authorizationCode', '{oidcTokenUrl}', '{oidcAuthorizationUrl}', {
					openid: 'Sign in with OpenID Connect',
				}),
			);
		} else {
			note(
				name,
				`security scheme type "${type}${s.scheme ? ` ${String(s.scheme)}` : ''}" is not supported`,
				'use apiKey, http basic/bearer, oauth2 or openIdConnect, or describe the auth in an overlay definition',
			);
		}
	}
	if (!out.auth.length) out.auth.push({ type: 'none', extraHeaders: {} });
	return out;
}

function oauth2(
	grantType: OAuth2Auth['grantType'],
	tokenUrl: string,
	authorizationUrl: string | undefined,
	scopes: Record<string, string>,
): OAuth2Auth {
	return {
		type: 'oauth2',
		extraHeaders: {},
		grantType,
		tokenUrl,
		authorizationUrl,
		scopes,
		defaultScopes: [],
		scopeIncludes: {},
		scopeSeparator: ' ',
		clientAuthentication: 'header',
		tokenScheme: 'Bearer',
		includeClientOnRefresh: false,
		...TOKEN_REFRESH_DEFAULTS,
		scopesFromSpec: true,
	};
}

function scopesOf(flow: Json): Record<string, string> {
	return Object.fromEntries(
		Object.entries(isObject(flow.scopes) ? flow.scopes : {}).map(([k, v]) => [k, String(v ?? '')]),
	);
}

/** Scopes that give rights beyond one's own data, by their name or description: never asked for by default. */
const PRIVILEGED =
	/admin|sudo|superuser|impersonat|delete|destroy|full[-_ ]?access|(write|manage)\W?(the )?(org|enterprise)/i;

/**
 * The default scope of an imported OAuth2 credential: the smallest set the read operations need,
 * without privileged scopes (a spec may list every admin scope on a read). The admin adds the others
 * an operation needs; the scope field lists them with what they grant.
 */
export function readScopes(resources: Resource[], scopes: Record<string, string>): string[] {
	const out = new Set<string>();
	for (const r of resources) {
		for (const op of r.operations) {
			if (op.method !== 'GET' && op.method !== 'HEAD') continue;
			for (const s of op.requiredScopes) if (!PRIVILEGED.test(s) && !PRIVILEGED.test(scopes[s] ?? '')) out.add(s);
		}
	}
	return [...out];
}

/** The scopes an operation's security asks for, from its first requirement that names OAuth2 scopes. */
export function requiredScopes(operation: Json, doc: Json, mapped: MappedAuth): string[] {
	const security = Array.isArray(operation.security)
		? operation.security
		: Array.isArray(doc.security)
			? doc.security
			: [];
	for (const requirement of security) {
		if (!isObject(requirement)) continue;
		for (const [name, scopes] of Object.entries(requirement)) {
			if (mapped.bySchemeName.get(name)?.type === 'oauth2' && Array.isArray(scopes) && scopes.length)
				return scopes.map(String);
		}
	}
	return [];
}
