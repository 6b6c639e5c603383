/**
 * Trigger tables: what generated trigger nodes hand the runtime. The IR (scripts/model/types.ts)
 * uses these shapes as they are, so a definition's trigger reaches the node as plain data.
 */
import type { HttpMethod } from '../types';

export interface SignatureSpec {
	/** `hmac` (default): an HMAC of the payload. `token`: the header carries the shared secret itself (GitLab). */
	scheme?: 'hmac' | 'token';
	algorithm: 'sha1' | 'sha256' | 'sha512';
	encoding: 'hex' | 'base64';
	/** Header carrying the signature, e.g. `X-Hub-Signature-256` or `Stripe-Signature`. */
	header: string;
	/** Text before the signature in the header, e.g. `sha256=` or `v0=`. */
	prefix?: string;
	/**
	 * The signed string: `{body}` is the raw body, `{timestamp}` the delivery's timestamp, `{method}` the HTTP method
	 * and `{url}` the webhook URL the service posted to (HubSpot v3).
	 */
	payload: string;
	/** Header carrying the timestamp (Slack's `X-Slack-Request-Timestamp`). */
	timestampHeader?: string;
	/** Path to the timestamp in the JSON body (Linear's `webhookTimestamp`, epoch ms), read instead of a header. */
	timestampPath?: string;
	/** Keys of a `t=…,v1=…` header (Stripe): the timestamp's and the signature's. */
	timestampKey?: string;
	signatureKey?: string;
	/** Deliveries whose timestamp is further than this from now are replays. */
	toleranceSeconds: number;
	/**
	 * Header with a unique id per delivery (GitHub's `X-GitHub-Delivery`): for schemes without a
	 * timestamp, an id seen before is a replay.
	 */
	deliveryHeader?: string;
}

/** Where the signing secret comes from; `handshake`: the value of the challenge header (Asana's `X-Hook-Secret`). */
export type SecretSource = 'generated' | 'service' | 'credential' | 'handshake';

export interface RequestTemplate {
	method: HttpMethod;
	/** `{id}` is the subscription id. */
	path: string;
	/** JSON body; the strings `{url}`, `{events}`, `{secret}`, `{id}` are filled in. */
	body?: Record<string, unknown>;
	/** `form`: the body is sent form-encoded in bracket notation (`enabled_events[]=…`, Stripe) instead of JSON. */
	bodyType?: 'json' | 'form';
	/**
	 * A GraphQL document: the request is `POST { query, variables }` with `body` as the variables, and `errors` in the
	 * answer fail it.
	 */
	graphql?: string;
}

export interface SubscriptionSpec {
	create: RequestTemplate & {
		/** Path to the subscription id in the response. */
		idPath: string;
		/** Path to the signing secret in the response (secret source `service`). */
		secretPath?: string;
		/** Path to when the subscription expires (ISO date or epoch) in the response. */
		expiresPath?: string;
	};
	check?: RequestTemplate;
	delete: RequestTemplate;
	renew?: RenewalSpec;
}

/** How an expiring subscription is extended; the response says the new expiry. */
export interface RenewalSpec extends RequestTemplate {
	expiresPath: string;
	/** Renew once the subscription expires within this many seconds. */
	beforeSeconds: number;
	/**
	 * A delivery announcing the expiry (Microsoft Graph's `lifecycleEvent: reauthorizationRequired`): it renews and
	 * starts nothing.
	 */
	lifecycle?: { path: string; type: string };
}

export interface ChallengeSpec {
	/** Path to the challenge value in the body; it is echoed back. */
	path?: string;
	/**
	 * Header carrying the challenge (Asana's `X-Hook-Secret`): a request with it is answered 200 with the same header,
	 * and starts nothing.
	 */
	header?: string;
	/** Only bodies whose `typePath` equals `type` are challenges (Slack: `type: url_verification`). */
	typePath?: string;
	type?: string;
	/**
	 * The service checks the webhook URL with a request of this method before subscribing (Trello: HEAD); it is
	 * answered 200 and starts nothing.
	 */
	method?: 'HEAD';
}

