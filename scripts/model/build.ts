import type {
	RawAuth,
	RawDefinition,
	RawOperation,
	RawParameter,
	RawPollingTrigger,
	RawTrigger,
	RawTriggerFilter,
	RawWebhookTrigger,
} from './definition';
import { authList } from './definition';
import { resolveLookups } from './lookups';
import { camelCase, operationAction, operationDisplayName, titleCase } from './naming';
import type { VersionRange } from '../../nodes/shared/types';
import { TOKEN_REFRESH_DEFAULTS } from '../../nodes/shared/token-refresh-policy';
import type { AuthVariant, Integration, Operation, Pagination, Parameter, Trigger, TriggerFilterField } from './types';

export const DEFAULT_RETRY = { maxRetries: 3, maxWaitSeconds: 60, backoffSeconds: 1 };
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_MAX_PAGES = 10_000;
/** Pages in flight where later pages are known from the first (the runtime's default too). */
export const DEFAULT_CONCURRENCY = 8;

/** Turns a schema-valid definition into the IR, filling every default. */
export function buildIntegration(raw: RawDefinition): Integration {
	const pagination = withPaginationDefaults(raw.pagination ?? { type: 'none' });
	const resources = Object.entries(raw.resources).map(([name, r]) => {
		const displayName = r.displayName ?? titleCase(name);
		return {
			name,
			displayName,
			description: r.description,
			operations: Object.entries(r.operations).map(([opName, op]) =>
				buildOperation(opName, op, displayName, pagination),
			),
		};
	});
	resolveLookups(raw, resources, pagination);
	return {
		name: raw.name,
		displayName: raw.displayName,
		description: raw.description,
		version: raw.version ?? 1,
		category: raw.category ?? 'other',
		status: raw.status ?? 'active',
		icon: typeof raw.icon === 'string' ? { light: raw.icon } : raw.icon,
		documentationUrl: raw.documentationUrl,
		conformance: raw.conformance,
		baseUrl: raw.baseUrl.replace(/\/+$/, ''),
		config: (raw.config ?? []).map((c) => ({
			name: c.name,
			displayName: c.displayName ?? titleCase(c.name),
			description: c.description,
			default: c.default,
			required: c.required ?? true,
		})),
		auth: authList(raw).map(buildAuth),
		rateLimits: raw.rateLimits ?? [],
		retry: { ...DEFAULT_RETRY, ...raw.retry },
		bodyErrors: raw.bodyErrors,
		pagination,
		connectionTest: raw.connectionTest && {
			method: raw.connectionTest.method ?? (raw.connectionTest.graphql ? 'POST' : 'GET'),
			path: raw.connectionTest.path,
			...(raw.connectionTest.graphql ? { graphql: raw.connectionTest.graphql } : {}),
			...(raw.connectionTest.baseUrl ? { baseUrl: raw.connectionTest.baseUrl } : {}),
			...(raw.connectionTest.account ? { account: raw.connectionTest.account } : {}),
		},
		resources,
		triggers: (raw.triggers ?? []).map(buildTrigger),
	};
}

export function buildAuth(raw: RawAuth): AuthVariant {
	const common = { displayName: raw.displayName, extraHeaders: raw.extraHeaders ?? {} };
	switch (raw.type) {
		case 'none':
			return { type: 'none', ...common };
		case 'basic':
			return { type: 'basic', ...common };
		case 'apiKey':
			return {
				type: 'apiKey',
				...common,
				in: raw.in ?? 'header',
				name: raw.name,
				preamble: raw.preamble,
				...(raw.token ? { token: raw.token } : {}),
			};
		case 'oauth1':
			return {
				type: 'oauth1',
				...common,
				requestTokenUrl: raw.requestTokenUrl,
				authorizationUrl: raw.authorizationUrl,
				accessTokenUrl: raw.accessTokenUrl,
				signatureMethod: raw.signatureMethod ?? 'HMAC-SHA1',
			};
		case 'oauth2':
			return {
				type: 'oauth2',
				...common,
				grantType: raw.grantType ?? 'authorizationCode',
				authorizationUrl: raw.authorizationUrl,
				tokenUrl: raw.tokenUrl,
				scopes: raw.scopes ?? {},
				defaultScopes: raw.defaultScopes ?? [],
				scopeIncludes: raw.scopeIncludes ?? {},
				scopeSeparator: raw.scopeSeparator ?? ' ',
				clientAuthentication: raw.clientAuthentication ?? 'header',
				authQueryParameters: raw.authQueryParameters,
				tokenScheme: raw.tokenScheme ?? 'Bearer',
				tokenHeader: raw.tokenHeader,
				includeClientOnRefresh: raw.includeClientOnRefresh ?? false,
				refreshStrategy: raw.refreshStrategy ?? TOKEN_REFRESH_DEFAULTS.refreshStrategy,
				refreshBufferSeconds: raw.refreshBufferSeconds ?? TOKEN_REFRESH_DEFAULTS.refreshBufferSeconds,
				refreshIntervalSeconds: raw.refreshIntervalSeconds ?? TOKEN_REFRESH_DEFAULTS.refreshIntervalSeconds,
			};
	}
}

