import type { AuthVariant, Integration, OAuth2Auth } from '../model/types';
import type { CredentialAuthentication } from '../../nodes/shared/credential-auth';
import { impliedScopes } from '../../nodes/shared/scopes';
import { planLimitField } from '../../nodes/shared/plan-limits';
import { TOKEN_REFRESH_FIELDS } from '../../nodes/shared/token-refresh-policy';
import { code, header, literal, n8nLiteral, type Code, type Expression } from './literal';
import type { EmittedFile } from './files';
import { credentialExpression, credentialNames, credentialVariants, nodeFolder, type Namespace } from './names';

/** One credential class per auth variant. */
export function emitCredentials(
	integration: Integration,
	source: string,
	iconFiles: { light: string; dark: string },
	ns: Namespace,
): EmittedFile[] {
	return credentialVariants(integration).map((auth) => {
		const names = credentialNames(integration, auth, ns);
		const icon = {
			light: `file:../nodes/${nodeFolder(integration)}/${iconFiles.light}`,
			dark: `file:../nodes/${nodeFolder(integration)}/${iconFiles.dark}`,
		};
		const body: Record<string, unknown> = {
			name: names.name,
			displayName: names.displayName,
			icon,
			documentationUrl:
				integration.documentationUrl ?? 'https://github.com/n8n-nodes-rills/n8n-nodes-rills#readme',
			...(auth.type === 'oauth2'
				? { extends: ['oAuth2Api'] }
				: auth.type === 'oauth1'
					? { extends: ['oAuth1Api'] }
					: {}),
			properties: [
				...configProperties(integration),
				...authProperties(integration, auth),
				...triggerCredentialProperties(integration),
				...planLimitProperties(integration),
			],
			authenticate: authentication(auth),
			test: testRequest(integration, auth),
		};
		const imports = ['ICredentialType', 'INodeProperties', 'Icon'];
		if (body.test) imports.push('ICredentialTestRequest');
		const runtime = body.authenticate
			? "import { credentialAuthentication } from '../nodes/shared/credential-auth';\n"
			: '';
		const members = Object.entries(body)
			.filter(([, v]) => v !== undefined)
			.map(([k, v]) => `\t${k}${memberType(k)} = ${n8nLiteral(v, '\t')};`)
			.join('\n\n');
		return {
			path: `credentials/${names.className}.credentials.ts`,
			content: `${header(source)}import type { ${imports.sort().join(', ')} } from 'n8n-workflow';\n${runtime}\nexport class ${names.className} implements ICredentialType {\n${members}\n}\n`,
		};
	});
}

function memberType(key: string): string {
	return { icon: ': Icon', properties: ': INodeProperties[]', test: ': ICredentialTestRequest' }[key] ?? '';
}

function configProperties(integration: Integration): unknown[] {
	return integration.config.map((c) => ({
		displayName: c.displayName,
		name: c.name,
		type: 'string',
		default: c.default ?? '',
		required: c.required || undefined,
		description: c.description,
	}));
}

function hidden(name: string, value: string | boolean | Expression): Record<string, unknown> {
	return {
		displayName: name[0].toUpperCase() + name.slice(1).replace(/([A-Z])/g, ' $1'),
		name,
		type: 'hidden',
		default: value,
	};
}

