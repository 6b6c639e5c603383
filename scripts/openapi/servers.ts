import type { ConfigField } from '../model/types';
import type { Json } from './load';
import { isObject } from './refs';
import { describe, isExpression, toCamel, toTitle } from './text';

/** Credential fields n8n or our credentials already use; a server variable may not take these names. */
const TAKEN = new Set(['apiKey', 'username', 'password', 'scope', 'grantType', 'authUrl', 'accessTokenUrl', 'clientId', 'clientSecret', 'authentication', 'authQueryParameters', 'oauthTokenData']);

/**
 * The first server becomes the base URL; each server variable becomes a config field (on the
 * credential) with the spec's default, and a relative or missing server URL becomes a `server`
 * field the user fills in.
 */
export function mapServers(doc: Json): { baseUrl: string; config: ConfigField[] } {
	const server = Array.isArray(doc.servers) && isObject(doc.servers[0]) ? doc.servers[0] : {};
	const variables = isObject(server.variables) ? server.variables : {};
	const config: ConfigField[] = [];
	const names = new Map<string, string>();
	for (const [name, raw] of Object.entries(variables)) {
		const v = isObject(raw) ? raw : {};
		let field = toCamel(name) || 'variable';
		if (TAKEN.has(field) || config.some((c) => c.name === field) || /^\d/.test(field)) field = `server${field[0].toUpperCase()}${field.slice(1)}`;
		names.set(name, field);
		const choices = Array.isArray(v.enum) ? ` (one of: ${v.enum.map(String).join(', ')})` : '';
		config.push({ name: field, displayName: toTitle(name) || field, description: (describe(v.description) ?? '') + choices || undefined, default: v.default === undefined || isExpression(v.default) ? undefined : String(v.default), required: true });
	}
	let url = (typeof server.url === 'string' ? server.url : '').trim().replace(/\{([^}]+)\}/g, (whole, name: string) => (names.has(name) ? `{${names.get(name)}}` : whole));
	url = url.replace(/\/+$/, '').replace(/^\/\//, 'https://');
	if (!/^(https?:\/\/|\{)/i.test(url)) {
		config.unshift({ name: 'server', displayName: 'Server URL', description: `Where the API is served, e.g. https://api.example.com${url ? ` (the spec says only ${url})` : ''}`, required: true });
		url = `{server}${url.startsWith('/') || !url ? url : `/${url}`}`;
	}
	// A variable left in the URL without a definition would never be filled: make it a field too.
	for (const [, name] of url.matchAll(/\{([^}]+)\}/g)) {
		if (!config.some((c) => c.name === name)) {
			const field = toCamel(name) || 'variable';
			config.push({ name: field, displayName: toTitle(name) || field, required: true });
			url = url.split(`{${name}}`).join(`{${field}}`);
		}
	}
	return { baseUrl: url, config };
}
