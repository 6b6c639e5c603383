/**
 * The integration model (IR): what a `*.integration.yaml` says, and what the OpenAPI importer
 * produces. `integration.schema.json` describes the same shape for the YAML form; keep the two
 * in step (test/unit/schema.test.ts checks the examples against both).
 */
import type {
	BodyErrors,
	HttpMethod,
	Pagination,
	ParameterLocation,
	RateLimit,
	RetryPolicy,
} from '../../nodes/shared/types';
import type { PollTriggerSpec, WebhookTriggerSpec } from '../../nodes/shared/triggers/types';

export type { BodyErrors, HttpMethod, Pagination, ParameterLocation, RateLimit, RetryPolicy };

export type Status = 'active' | 'deprecated' | 'inactive' | 'draft' | 'published' | 'hidden';

export type Category =
	| 'communication'
	| 'projectManagement'
	| 'crm'
	| 'calendar'
	| 'cloudStorage'
	| 'developerTools'
	| 'marketing'
	| 'finance'
	| 'productivity'
	| 'analytics'
	| 'other';

export interface Integration {
	name: string;
	displayName: string;
	description: string;
	category: Category;
	status: Status;
	/** SVG files next to the definition; dark falls back to light. */
	icon?: { light: string; dark?: string };
	documentationUrl?: string;
	baseUrl: string;
	config: ConfigField[];
	auth: AuthVariant[];
	rateLimits: RateLimit[];
	retry: RetryPolicy;
	/** Failures a service answers with HTTP 200 and a flag in the body. */
	bodyErrors?: BodyErrors;
	pagination: Pagination;
	/** `graphql`: a query sent as `POST { query }`. */
	connectionTest?: { method: HttpMethod; path: string; graphql?: string; baseUrl?: string };
	resources: Resource[];
	triggers: Trigger[];
}

export interface ConfigField {
	name: string;
	displayName: string;
	description?: string;
	default?: string;
	required: boolean;
}

export type AuthVariant = NoAuth | ApiKeyAuth | BasicAuth | OAuth2Auth | OAuth1Auth;

interface AuthCommon {
	/** Label in the node's Authentication selector when there are several variants. */
	displayName?: string;
	/** Headers sent with every request. */
	extraHeaders: Record<string, string>;
}

export interface NoAuth extends AuthCommon {
	type: 'none';
}

export interface ApiKeyAuth extends AuthCommon {
	type: 'apiKey';
	in: 'header' | 'query' | 'cookie';
	/** Header, query parameter or cookie name. */
	name: string;
	/** Word sent before the key, e.g. `Bearer`. */
	preamble?: string;
	/** A second secret sent next to the key, in the same place (Trello's `token` beside `key`). */
	token?: { name: string; displayName?: string };
}

export interface BasicAuth extends AuthCommon {
	type: 'basic';
}

export type OAuth2GrantType = 'authorizationCode' | 'clientCredentials' | 'pkce';

export interface OAuth2Auth extends AuthCommon {
	type: 'oauth2';
	grantType: OAuth2GrantType;
	authorizationUrl?: string;
	tokenUrl: string;
	/** Scope → description; the credential's default scope is the union the operations need. */
	scopes: Record<string, string>;
	/** Extra scopes always requested (e.g. `offline_access`). */
	defaultScopes: string[];
	/** Broader scope → the narrower scopes it grants too. */
	scopeIncludes: Record<string, string[]>;
	scopeSeparator: string;
	/** Client id/secret sent as a Basic header (`header`) or in the token request body (`body`). */
	clientAuthentication: 'header' | 'body';
	/** Extra query parameters on the authorization URL, e.g. `access_type=offline&prompt=consent`. */
	authQueryParameters?: string;
	/** Scheme in the Authorization header (default `Bearer`). */
	tokenScheme: string;
	/** Send the token in this header instead of `Authorization`. */
	tokenHeader?: string;
	/** Send client id/secret in the body of refresh requests. */
	includeClientOnRefresh: boolean;
	/**
	 * The scopes come from a spec nobody here curated (they may be legacy or per-method guesses): no
	 * request is refused for them beforehand, a 403 names them, and the default scope is `defaultScopes` alone.
	 */
	scopesFromSpec?: boolean;
}

