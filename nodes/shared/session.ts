import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import type { Session } from './http';
import { planLimits } from './plan-limits';
import type { AuthVariantSpec, IntegrationTable } from './types';

/** Credential fields whose values must never appear in errors or output. */
const SECRET_KEY = /key|secret|token|password|signature/i;
const NOT_SECRET = /type|url|expires|scope/i;

export interface Connection {
	session: Session;
	baseUrl: string;
	credentials?: ICredentialDataDecryptedObject;
}

/** Resolves the auth variant the user chose, its credential, and the base URL it implies. */
export async function connect(
	this: IExecuteFunctions,
	table: IntegrationTable,
	itemIndex: number,
): Promise<Connection> {
	const chosen = chooseVariant.call(this, table);
	const node = this.getNode();
	const credentialRef = chosen.credentialType ? node.credentials?.[chosen.credentialType] : undefined;
	// Without auth the credential is optional: with none chosen its settings' defaults serve, and no request
	// asks n8n to authenticate (n8n refuses to with no credential).
	const variant = chosen.kind === 'none' && !credentialRef ? { ...chosen, credentialType: '' } : chosen;
	const credentials = variant.credentialType
		? await this.getCredentials(variant.credentialType, itemIndex)
		: undefined;
	const baseUrl = resolveBaseUrl(table, table.baseUrl, credentials);
	return {
		baseUrl,
		credentials,
		session: {
			table,
			variant,
			limiterKey: limiterKey(table, credentialRef),
			rateLimits: planLimits(table, credentials),
			origin: new URL(baseUrl).origin,
			credentials:
				credentials && variant.credentialType
					? {
							id: credentialRef?.id ?? '',
							name: credentialRef?.name ?? '',
							type: variant.credentialType,
							data: credentials,
						}
					: undefined,
			errors: {
				node,
				integration: table.displayName,
				credentialName: credentialRef?.name,
				itemIndex,
				secrets: secretsOf(credentials),
			},
		},
	};
}

/** One rate-limit window per integration and credential. */
export function limiterKey(table: IntegrationTable, credential: { id?: string | null; name?: string } | undefined) {
	return `${table.name}:${credential?.id ?? credential?.name ?? 'anonymous'}`;
}

/**
 * A base URL template with its `{field}` placeholders filled from the credential's config fields (or
 * their defaults). A field may hold a URL template itself (an imported spec's Base URL with its server
 * variables): its placeholders are filled once more, from config fields only, so no secret reaches a URL.
 */
export function resolveBaseUrl(
	table: IntegrationTable,
	template: string,
	credentials: ICredentialDataDecryptedObject | undefined,
	nested = true,
): string {
	return template.replace(/\{([^}]+)\}/g, (whole, name: string) => {
		if (!nested && !(name in table.configDefaults)) return whole;
		const value = String(credentials?.[name] || table.configDefaults[name] || '').replace(/\/+$/, '');
		return nested ? resolveBaseUrl(table, value, credentials, false) : value;
	});
}

/**
 * The connection for an operation (or connection test) served from its own base URL: requests there carry the
 * credentials too.
 */
export function onBase(connection: Connection, table: IntegrationTable, template: string | undefined): Connection {
	if (!template) return connection;
	const baseUrl = resolveBaseUrl(table, template, connection.credentials);
	return { ...connection, baseUrl, session: { ...connection.session, origin: new URL(baseUrl).origin } };
}

function chooseVariant(this: IExecuteFunctions, table: IntegrationTable): AuthVariantSpec {
	if (table.auth.length === 1) return table.auth[0];
	const option = this.getNodeParameter('authentication', 0) as string;
	return table.auth.find((a) => a.option === option) ?? table.auth[0];
}

export function secretsOf(value: unknown, key = ''): string[] {
	if (typeof value === 'string')
		return SECRET_KEY.test(key) && !NOT_SECRET.test(key) && value.length >= 4 ? [value] : [];
	if (!value || typeof value !== 'object') return [];
	// Basic auth travels as base64 of the pair, which is recognised only whole (Stripe's key is the username).
	const { username, password } = value as { username?: unknown; password?: unknown };
	const pair = typeof username === 'string' && typeof password === 'string' ? [`${username}:${password}`] : [];
	return [...pair, ...Object.entries(value).flatMap(([k, v]) => secretsOf(v, k))];
}
