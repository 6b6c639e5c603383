/**
 * The operation table: the contract between generated node classes and the shared runtime.
 * Generated files hold plain data of these shapes; every behaviour lives in nodes/shared.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie' | 'body';

export type Pagination =
	| { type: 'none' }
	| (PaginationCommon & { type: 'offset'; offsetParam: string; startOffset?: number; totalPath?: string })
	| (PaginationCommon & { type: 'page'; pageParam: string; firstPage?: number; totalPagesPath?: string })
	| (PaginationCommon & LinkOrigins & { type: 'link'; location: 'header'; header?: string; rel?: string })
	| (PaginationCommon & LinkOrigins & { type: 'link'; location: 'body'; nextUrlPath: string })
	| (PaginationCommon & {
			type: 'cursor';
			cursorParam: string;
			cursorPath: string;
			cursorFrom?: 'body' | 'lastItem';
			/** `body`: the cursor goes back in the JSON body instead of the query string. */
			cursorIn?: 'query' | 'body';
			/**
			 * Where follow-up pages are asked for, relative to the operation's URL, with only the cursor in the body
			 * (Dropbox's `list_folder/continue`).
			 */
			continuePath?: string;
	  });

export interface PaginationCommon {
	/** Path (dots or JSONPath `$.a.b`) to the array of results in a page; empty: the body is the array. */
	resultsKey?: string;
	/** Query parameter carrying the page size. */
	pageSizeParam?: string;
	/** Page size to ask for (at most 1000). */
	pageSize?: number;
	/** The largest page size the API allows: Return All and large Limits ask for it (default `pageSize`). */
	maxPageSize?: number;
	/** Return All stops after this many pages with an error that says so; the node's Max Pages option overrides it. */
	maxPages?: number;
	/** Pages fetched at once where later pages can be computed without reading earlier ones; 1: one at a time. */
	concurrency?: number;
	/** Path to a boolean that says whether more pages follow (e.g. `has_more`). */
	hasMorePath?: string;
}

export interface LinkOrigins {
	/**
	 * Origins besides the operation's own that next links may point to (they get no credentials); others are refused.
	 */
	allowedOrigins?: string[];
}

export interface RateLimit {
	requests: number;
	perSeconds: number;
}

export interface BodyErrors {
	/** Path to the boolean that is `false` on failure. */
	successPath: string;
	/** Path to the service's error code. */
	codePath?: string;
	/** Path to a detail quoted with the code (Slack's `needed`). */
	detailPath?: string;
	/** Error code → HTTP status it stands for; unknown codes are 400. */
	statuses?: Record<string, number>;
}

export interface RetryPolicy {
	/** Retries after a 429, a 5xx or a network error (the last two only for idempotent methods). */
	maxRetries: number;
	/** The longest single wait the runtime accepts before giving up with a "try again in N s" error. */
	maxWaitSeconds: number;
	/** First backoff for 5xx/network errors; doubles each retry. */
	backoffSeconds: number;
	/** Per-request timeout when the definition sets one (otherwise 60 s); a timeout is a network error. */
	timeoutSeconds?: number;
}

/** The node versions (`typeVersion`) an operation or parameter belongs to; unmarked: every version. */
export interface VersionRange {
	/** First version that has it. */
	since?: number;
	/** Last version that has it. */
	until?: number;
}

export interface ParameterSpec extends VersionRange {
	/** Name on the wire (query key, header name, JSON key; dots nest JSON body keys). */
	name: string;
	in: ParameterLocation;
	/** Name of the n8n node parameter that holds the value. */
	property: string;
	required: boolean;
	/** `json` values are parsed from the string the user typed; `array` values are comma-separated or lists. */
	type: 'string' | 'number' | 'boolean' | 'options' | 'multiOptions' | 'json' | 'dateTime' | 'fixedCollection';
	/** Query arrays: `form` repeats the key, `csv` joins with commas. */
	arrayFormat?: 'form' | 'csv';
	/** Path values as OpenAPI's styles write them (`label` `.a,b`, `matrix` `;id=a,b`); `simple` (`a,b`) otherwise. */
	style?: 'label' | 'matrix';
	/** Path lists and objects one part per item (`.a.b`, `;id=a;id=b`, `k=v,k2=v2`). */
	explode?: true;
	/** Sent instead of the value, `{value}` replaced by it (e.g. an OData bind URL around an id). */
	template?: string;
	/** The value names a binary property of the input item; its file is what gets sent. */
	binary?: boolean;
	/**
	 * A fixed value the API requires: sent as it is, no node parameter. (Not `value`: an object with `name` and `value`
	 * reads as an option to n8n's lint.)
	 */
	const?: unknown;
	/** `adf`: plain text is sent as an Atlassian Document Format document. */
	format?: 'adf';
	/** A resource locator: n8n reads the ID from its mode (a URL through the mode's pattern), or a plain saved ID. */
	locator?: boolean;
	/** `fixedCollection`: the entry fields the API requires, sent even when left empty (`""` may be a valid value). */
	requiredEntries?: string[];
}

