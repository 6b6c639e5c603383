/**
 * The runtime's operation table of an integration. Pure (no Node API, no package): generated nodes
 * hold what it returns as a literal, and the Custom API node builds its table at run time with it.
 */
import { propertyName } from '../model/build';
import type { Integration, OAuth2Auth, Parameter } from '../model/types';
import type { IntegrationTable, OperationSpec } from '../../nodes/shared/types';
import { lookupTable } from './lookups';
import { authOption, credentialNames, credentialVariants, type Namespace } from './names';

/** Node parameters the description itself uses; request parameters with these names get renamed. */
const RESERVED = new Set([
	'authentication',
	'resource',
	'operation',
	'returnAll',
	'limit',
	'pagination',
	'additionalFields',
	'options',
	'notice',
]);

/**
 * The order the table's keys have always been written in, so regenerating changes no file; keys
 * added to OperationSpec later follow these.
 */
const TABLE_KEY_ORDER: { [K in keyof OperationSpec]?: undefined } = {
	method: undefined,
	path: undefined,
	parameters: undefined,
	bodyType: undefined,
	formStyle: undefined,
	output: undefined,
	requiredScopes: undefined,
	rateLimits: undefined,
	email: undefined,
	pagination: undefined,
	binaryResponse: undefined,
	list: undefined,
	graphql: undefined,
	baseUrl: undefined,
	argsHeader: undefined,
	contentType: undefined,
	rows: undefined,
};

export function operationTable(integration: Integration, ns: Namespace): IntegrationTable {
	const operations: Record<string, OperationSpec> = {};
	// Operations of an imported spec share their parameter objects (GitHub: 977 for 4,796 uses), so they share their
	// entries too.
	const specs = new Map<Parameter, OperationSpec['parameters'][number]>();
	const specOf = (p: Parameter) => {
		let spec = specs.get(p);
		if (!spec)
			specs.set(
				p,
				(spec = {
					name: p.name,
					in: p.in,
					property: nodeProperty(p),
					required: p.required,
					type: p.type,
					arrayFormat: p.arrayFormat,
					style: p.style,
					explode: p.explode,
					binary: p.binary,
					template: p.template,
					const: p.const,
					format: p.format,
					since: p.since,
					until: p.until,
					locator: p.lookup?.as === 'locator' || undefined,
					requiredEntries: p.entries?.some((e) => e.required)
						? p.entries.filter((e) => e.required).map((e) => e.name)
						: undefined,
				}),
			);
		return spec;
	};
	for (const r of integration.resources) {
		for (const op of r.operations) {
			// Everything but the node's own labels goes to the runtime as it is.
			const {
				name,
				displayName,
				action,
				description,
				deprecated,
				parameters,
				requiredScopes,
				list,
				pagination,
				...request
			} = op;
			operations[`${r.name}:${name}`] = {
				...TABLE_KEY_ORDER,
				...request,
				parameters: parameters.filter((p) => p.sent !== false).map(specOf),
				requiredScopes: requiredScopes.length ? requiredScopes : undefined,
				pagination: list ? pagination : undefined,
				list: list || undefined,
			};
		}
	}
	return {
		name: integration.name,
		displayName: integration.displayName,
		baseUrl: integration.baseUrl,
		configDefaults: Object.fromEntries(
			integration.config.filter((c) => c.default !== undefined).map((c) => [c.name, c.default as string]),
		),
		auth: integration.auth.map((auth) => {
			const needsCredential = credentialVariants(integration).includes(auth);
			return {
				option: integration.auth.length > 1 ? authOption(auth).option : undefined,
				credentialType: needsCredential ? credentialNames(integration, auth, ns).name : '',
				kind: auth.type,
				extraHeaders: Object.keys(auth.extraHeaders).length ? auth.extraHeaders : undefined,
				oauth2:
					auth.type === 'oauth2'
						? {
								...signerScheme(auth.tokenScheme),
								keyToIncludeInAccessTokenHeader: auth.tokenHeader,
								includeCredentialsOnRefreshOnBody: auth.includeClientOnRefresh || undefined,
							}
						: undefined,
				scopeIncludes:
					auth.type === 'oauth2' && Object.keys(auth.scopeIncludes).length ? auth.scopeIncludes : undefined,
				scopesFromSpec: (auth.type === 'oauth2' && auth.scopesFromSpec) || undefined,
			};
		}),
		rateLimits: integration.rateLimits,
		retry: integration.retry,
		bodyErrors: integration.bodyErrors,
		connectionTest: integration.connectionTest,
		operations,
		lookups: lookupTable(integration, nodeProperty),
	};
}

export function nodeProperty(p: Parameter): string {
	if (p.property) return p.property;
	const name = propertyName(p);
	return RESERVED.has(name) ? `${name}Value` : name;
}

/**
 * The access-token scheme as n8n's OAuth2 signer takes it: a `bearer` token type goes in the Authorization
 * header (without its word when `keepBearer` is false), any other type in the `access_token` query parameter.
 */
function signerScheme(scheme: OAuth2Auth['tokenScheme']): { tokenType: string; keepBearer?: false } {
	if (scheme === 'query') return { tokenType: 'query' };
	return scheme === 'plain' ? { tokenType: 'Bearer', keepBearer: false } : { tokenType: 'Bearer' };
}