function authProperties(integration: Integration, auth: AuthVariant): unknown[] {
	switch (auth.type) {
		case 'none':
			return [];
		case 'apiKey':
			return [
				{
					displayName: 'API Key',
					name: 'apiKey',
					type: 'string',
					typeOptions: { password: true },
					default: '',
					required: true,
				},
				...(auth.token
					? [
							{
								displayName: auth.token.displayName ?? 'Token',
								name: 'token',
								type: 'string',
								typeOptions: { password: true },
								default: '',
								required: true,
							},
						]
					: []),
			];
		case 'basic':
			return [
				{ displayName: 'Username', name: 'username', type: 'string', default: '', required: true },
				{
					displayName: 'Password',
					name: 'password',
					type: 'string',
					typeOptions: { password: true },
					default: '',
					required: true,
				},
			];
		case 'oauth1':
			return [
				hidden('requestTokenUrl', credentialExpression(auth.requestTokenUrl, '$self')),
				hidden('authUrl', credentialExpression(auth.authorizationUrl, '$self')),
				hidden('accessTokenUrl', credentialExpression(auth.accessTokenUrl, '$self')),
				hidden('signatureMethod', auth.signatureMethod),
			];
		case 'oauth2':
			return [
				hidden('grantType', auth.grantType),
				...(auth.grantType === 'clientCredentials'
					? []
					: [hidden('authUrl', credentialExpression(auth.authorizationUrl ?? '', '$self'))]),
				hidden('accessTokenUrl', credentialExpression(auth.tokenUrl, '$self')),
				{
					displayName: 'Scope',
					name: 'scope',
					type: 'string',
					default: defaultScope(integration, auth),
					description: scopeDescription(auth),
				},
				...(auth.grantType === 'clientCredentials'
					? []
					: [hidden('authQueryParameters', auth.authQueryParameters ?? '')]),
				hidden('authentication', auth.clientAuthentication),
				...tokenRefreshProperties(auth),
			];
	}
}

/** Seed 002's token refresh strategy, defaulting to the definition's, for an admin to change per credential. */
function tokenRefreshProperties(auth: OAuth2Auth): unknown[] {
	const { strategy, buffer, interval } = TOKEN_REFRESH_FIELDS;
	const seconds = (
		displayName: string,
		field: typeof buffer | typeof interval,
		shownFor: string,
		value: number,
		description: string,
	) => ({
		displayName,
		name: field.name,
		type: 'number',
		typeOptions: { minValue: field.min, maxValue: field.max },
		default: value,
		description,
		displayOptions: { show: { [strategy]: [shownFor] } },
	});
	return [
		{
			displayName: 'Token Refresh',
			name: strategy,
			type: 'options',
			options: [
				{
					name: 'Automatic',
					value: 'automatic',
					description: 'Refresh the access token shortly before the expiry the service gave',
				},
				{
					name: 'Custom Interval',
					value: 'customInterval',
					description: 'Refresh the access token at a fixed interval, whatever its expiry',
				},
			],
			default: auth.refreshStrategy,
			description: 'When nodes refresh the access token, besides after the service refuses it',
		},
		seconds(
			'Refresh Buffer (Seconds)',
			buffer,
			'automatic',
			auth.refreshBufferSeconds,
			`Refresh this many seconds before the token expires (${buffer.min}–${buffer.max})`,
		),
		seconds(
			'Refresh Interval (Seconds)',
			interval,
			'customInterval',
			auth.refreshIntervalSeconds,
			`Refresh a token once it is this many seconds old (${interval.min}–${interval.max})`,
		),
	];
}

/**
 * The union of the scopes the operations need, plus the always-requested ones, without those a broader
 * one in it grants. An imported spec's scopes are the importer's choice alone (`defaultScopes`).
 */
export function defaultScope(integration: Integration, auth: OAuth2Auth): string {
	const scopes = new Set(auth.defaultScopes);
	const operations = auth.scopesFromSpec ? [] : integration.resources.flatMap((r) => r.operations);
	for (const op of operations) for (const s of op.requiredScopes) scopes.add(s);
	const covered = impliedScopes(scopes, auth.scopeIncludes);
	return [...scopes].filter((s) => !covered.has(s)).join(auth.scopeSeparator);
}

/** What the scope field asks for; for an imported spec, every scope with what it grants, so the admin can choose. */
function scopeDescription(auth: OAuth2Auth): string {
	const curated = 'Scopes to request. Operations check what the service granted and name any scope they miss.';
	const scopes = Object.entries(auth.scopes);
	const listed = scopes
		.map(([name, grants]) => (grants ? `${name} (${grants.replace(/\.$/, '')})` : name))
		.join('; ');
	// Each scope with what it allows, so an admin can review the permissions before connecting.
	if (!auth.scopesFromSpec) return scopes.length ? `${curated} What each allows: ${listed}.` : curated;
	const separator = auth.scopeSeparator === ' ' ? 'spaces' : `"${auth.scopeSeparator}"`;
	return (
		`Scopes to request, separated by ${separator}. The default covers the read operations without admin rights; ` +
		`add what others need. The API's scopes: ${listed}.`
	);
}