export interface WebhookTriggerSpec {
	displayName: string;
	events: string[];
	/** Path to the event type in a delivery; deliveries of events not picked start nothing. */
	eventPath?: string;
	/** Header carrying the event type (GitHub's `X-GitHub-Event`), read instead of `eventPath`. */
	eventHeader?: string;
	/**
	 * Path to a list of events in a delivery (Asana's `events`): each picked one is an item, and a delivery with none
	 * starts nothing.
	 */
	itemsPath?: string;
	/** Options that stand for a service event plus body conditions, keyed by option value. */
	eventFilters?: Record<string, EventFilter>;
	/** Node parameters filling `{name}` in subscription paths and bodies. */
	parameters?: Array<{ name: string; property: string }>;
	subscribe?: SubscriptionSpec;
	signature?: SignatureSpec & { secret: SecretSource };
	challenge?: ChallengeSpec;
	/**
	 * The definition says neither how deliveries are signed nor how to subscribe (OpenAPI `webhooks` and callbacks):
	 * the user registers the URL, describes the signature in the node and keeps its secret in `credential` (a
	 * signing-secret credential type); with `eventLocation`, the node also says where a delivery's event type is.
	 */
	userDescribed?: { credential: string; eventLocation: boolean };
	/** Conditions the user sets under Only When: deliveries that fail one start nothing. */
	filters?: TriggerFilter[];
}

/**
 * Node property holding the values the user set for the trigger's filters. Here, not in filters.ts, so that the
 * generator (which emits the property) does not load the runtime.
 */
export const FILTERS_PROPERTY = 'onlyWhen';

/** The event every polling trigger node offers besides the definition's: its credential's connection status changed. */
export const CONNECTION_EVENT = 'connectionStatusChanged';

/**
 * A condition on the trigger node's Only When collection (node property `name`): the user lists
 * values, comma-separated; an item passes when its value at the first present of `paths` holds all
 * (`all`) or at least one (`any`) of them. An empty field filters nothing.
 */
export interface TriggerFilter {
	name: string;
	paths: string[];
	/** For a list of objects, the field compared in each (GitHub labels' `name`). */
	key?: string;
	match: 'all' | 'any';
	/** Webhook triggers: the event options it applies to; deliveries of others pass. */
	events?: string[];
}

/** An event option that is a service event (`event`) narrowed by body values (`when`). */
export interface EventFilter {
	event?: string;
	when?: Record<string, string | number | boolean>;
	/** Paths the delivery must carry, whatever their value (Linear's `updatedFrom.stateId` marks a status change). */
	present?: string[];
}

export interface DedupeSpec {
	/**
	 * `id`: items whose id was not seen (bounded seen-set). `timestamp`: items at or after the
	 * watermark (minus the lookback) not already emitted with the same timestamp. `newest`: items
	 * strictly newer than the newest emitted.
	 */
	strategy: 'id' | 'timestamp' | 'newest' | 'content';
	idPath: string;
	timestampPath?: string;
	lookbackSeconds: number;
	/** Most ids the cursor remembers. */
	seenLimit: number;
}

export interface PollTriggerSpec {
	displayName: string;
	/** `resource:operation` key of the list operation in the table. */
	operation: string;
	dedupe: DedupeSpec;
	/** Query parameter that asks the service for items changed since the watermark. */
	since?: SinceSpec;
	firstRun: FirstRunPolicy;
	/** Only items with these values at these paths are emitted (Dropbox entries: `{ "['.tag']": file }`). */
	when?: Record<string, string | number | boolean>;
	/** Conditions the user sets under Only When. */
	filters?: TriggerFilter[];
}

export interface SinceSpec {
	param: string;
	/** `isoSeconds`: ISO 8601 without fractions, e.g. `2024-05-01T12:00:00Z` (Salesforce SOQL literals). */
	format: 'iso' | 'isoSeconds' | 'unix' | 'unixMs';
	/**
	 * For services that filter inside a query language: the whole value of `param`, with `{since}`
	 * replaced by the watermark (Salesforce: `SELECT … FROM Lead WHERE CreatedDate >= {since}`).
	 * The trigger node then shows no field for `param`.
	 */
	template?: string;
	/** With `template`: the value of `param` while there is no watermark yet (the first poll). */
	initial?: string;
	/**
	 * `lastPoll`: ask for changes since the previous poll started instead of the newest item's time (items that carry
	 * no change time, Airtable's LAST_MODIFIED_TIME()).
	 */
	from?: 'watermark' | 'lastPoll';
}

/** What the first poll emits: nothing (it only sets the cursor), or the newest `count` items. */
export interface FirstRunPolicy {
	emit: 'none' | 'latest';
	count: number;
}
