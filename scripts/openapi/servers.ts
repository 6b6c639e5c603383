import type { ConfigField } from '../model/types';
import type { Json } from './document';
import { isObject } from './refs';
import { describe, isExpression, toCamel, toTitle } from './text';

/** Credential fields n8n or our credentials already use; a server variable may not take these names. */
const TAKEN = new Set([
	'apiKey',
	'username',
	'password',
	'scope',
	'grantType',
	'authUrl',
	'accessTokenUrl',
	'clientId',
	'clientSecret',
	'authentication',
	'authQueryParameters',
	'oauthTokenData',
	'baseUrl',
]);

export interface MappedServers {
	baseUrl: string;
	config: ConfigField[];
}

/**
 * The first server becomes the credential's editable Base URL (a regional endpoint, a proxy or a
 * mock is one edit away), each of its variables a field of its own that the URL's `{name}` reads,
 * with the spec's default. A relative or missing server URL becomes a `server` field the user fills in.
 */
export function mapServers(doc: Json): MappedServers {
	const config: ConfigField[] = [];
	const { url, absolute } = serverUrl(firstServer(doc.servers), config);
	if (!absolute) {
		const said = url ? ` (the spec says only ${url})` : '';
		const description = `Where the API is served, e.g. https://api.example.com${said}`;
		config.unshift({ name: 'server', displayName: 'Server URL', description, required: true });
		return { baseUrl: `{server}${url.startsWith('/') || !url ? url : `/${url}`}`, config };
	}
	const description = 'Where requests go: the spec’s server, or another endpoint of the API (region, proxy, mock)';
	config.unshift({ name: 'baseUrl', displayName: 'Base URL', description, default: url, required: true });
	return { baseUrl: '{baseUrl}', config };
}

/**
 * The base URL of an operation served from its own server (operation- or path-level `servers`), its
 * variables added to `config`; undefined when it is the document's.
 */
export function operationBaseUrl(
	pathItem: Json,
	operation: Json,
	doc: Json,
	config: ConfigField[],
): string | undefined {
	const own = [operation.servers, pathItem.servers].find(Array.isArray);
	const server = firstServer(own);
	if (!own || server.url === firstServer(doc.servers).url) return undefined;
	const { url, absolute } = serverUrl(server, config);
	return absolute ? url : undefined;
}

function firstServer(servers: unknown): Json {
	return Array.isArray(servers) && isObject(servers[0]) ? servers[0] : {};
}

/** A server's URL with its variables as `{field}` placeholders (fields added to `config` unless there). */
function serverUrl(server: Json, config: ConfigField[]): { url: string; absolute: boolean } {
	const variables = isObject(server.variables) ? server.variables : {};
	const names = new Map<string, string>();
	for (const [name, raw] of Object.entries(variables)) {
		names.set(name, variableField(name, isObject(raw) ? raw : {}, config));
	}
	let url = (typeof server.url === 'string' ? server.url : '')
		.trim()
		.replace(/\{([^}]+)\}/g, (whole, name: string) => (names.has(name) ? `{${names.get(name)}}` : whole));
	url = url.replace(/\/+$/, '').replace(/^\/\//, 'https://');
	if (!/^(https?:\/\/|\{)/i.test(url)) return { url, absolute: false };
	// A variable left in the URL without a definition would never be filled: make it a field too.
	for (const [, name] of url.matchAll(/\{([^}]+)\}/g)) {
		if (config.some((c) => c.name === name)) continue;
		const field = toCamel(name) || 'variable';
		if (!config.some((c) => c.name === field)) {
			config.push({ name: field, displayName: toTitle(name) || field, required: true });
		}
		url = url.split(`{${name}}`).join(`{${field}}`);
	}
	return { url, absolute: true };
}

/** A server variable's credential field (one per name, shared by the servers that use it). */
function variableField(name: string, v: Json, config: ConfigField[]): string {
	let field = toCamel(name) || 'variable';
	if (TAKEN.has(field) || /^\d/.test(field)) field = `server${field[0].toUpperCase()}${field.slice(1)}`;
	if (config.some((c) => c.name === field)) return field;
	const choices = Array.isArray(v.enum) ? ` (one of: ${v.enum.map(String).join(', ')})` : '';
	const fallback = v.default === undefined || isExpression(v.default) ? undefined : String(v.default);
	const description = ((describe(v.description) ?? '') + choices).trim() || undefined;
	config.push({ name: field, displayName: toTitle(name) || field, description, default: fallback, required: true });
	return field;
}