export interface OperationSpec extends VersionRange {
	method: HttpMethod;
	path: string;
	parameters: ParameterSpec[];
	/**
	 * `multipart` sends fields and files as multipart/form-data; `binary` sends one file as the body; `text` sends
	 * the text the user typed (plain text, XML) as it is, with `contentType`.
	 */
	bodyType?: 'json' | 'form' | 'multipart' | 'binary' | 'text';
	/**
	 * Form bodies: `brackets` writes objects and lists as `metadata[plan]=pro`, `items[0][price]=…`, `tags[]=…`
	 * (Stripe, Rails); otherwise they are JSON text.
	 */
	formStyle?: 'brackets';
	/** Path into the response to return (after pagination, per item). */
	output?: string;
	requiredScopes?: string[];
	/** Limits for this operation alone, on top of the integration's, per credential. */
	rateLimits?: RateLimit[];
	/** Compose an RFC 2822 email from the email body fields and send it base64url-encoded at `path`. */
	email?: { path: string };
	pagination?: Pagination;
	/** The response is a file: it becomes the item's binary `data`. */
	binaryResponse?: boolean;
	/** A list operation: the node shows Return All / Limit and the runtime paginates. */
	list?: boolean;
	/**
	 * Base URL of this operation when the service serves it from another host (`{field}` from config); requests there
	 * carry the credentials too.
	 */
	baseUrl?: string;
	/** Binary bodies: the other body fields go as JSON in this header (Dropbox's `Dropbox-API-Arg`). */
	argsHeader?: string;
	/** Binary bodies: the Content-Type to send instead of the file's own; text bodies: their Content-Type. */
	contentType?: string;
	/** The Accept header when the answer comes in no JSON type (n8n asks for JSON, 406 from such an API). */
	accept?: string;
	/** The response is a table (rows of cells, the header row first): one item per row, keyed by the header. */
	rows?: RowsSpec;
	/**
	 * A GraphQL document: the request is `POST { query, variables }` with the body fields as
	 * variables, `errors` in the answer fail it, and pagination's cursor and page-size parameters
	 * are variables too.
	 */
	graphql?: string;
}

export interface RowsSpec {
	/** Path to the rows, e.g. `values`. */
	path: string;
	/** Path to the A1 range the rows came from (`Sheet1!A1:D9`): its first row numbers the items' `row_number`. */
	rangePath?: string;
}

export interface AuthVariantSpec {
	/** The `authentication` option value that selects this variant (absent when there is one). */
	option?: string;
	credentialType: string;
	kind: 'apiKey' | 'basic' | 'oauth2' | 'oauth1' | 'none';
	/** Headers sent with every request of this variant (e.g. an API version header). */
	extraHeaders?: Record<string, string>;
	/** Options passed to n8n's OAuth2 request signer. */
	oauth2?: {
		tokenType?: string;
		keepBearer?: boolean;
		keyToIncludeInAccessTokenHeader?: string;
		includeCredentialsOnRefreshOnBody?: boolean;
	};
	/** OAuth2: broader scope → the narrower scopes it grants too. */
	scopeIncludes?: Record<string, string[]>;
	/** OAuth2: the operations' scopes come from an uncurated spec: not checked before a request, named on a 403. */
	scopesFromSpec?: boolean;
}

export interface IntegrationTable {
	name: string;
	displayName: string;
	/** Base URL, `{var}` placeholders filled from the credential's config fields. */
	baseUrl: string;
	/** Config fields with their defaults, used when a credential leaves one empty. */
	configDefaults: Record<string, string>;
	auth: AuthVariantSpec[];
	rateLimits: RateLimit[];
	retry: RetryPolicy;
	/** A 200 whose body says it failed (Slack's `ok: false`) is handled as the status its code maps to. */
	bodyErrors?: BodyErrors;
	/** The request the credential test and the Connection → Check operation run. */
	connectionTest?: {
		method: HttpMethod;
		path: string;
		baseUrl?: string;
		graphql?: string;
		/** Check's `account` field → its path in the test's answer. */
		account?: Record<string, string>;
	};
	/** Keyed `${resource}:${operation}`. */
	operations: Record<string, OperationSpec>;
	/** The node's list-search and load-options methods, keyed by method name. */
	lookups?: Record<string, LookupSpec>;
}

/** Where a field's choices come from: a list request and where each choice's label and value are in its items. */
export interface LookupSpec {
	request: Pick<
		OperationSpec,
		'method' | 'path' | 'output' | 'pagination' | 'rateLimits' | 'requiredScopes' | 'baseUrl' | 'graphql'
	>;
	/** Fixed query parameters. */
	query?: Record<string, string | number>;
	/** A JSON body (a list read with a POST); parameters and the search go into it. */
	body?: Record<string, unknown>;
	/** Item path → the value a listed item must have to be a choice. */
	when?: Record<string, string | number | boolean>;
	label: string;
	value: string;
	/** Query parameter the service searches with; without it a page is filtered by label. */
	search?: string;
	/** Link to the object, `{path}` read from the item. */
	url?: string;
	/** Request parameter (a `{name}` of the path, else a query parameter) → the node parameter it is read from. */
	parameters?: Record<string, string>;
	/** A drop-down of loaded options rather than a resource locator's list. */
	options?: boolean;
}