function buildOperation(
	name: string,
	raw: RawOperation,
	resourceDisplayName: string,
	defaultPagination: Pagination,
): Operation {
	const list = raw.list ?? name === 'getAll';
	const displayName = raw.displayName ?? operationDisplayName(name);
	return {
		name,
		displayName,
		action: raw.action ?? operationAction(name, resourceDisplayName),
		description: raw.description,
		method: raw.method,
		path: raw.path,
		parameters: [
			...(raw.parameters ?? []).map((p) => buildParameter(p, p.in ?? 'query')),
			...(raw.body?.fields ?? []).map((p) => buildParameter(p, 'body')),
		],
		bodyType: raw.body ? (raw.body.type ?? 'json') : undefined,
		...(raw.body?.formStyle === 'brackets' ? { formStyle: 'brackets' as const } : {}),
		output: raw.output,
		...(raw.graphql ? { graphql: raw.graphql } : {}),
		...(raw.baseUrl ? { baseUrl: raw.baseUrl } : {}),
		...(raw.body?.argsHeader ? { argsHeader: raw.body.argsHeader } : {}),
		...(raw.body?.contentType ? { contentType: raw.body.contentType } : {}),
		...(raw.rows ? { rows: raw.rows } : {}),
		...(raw.binaryResponse ? { binaryResponse: true } : {}),
		requiredScopes: raw.requiredScopes ?? [],
		rateLimits: raw.rateLimits,
		email: raw.body?.email,
		pagination: list ? (raw.pagination ? withPaginationDefaults(raw.pagination) : defaultPagination) : undefined,
		list,
		deprecated: raw.deprecated ?? false,
		...versionRange(raw),
	};
}

function buildParameter(raw: RawParameter, location: Parameter['in']): Parameter {
	const inPath = location === 'path';
	return {
		name: raw.name,
		in: location,
		displayName: raw.displayName ?? titleCase(raw.name),
		description: raw.description,
		type: raw.type ?? (raw.options ? 'options' : 'string'),
		required: inPath || (raw.required ?? false) || raw.const !== undefined,
		default: raw.default,
		options: raw.options?.map((o) =>
			typeof o === 'object'
				? { name: o.name ?? titleCase(String(o.value)), value: o.value }
				: { name: titleCase(String(o)), value: o },
		),
		arrayFormat: raw.arrayFormat,
		secret: raw.secret,
		...(raw.binary ? { binary: true } : {}),
		template: raw.template,
		...(raw.const !== undefined ? { const: raw.const } : {}),
		...(raw.format ? { format: raw.format } : {}),
		...versionRange(raw),
		...(raw.sent === false ? { sent: false } : {}),
	};
}

/** The node versions a parameter or operation belongs to, when the definition limits them. */
function versionRange({ since, until }: VersionRange): VersionRange {
	return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}

export function withPaginationDefaults(p: Pagination): Pagination {
	if (p.type === 'none') return p;
	return { ...p, pageSize: p.pageSize ?? DEFAULT_PAGE_SIZE, maxPages: p.maxPages ?? DEFAULT_MAX_PAGES };
}

export function buildTrigger(raw: RawTrigger): Trigger {
	const common = {
		name: raw.name,
		displayName: raw.displayName ?? titleCase(raw.name),
		description: raw.description,
		filters: (raw.filters ?? []).map(buildFilter),
	};
	if (raw.type === 'webhook') {
		const sub = raw.subscribe;
		return {
			type: 'webhook',
			...common,
			events: raw.events.map((e) =>
				typeof e === 'string'
					? { name: e === '*' ? 'All Events' : titleCase(e), value: e }
					: {
							name: e.name ?? titleCase(e.value),
							value: e.value,
							...(e.event ? { event: e.event } : {}),
							...(e.when ? { when: e.when } : {}),
							...(e.present ? { present: e.present } : {}),
						},
			),
			eventPath: raw.eventPath,
			...(raw.eventHeader ? { eventHeader: raw.eventHeader } : {}),
			...(raw.itemsPath !== undefined ? { itemsPath: raw.itemsPath } : {}),
			parameters: (raw.parameters ?? []).map((p) => buildParameter(p, 'path')),
			subscribe: sub && {
				create: { ...sub.create, method: sub.create.method ?? 'POST' },
				check: sub.check && { ...sub.check, method: sub.check.method ?? 'GET' },
				delete: { ...sub.delete, method: sub.delete.method ?? 'DELETE' },
				renew: sub.renew && {
					...sub.renew,
					method: sub.renew.method ?? 'PATCH',
					beforeSeconds: sub.renew.beforeSeconds ?? 3600,
				},
			},
			signature: raw.signature && withSignatureDefaults(raw.signature),
			challenge: raw.challenge,
		};
	}
	return {
		type: raw.type,
		...common,
		operation: raw.operation,
		dedupe: withDedupeDefaults(raw.dedupe),
		since: raw.since && { ...raw.since, format: raw.since.format ?? 'iso' },
		firstRun: { emit: 'none', count: 1, ...raw.firstRun },
		...(raw.when ? { when: raw.when } : {}),
		...(raw.type === 'scheduled' ? { schedule: raw.schedule ?? DEFAULT_SCHEDULE } : {}),
	};
}

/** Every morning at 8, in the workflow's time zone. */
const DEFAULT_SCHEDULE = '0 8 * * *';

function buildFilter({ path, match, displayName, ...raw }: RawTriggerFilter): TriggerFilterField {
	return {
		...raw,
		displayName: displayName ?? titleCase(raw.name),
		paths: typeof path === 'string' ? [path] : path,
		match: match ?? 'any',
	};
}

// The two below keep the key order the generated trigger tables have always had.

function withSignatureDefaults({ header, ...given }: NonNullable<RawWebhookTrigger['signature']>) {
	const defaults = { algorithm: 'sha256', encoding: 'hex', payload: '{body}', toleranceSeconds: 300 } as const;
	return { secret: 'generated' as const, ...defaults, header, ...given };
}

function withDedupeDefaults({ strategy, ...given }: RawPollingTrigger['dedupe']) {
	return { strategy, idPath: 'id', lookbackSeconds: 0, seenLimit: 10_000, ...given };
}

/** Name of the n8n node parameter that holds a request parameter. */
export function propertyName(parameter: Pick<Parameter, 'name'>): string {
	return camelCase(parameter.name) || 'value';
}