export interface OAuth1Auth extends AuthCommon {
	type: 'oauth1';
	requestTokenUrl: string;
	authorizationUrl: string;
	accessTokenUrl: string;
	signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256' | 'HMAC-SHA512';
}

export interface Resource {
	name: string;
	displayName: string;
	description?: string;
	operations: Operation[];
}

export type FieldType =
	'string' | 'number' | 'boolean' | 'options' | 'multiOptions' | 'json' | 'dateTime' | 'fixedCollection';

export interface Parameter {
	name: string;
	in: ParameterLocation;
	displayName: string;
	description?: string;
	type: FieldType;
	required: boolean;
	default?: string | number | boolean | string[];
	options?: Array<{ name: string; value: string | number }>;
	arrayFormat?: 'form' | 'csv';
	/** The value names a binary property of the input item; its file is sent (multipart and binary bodies). */
	binary?: boolean;
	/** Shown as a password field (a token passed as a parameter). */
	secret?: boolean;
	/** Sent instead of the value, `{value}` replaced by it. */
	template?: string;
	/** Node property holding the value, when the name alone would clash (OpenAPI import sets it). */
	property?: string;
	/** A list of objects (`fixedCollection`): the fields of each entry, named as sent. */
	entries?: Parameter[];
	/** Sent as it is with every request and not shown as a field. */
	const?: unknown;
	/** `adf`: plain text sent as an Atlassian Document Format document. */
	format?: 'adf';
}

export interface Operation {
	name: string;
	displayName: string;
	/** Sentence shown in the node panel, e.g. "Create a task". */
	action: string;
	description?: string;
	method: HttpMethod;
	path: string;
	parameters: Parameter[];
	bodyType?: 'json' | 'form' | 'multipart' | 'binary';
	/** Form bodies: objects and lists in bracket notation (`metadata[plan]=pro`) instead of JSON text. */
	formStyle?: 'brackets';
	output?: string;
	requiredScopes: string[];
	/** Limits for this operation alone, on top of the integration's. */
	rateLimits?: RateLimit[];
	/** Compose an RFC 2822 email from the email body fields, base64url-encoded at `path`. */
	email?: { path: string };
	/** The response is a file, returned as the item's binary data. */
	binaryResponse?: boolean;
	/** Root of this operation's path when the vendor serves it from another host (`{field}` from config). */
	baseUrl?: string;
	/** Binary bodies: the other body fields as JSON in this header (Dropbox-API-Arg). */
	argsHeader?: string;
	/** Binary bodies: Content-Type sent instead of the file's own. */
	contentType?: string;
	/** The answer is a table, one item per row keyed by the header row. */
	rows?: { path: string; rangePath?: string };
	/** A GraphQL document sent as `POST { query, variables }`; the body parameters are its variables. */
	graphql?: string;
	/** Resolved: the operation's own, or the integration default for list operations. */
	pagination?: Pagination;
	list: boolean;
	deprecated: boolean;
}

export type Trigger = WebhookTrigger | PollingTrigger;

export interface WebhookTrigger extends Omit<WebhookTriggerSpec, 'events' | 'eventFilters' | 'parameters'> {
	type: 'webhook';
	name: string;
	description?: string;
	/** `event`/`when`: the service's event type and body conditions an option stands for. */
	events: Array<{
		name: string;
		value: string;
		event?: string;
		when?: Record<string, string | number | boolean>;
		present?: string[];
	}>;
	/** Fields on the trigger node whose values fill `{name}` in subscription requests. */
	parameters: Parameter[];
}

export interface PollingTrigger extends PollTriggerSpec {
	/** `scheduled` is polling whose Poll Times the user sets to fixed (cron) times. */
	type: 'polling' | 'scheduled';
	name: string;
	description?: string;
}