/** The credential's `authenticate`: a function over what it adds to requests (see nodes/shared/credential-auth.ts). */
function authentication(auth: AuthVariant): Code | undefined {
	const adds = requestAuth(auth);
	return adds && code(`credentialAuthentication(${literal(adds, '\t')})`);
}

/** Headers, query parameters and basic auth the credential adds, as n8n's declarative form writes them. */
export function requestAuth(auth: AuthVariant): CredentialAuthentication | undefined {
	const headers: Record<string, string> = { ...auth.extraHeaders };
	switch (auth.type) {
		case 'apiKey': {
			const value = `=${preamble(auth.preamble)}{{$credentials.apiKey}}`;
			// Trello: the key and a token side by side.
			const token = auth.token ? { [auth.token.name]: '={{$credentials.token}}' } : {};
			if (auth.in === 'query')
				return { qs: { [auth.name]: value, ...token }, ...(Object.keys(headers).length ? { headers } : {}) };
			Object.assign(headers, token);
			if (auth.in === 'cookie')
				headers.Cookie = `=${auth.name}=${preamble(auth.preamble)}{{$credentials.apiKey}}`;
			else headers[auth.name] = value;
			return { headers };
		}
		case 'basic':
			return {
				auth: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' },
				...(Object.keys(headers).length ? { headers } : {}),
			};
		case 'none':
			return Object.keys(headers).length ? { headers } : undefined;
		default:
			return undefined;
	}
}

/** The word before the key and its separator: a space, or nothing after `=` (`Token token=<key>`). */
function preamble(word: string | undefined): string {
	return word ? word + (word.endsWith('=') ? '' : ' ') : '';
}

/** n8n's Test button: the integration's connection test, sent with this credential. OAuth is tested by connecting. */
function testRequest(integration: Integration, auth: AuthVariant): unknown {
	// OAuth2 credentials are proven by their sign-in; n8n signs an OAuth1 test request like any other.
	if (auth.type === 'oauth2' || !integration.connectionTest) return undefined;
	const { path, method, graphql } = integration.connectionTest;
	const body = graphql ? { body: { query: graphql } } : {};
	// n8n's OAuth1 signer signs `url` alone: a baseURL would leave it signing a relative path.
	const { baseUrl, config } = integration;
	if (auth.type === 'oauth1') {
		return { request: { url: credentialExpression(baseUrl + path, '$credentials', config), method, ...body } };
	}
	return { request: { baseURL: credentialExpression(baseUrl, '$credentials', config), url: path, method, ...body } };
}

/** Credential fields trigger nodes need: the signing secret when a trigger reads it from the credential. */
function triggerCredentialProperties(integration: Integration): unknown[] {
	const fromCredential = integration.triggers.some(
		(t) => t.type === 'webhook' && t.signature?.secret === 'credential',
	);
	if (!fromCredential) return [];
	return [
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: `The secret ${integration.displayName} signs webhook deliveries with; deliveries that do not verify are rejected`,
		},
	];
}

/** One field per declared rate limit, so a user on a bigger (or smaller) plan can say what theirs allows. */
function planLimitProperties(integration: Integration): unknown[] {
	return integration.rateLimits.map((limit) => ({
		displayName: `Rate Limit: Requests per ${window(limit.perSeconds)}`,
		name: planLimitField(limit),
		type: 'number',
		typeOptions: { minValue: 1 },
		default: limit.requests,
		description: `${integration.displayName} allows ${limit.requests} on the standard plan; enter your plan's number if it differs. Nodes pace their requests to it.`,
	}));
}

function window(seconds: number): string {
	const units: Array<[number, string]> = [
		[86_400, 'Day'],
		[3600, 'Hour'],
		[60, 'Minute'],
		[1, 'Second'],
	];
	const [size, unit] = units.find(([size]) => seconds % size === 0 && seconds >= size) ?? [1, 'Second'];
	const count = seconds / size;
	return count === 1 ? unit : `${count} ${unit}s`;
}
