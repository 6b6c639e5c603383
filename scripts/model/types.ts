/**
 * The integration model (IR): what a `*.integration.yaml` says, defaults filled and maps made
 * named lists, and what the OpenAPI importer produces. Where it only fills the YAML form's
 * defaults it is derived from the declaration (./declaration.ts), so a key is declared once.
 */
import type {
	BodyErrors,
	HttpMethod,
	LookupSpec,
	OperationSpec,
	Pagination,
	ParameterLocation,
	ParameterSpec,
	RateLimit,
	RetryPolicy,
} from '../../nodes/shared/types';
import type { PollTriggerSpec, TriggerFilter, WebhookTriggerSpec } from '../../nodes/shared/triggers/types';
import type { RawAuth, RawDefinition, RawOperation, RawParameter } from './declaration';

export type { BodyErrors, HttpMethod, Pagination, ParameterLocation, RateLimit, RetryPolicy };

/** `T` with the keys `K`, which have defaults, filled in. */
type Filled<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };

export type Status = NonNullable<RawDefinition['status']>;
export type Category = NonNullable<RawDefinition['category']>;

export interface Integration {
	name: string;
	displayName: string;
	description: string;
	/** The action node's current version; operations and parameters may belong to some versions only. */
	version: number;
	category: Category;
	status: Status;
	/** SVG files next to the definition; dark falls back to light. */
	icon?: { light: string; dark?: string };
	documentationUrl?: string;
	/** What the conformance tier holds the requests to (the vendor's description or reference pages). */
	conformance?: RawDefinition['conformance'];
	baseUrl: string;
	config: ConfigField[];
	auth: AuthVariant[];
	rateLimits: RateLimit[];
	retry: RetryPolicy;
	/** Failures a service answers with HTTP 200 and a flag in the body. */
	bodyErrors?: BodyErrors;
	pagination: Pagination;
	/** `graphql`: a query sent as `POST { query }`. */
	connectionTest?: {
		method: HttpMethod;
		path: string;
		graphql?: string;
		baseUrl?: string;
		account?: Record<string, string>;
	};
	resources: Resource[];
	triggers: Trigger[];
}

export type ConfigField = Filled<NonNullable<RawDefinition['config']>[number], 'displayName' | 'required'>;

export type AuthVariant = NoAuth | ApiKeyAuth | BasicAuth | OAuth2Auth | OAuth1Auth;

type AuthOf<T extends RawAuth['type'], Defaulted extends keyof Extract<RawAuth, { type: T }> = never> = Filled<
	Extract<RawAuth, { type: T }>,
	'extraHeaders' | Defaulted
>;

export type NoAuth = AuthOf<'none'>;
export type ApiKeyAuth = AuthOf<'apiKey', 'in'>;
export type BasicAuth = AuthOf<'basic'>;
export type OAuth1Auth = AuthOf<'oauth1', 'signatureMethod'>;
export type OAuth2Auth = Omit<
	AuthOf<
		'oauth2',
		| 'grantType'
		| 'scopes'
		| 'defaultScopes'
		| 'scopeIncludes'
		| 'scopeSeparator'
		| 'clientAuthentication'
		| 'tokenScheme'
		| 'includeClientOnRefresh'
		| 'refreshStrategy'
		| 'refreshBufferSeconds'
		| 'refreshIntervalSeconds'
	>,
	// What n8n fixes; the schema only names it so that a definition saying otherwise gets a finding.
	'tokenKey' | 'refreshTokenKey' | 'expiresInKey' | 'tokenRequestMethod' | 'tokenRequestContentType'
> & {
	/**
	 * The scopes come from a spec nobody here curated (they may be legacy or per-method guesses): no
	 * request is refused for them beforehand, a 403 names them, and the default scope is `defaultScopes` alone.
	 */
	scopesFromSpec?: boolean;
};

export interface Resource {
	name: string;
	displayName: string;
	description?: string;
	operations: Operation[];
}

/** A parameter's field type; `fixedCollection` (a list of objects) comes from OpenAPI import only. */
export type FieldType = NonNullable<RawParameter['type']> | 'fixedCollection';

export type Parameter = Omit<RawParameter, 'in' | 'displayName' | 'type' | 'required' | 'options' | 'lookup'> & {
	in: ParameterLocation;
	displayName: string;
	type: FieldType;
	required: boolean;
	options?: Array<{ name: string; value: string | number }>;
	/** Node property holding the value, when the name alone would clash (OpenAPI import sets it). */
	property?: string;
	/** A list of objects (`fixedCollection`): the fields of each entry, named as sent. */
	entries?: Parameter[];
	lookup?: Lookup;
} & Partial<Pick<ParameterSpec, 'style' | 'explode'>>;

/** Where a field's choices come from (a resource locator or loaded options), with its node method's name. */
export interface Lookup extends Omit<LookupSpec, 'parameters' | 'options'> {
	/** Name of the node's `listSearch` or `loadOptions` method; fields with equal lookups share one. */
	method: string;
	as: 'locator' | 'options';
	urlPattern?: string;
	idPattern?: string;
	/** Request parameter → the operation's parameter whose field fills it. */
	parameters: Record<string, Parameter>;
}

/**
 * An operation: the runtime's request table entry (nodes/shared OperationSpec, which the emitter
 * passes on as it is) plus what only the node shows.
 */
export type Operation = Omit<OperationSpec, 'parameters' | 'requiredScopes' | 'list'> &
	Pick<RawOperation, 'description'> & {
		name: string;
		displayName: string;
		/** Sentence shown in the node panel, e.g. "Create a task". */
		action: string;
		parameters: Parameter[];
		requiredScopes: string[];
		/** Resolved: the operation's own, or the integration default for list operations. */
		pagination?: Pagination;
		list: boolean;
		deprecated: boolean;
	};

export type Trigger = WebhookTrigger | PollingTrigger;

/** A trigger filter with what its field on the node shows. */
export interface TriggerFilterField extends TriggerFilter {
	displayName: string;
	description?: string;
}

export interface WebhookTrigger extends Omit<WebhookTriggerSpec, 'events' | 'eventFilters' | 'parameters' | 'filters'> {
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
	filters: TriggerFilterField[];
}

export interface PollingTrigger extends Omit<PollTriggerSpec, 'filters'> {
	/** `scheduled`: runs only at the times of a cron schedule, not at intervals nor on activation. */
	type: 'polling' | 'scheduled';
	name: string;
	description?: string;
	filters: TriggerFilterField[];
	/** `scheduled`: the cron expression the node starts with. */
	schedule?: string;
}
