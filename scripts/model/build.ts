import type { RawAuth, RawDefinition, RawOperation, RawParameter, RawTrigger } from './definition';
import { authList } from './definition';
import { camelCase, operationAction, operationDisplayName, titleCase } from './naming';
import type {
	AuthVariant,
	Integration,
	Operation,
	Pagination,
	Parameter,
	PollingTrigger,
	Trigger,
	WebhookTrigger,
} from './types';

export const DEFAULT_RETRY = { maxRetries: 3, maxWaitSeconds: 60, backoffSeconds: 1 };
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_MAX_PAGES = 10_000;

/** Turns a schema-valid definition into the IR, filling every default. */
export function buildIntegration(raw: RawDefinition): Integration {
	const pagination = withPaginationDefaults(raw.pagination ?? { type: 'none' });
	return {
		name: raw.name,
		displayName: raw.displayName,
		description: raw.description,
		category: raw.category ?? 'other',
		status: raw.status ?? 'active',
		icon: typeof raw.icon === 'string' ? { light: raw.icon } : raw.icon,
		documentationUrl: raw.documentationUrl,
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
		},
		resources: Object.entries(raw.resources).map(([name, r]) => {
			const displayName = r.displayName ?? titleCase(name);
			return {
				name,
				displayName,
				description: r.description,
				operations: Object.entries(r.operations).map(([opName, op]) =>
					buildOperation(opName, op, displayName, pagination),
				),
			};
		}),
		triggers: (raw.triggers ?? []).map(buildTrigger),
	};
}

export function buildAuth(raw: RawAuth): AuthVariant {
	const common = {
		displayName: raw.displayName as string | undefined,
		extraHeaders: (raw.extraHeaders as Record<string, string>) ?? {},
	};
	switch (raw.type) {
		case 'none':
			return { type: 'none', ...common };
		case 'basic':
			return { type: 'basic', ...common };
		case 'apiKey':
			return {
				type: 'apiKey',
				...common,
				in: (raw.in as 'header') ?? 'header',
				name: raw.name as string,
				preamble: raw.preamble as string | undefined,
				...(raw.token ? { token: raw.token as { name: string; displayName?: string } } : {}),
			};
		case 'oauth1':
			return {
				type: 'oauth1',
				...common,
				requestTokenUrl: raw.requestTokenUrl as string,
				authorizationUrl: raw.authorizationUrl as string,
				accessTokenUrl: raw.accessTokenUrl as string,
				signatureMethod: (raw.signatureMethod as 'HMAC-SHA1') ?? 'HMAC-SHA1',
			};
		case 'oauth2':
			return {
				type: 'oauth2',
				...common,
				grantType: (raw.grantType as 'authorizationCode') ?? 'authorizationCode',
				authorizationUrl: raw.authorizationUrl as string | undefined,
				tokenUrl: raw.tokenUrl as string,
				scopes: (raw.scopes as Record<string, string>) ?? {},
				defaultScopes: (raw.defaultScopes as string[]) ?? [],
				scopeIncludes: (raw.scopeIncludes as Record<string, string[]>) ?? {},
				scopeSeparator: (raw.scopeSeparator as string) ?? ' ',
				clientAuthentication: (raw.clientAuthentication as 'header') ?? 'header',
				authQueryParameters: raw.authQueryParameters as string | undefined,
				tokenScheme: (raw.tokenScheme as string) ?? 'Bearer',
				tokenHeader: raw.tokenHeader as string | undefined,
				includeClientOnRefresh: (raw.includeClientOnRefresh as boolean) ?? false,
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
		requiredScopes: raw.requiredScopes ?? [],
		rateLimits: raw.rateLimits,
		email: raw.body?.email,
		pagination: list ? (raw.pagination ? withPaginationDefaults(raw.pagination) : defaultPagination) : undefined,
		list,
		deprecated: raw.deprecated ?? false,
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
	};
}

export function withPaginationDefaults(p: Pagination): Pagination {
	if (p.type === 'none') return p;
	return { ...p, pageSize: p.pageSize ?? DEFAULT_PAGE_SIZE, maxPages: p.maxPages ?? DEFAULT_MAX_PAGES };
}

export function buildTrigger(raw: RawTrigger): Trigger {
	const common = {
		name: raw.name,
		displayName: raw.displayName ?? titleCase(raw.name),
		description: raw.description as string | undefined,
	};
	if (raw.type === 'webhook') {
		const r = raw as unknown as Pick<
			WebhookTrigger,
			'eventPath' | 'eventHeader' | 'itemsPath' | 'subscribe' | 'challenge'
		>;
		const signature = raw.signature as Partial<NonNullable<WebhookTrigger['signature']>> | undefined;
		const sub = r.subscribe;
		return {
			type: 'webhook',
			...common,
			events: (raw.events ?? []).map((e) =>
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
			eventPath: r.eventPath,
			...(r.eventHeader ? { eventHeader: r.eventHeader } : {}),
			...(r.itemsPath !== undefined ? { itemsPath: r.itemsPath } : {}),
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
			signature: signature && {
				secret: 'generated',
				algorithm: 'sha256',
				encoding: 'hex',
				payload: '{body}',
				toleranceSeconds: 300,
				header: '',
				...signature,
			},
			challenge: r.challenge,
		};
	}
	const r = raw as unknown as Pick<PollingTrigger, 'since'> & { firstRun?: Partial<PollingTrigger['firstRun']> };
	const dedupe = raw.dedupe as Partial<PollingTrigger['dedupe']>;
	return {
		type: raw.type,
		...common,
		operation: raw.operation ?? '',
		dedupe: { strategy: 'id', idPath: 'id', lookbackSeconds: 0, seenLimit: 10_000, ...dedupe },
		since: r.since && { ...r.since, format: r.since.format ?? 'iso' },
		firstRun: { emit: 'none', count: 1, ...r.firstRun },
		...(raw.when ? { when: raw.when as Record<string, string | number | boolean> } : {}),
	};
}

/** Name of the n8n node parameter that holds a request parameter. */
export function propertyName(parameter: Pick<Parameter, 'name'>): string {
	return camelCase(parameter.name) || 'value';
}
