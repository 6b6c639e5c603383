/**
 * The YAML form of an integration as integration.schema.json accepts it: the IR with maps
 * instead of named lists, shorthands, and defaults left out. `buildIntegration` turns it into the IR.
 */
import type { HttpMethod, Pagination, RateLimit, Status, Category, FieldType, ParameterLocation } from './types';

export interface RawParameter {
	name: string;
	in?: ParameterLocation;
	displayName?: string;
	description?: string;
	type?: FieldType;
	required?: boolean;
	default?: string | number | boolean | string[];
	options?: Array<string | number | { name?: string; value: string | number }>;
	arrayFormat?: 'form' | 'csv';
	secret?: boolean;
	const?: unknown;
	format?: 'adf';
	binary?: boolean;
	template?: string;
}

export interface RawOperation {
	displayName?: string;
	action?: string;
	description?: string;
	method: HttpMethod;
	path: string;
	parameters?: RawParameter[];
	body?: {
		type?: 'json' | 'form' | 'binary';
		formStyle?: 'json' | 'brackets';
		fields?: RawParameter[];
		email?: { path: string };
		argsHeader?: string;
		contentType?: string;
	};
	baseUrl?: string;
	rows?: { path: string; rangePath?: string };
	output?: string;
	graphql?: string;
	requiredScopes?: string[];
	rateLimits?: RateLimit[];
	list?: boolean;
	pagination?: Pagination;
	deprecated?: boolean;
}

export interface RawResource {
	displayName?: string;
	description?: string;
	operations: Record<string, RawOperation>;
}

export type RawAuth = { type: 'none' | 'apiKey' | 'basic' | 'oauth2' | 'oauth1'; [key: string]: unknown };

export interface RawTrigger {
	type: 'webhook' | 'polling' | 'scheduled';
	name: string;
	displayName?: string;
	operation?: string;
	events?: Array<
		| string
		| {
				name?: string;
				value: string;
				event?: string;
				when?: Record<string, string | number | boolean>;
				present?: string[];
		  }
	>;
	parameters?: RawParameter[];
	[key: string]: unknown;
}

export interface RawDefinition {
	name: string;
	displayName: string;
	description: string;
	category?: Category;
	status?: Status;
	icon?: string | { light: string; dark?: string };
	documentationUrl?: string;
	baseUrl: string;
	config?: Array<{ name: string; displayName?: string; description?: string; default?: string; required?: boolean }>;
	auth: RawAuth | RawAuth[];
	rateLimits?: RateLimit[];
	retry?: { maxRetries?: number; maxWaitSeconds?: number; backoffSeconds?: number; timeoutSeconds?: number };
	bodyErrors?: { successPath: string; codePath?: string; detailPath?: string; statuses?: Record<string, number> };
	pagination?: Pagination;
	connectionTest?: { method?: HttpMethod; path: string; graphql?: string; baseUrl?: string };
	resources: Record<string, RawResource>;
	triggers?: RawTrigger[];
}

export function authList(raw: RawDefinition): RawAuth[] {
	return Array.isArray(raw.auth) ? raw.auth : [raw.auth];
}

/** `{name}` placeholders in a URL or path template. */
export function placeholders(template: string): string[] {
	return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}
