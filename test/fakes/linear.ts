/**
 * Linear as a loopback service: one GraphQL endpoint (`POST /graphql`) that executes requests with
 * graphql-js against a schema written after Linear's (the types, inputs and arguments the catalog
 * uses), so a document with a typo, a wrong variable type or a missing required input fails as it
 * would at Linear. Auth as Linear does it: a personal API key as `Authorization: <key>` (a
 * `Bearer` before a key is rejected) or an OAuth2 access token as `Authorization: Bearer <token>`
 * whose scopes each mutation checks. Errors come as Linear sends them: `errors[]` with
 * `extensions.code` (AUTHENTICATION_ERROR, FORBIDDEN, RATELIMITED with X-RateLimit-Requests-Reset,
 * `Entity not found` for unknown ids). Webhooks made with `webhookCreate` get signed deliveries:
 * `Linear-Signature` = hex HMAC-SHA256 of the raw body, `webhookTimestamp` (epoch ms) in the body.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { buildSchema, graphql, GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import { json, startFake, type FakeRequest, type FakeService } from './server';

const SCHEMA = `
scalar DateTime
scalar TimelessDate
type Query {
  viewer: User!
  issues(first: Int, after: String, filter: IssueFilter): IssueConnection!
  issue(id: String!): Issue!
  teams(first: Int, after: String, filter: TeamFilter): TeamConnection!
  team(id: String!): Team!
  webhook(id: String!): Webhook!
}
type Mutation {
  issueCreate(input: IssueCreateInput!): IssuePayload!
  issueUpdate(id: String!, input: IssueUpdateInput!): IssuePayload!
  commentCreate(input: CommentCreateInput!): CommentPayload!
  webhookCreate(input: WebhookCreateInput!): WebhookPayload!
  webhookDelete(id: String!): DeletePayload!
}
type User { id: ID! name: String! email: String! }
type Team { id: ID! key: String! name: String! states(first: Int, after: String): WorkflowStateConnection! }
type TeamConnection { nodes: [Team!]! pageInfo: PageInfo! }
type WorkflowStateConnection { nodes: [WorkflowState!]! pageInfo: PageInfo! }
type WorkflowState { id: ID! name: String! type: String! }
type Issue {
  id: ID! identifier: String! title: String! description: String priority: Float! url: String!
  createdAt: DateTime! updatedAt: DateTime! dueDate: TimelessDate state: WorkflowState! team: Team! assignee: User
}
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type IssueConnection { nodes: [Issue!]! pageInfo: PageInfo! }
input StringComparator { eq: String neq: String contains: String in: [String!] }
input IDComparator { eq: ID in: [ID!] }
input DateComparator { eq: DateTime gt: DateTime gte: DateTime lt: DateTime lte: DateTime }
input TeamFilter { id: IDComparator key: StringComparator name: StringComparator }
input WorkflowStateFilter { id: IDComparator name: StringComparator type: StringComparator }
input IssueFilter { team: TeamFilter state: WorkflowStateFilter title: StringComparator updatedAt: DateComparator and: [IssueFilter!] or: [IssueFilter!] }
input IssueCreateInput {
  teamId: String! title: String description: String priority: Int assigneeId: String stateId: String
  labelIds: [String!] dueDate: TimelessDate projectId: String
}
input IssueUpdateInput { title: String description: String priority: Int assigneeId: String stateId: String labelIds: [String!] dueDate: TimelessDate }
type IssuePayload { success: Boolean! issue: Issue lastSyncId: Float! }
type Comment { id: ID! body: String! url: String! createdAt: DateTime! issue: Issue user: User }
input CommentCreateInput { issueId: String body: String }
type CommentPayload { success: Boolean! comment: Comment! lastSyncId: Float! }
input WebhookCreateInput { url: String! label: String teamId: String allPublicTeams: Boolean resourceTypes: [String!]! secret: String enabled: Boolean }
type Webhook { id: ID! url: String enabled: Boolean! label: String resourceTypes: [String!]! team: Team }
type WebhookPayload { success: Boolean! webhook: Webhook! lastSyncId: Float! }
type DeletePayload { success: Boolean! entityId: String! lastSyncId: Float! }
`;

export interface LinearIssue {
	id: string;
	identifier: string;
	title: string;
	description?: string;
	priority: number;
	url: string;
	createdAt: string;
	updatedAt: string;
	dueDate?: string;
	stateId: string;
	teamId: string;
	assigneeId?: string;
	labelIds?: string[];
}

export interface LinearWebhook {
	id: string;
	url: string;
	teamId: string;
	resourceTypes: string[];
	secret: string;
	label?: string;
}

export interface Delivery {
	webhookId: string;
	action: string;
	status: number;
	body: string;
}

export interface LinearFake extends FakeService {
	apiKey: string;
	team: { id: string; key: string; name: string };
	states: Array<{ id: string; name: string; type: string }>;
	viewer: { id: string; name: string; email: string };
	issues: LinearIssue[];
	comments: Array<{ id: string; issueId: string; body: string }>;
	webhooks: Map<string, LinearWebhook>;
	/** Every webhook ever created, deleted or not. */
	createdWebhooks: LinearWebhook[];
	deliveries: Delivery[];
	/** An OAuth2 access token with these scopes. */
	grant(scopes: string[]): string;
	/** Answer the next `count` requests with RATELIMITED, resetting `resetMs` later. */
	throttleNext(count: number, resetMs: number): void;
	/** Requests that came before the reset a RATELIMITED answer named. */
	violations: FakeRequest[];
	/** What an app user does in Linear: create an issue or change it, delivering to the team's webhooks. */
	createIssue(title: string): Promise<LinearIssue>;
	updateIssue(id: string, change: { stateId?: string; title?: string }): Promise<LinearIssue>;
	/** POSTs a payload to a webhook, signed unless told otherwise. */
	deliver(
		webhook: LinearWebhook,
		payload: Record<string, unknown>,
		options?: { signature?: 'valid' | 'none' | 'wrong'; timestamp?: number },
	): Promise<{ status: number; body: string }>;
	/** GraphQL requests by root field, e.g. `issueCreate`. */
	calls(field: string): FakeRequest[];
}

/** What each root field needs of an OAuth2 token (a personal API key acts as its admin user). */
const NEEDS: Record<string, string[][]> = {
	viewer: [['read']],
	issues: [['read']],
	issue: [['read']],
	teams: [['read']],
	team: [['read']],
	webhook: [['read']],
	issueCreate: [['issues:create'], ['write']],
	issueUpdate: [['write']],
	commentCreate: [['comments:create'], ['write']],
	webhookCreate: [['admin']],
	webhookDelete: [['admin']],
};

const linearError = (message: string, code: string, statusCode: number) =>
	new GraphQLError(message, {
		extensions: {
			type: code.toLowerCase().replace(/_/g, ' '),
			code,
			statusCode,
			userError: true,
			userPresentableMessage: message,
		},
	});

export async function startLinear(options: { issueCount?: number } = {}): Promise<LinearFake> {
	const apiKey = `lin_api_${randomBytes(16).toString('hex')}`;
	const schema: GraphQLSchema = buildSchema(SCHEMA);
	const team = { id: 'team-eng-0001', key: 'ENG', name: 'Engineering' };
	const states = [
		{ id: 'state-todo', name: 'Todo', type: 'unstarted' },
		{ id: 'state-doing', name: 'In Progress', type: 'started' },
		{ id: 'state-done', name: 'Done', type: 'completed' },
	];
	const viewer = { id: 'user-ada', name: 'Ada Lovelace', email: 'ada@example.com' };
	/** Engineering and 61 more teams (so that pickers page), each with its own workflow states. */
	const teams = [
		team,
		{ id: 'team-des-0002', key: 'DES', name: 'Design' },
		...Array.from({ length: 60 }, (_, i) => ({ id: `team-t${i + 3}`, key: `T${i + 3}`, name: `Team ${i + 3}` })),
	];
	const teamStates = new Map<string, Array<{ id: string; name: string; type: string }>>([
		[team.id, states],
		['team-des-0002', [{ id: 'state-des-backlog', name: 'Backlog', type: 'backlog' }]],
	]);
	/** A connection page of `list` by cursor (the item's id in base64), as Linear pages (`first` at most 250). */
	const connection = <T extends { id: string }>(list: T[], first = 50, after?: string) => {
		if (first > 250) throw linearError('first must be at most 250', 'INVALID_INPUT', 400);
		const start = after ? list.findIndex((x) => x.id === Buffer.from(after, 'base64').toString()) + 1 : 0;
		if (after && start === 0) throw linearError('Invalid cursor', 'INVALID_INPUT', 400);
		const page = list.slice(start, start + first);
		const endCursor = page.length ? Buffer.from(page[page.length - 1].id).toString('base64') : null;
		return {
			nodes: page,
			pageInfo: {
				hasNextPage: start + first < list.length,
				hasPreviousPage: start > 0,
				startCursor: null,
				endCursor,
			},
		};
	};
	const teamView = (t: { id: string; key: string; name: string }) => ({
		...t,
		states: ({ first, after }: { first?: number; after?: string }) =>
			connection(teamStates.get(t.id) ?? [], first, after),
	});
	const issues: LinearIssue[] = [];
	const comments: LinearFake['comments'] = [];
	const webhooks = new Map<string, LinearWebhook>();
	const createdWebhooks: LinearWebhook[] = [];
	const deliveries: Delivery[] = [];
	const tokens = new Map<string, string[]>();
	const violations: FakeRequest[] = [];
	let throttle = { count: 0, resetMs: 0, until: 0 };

	const newIssue = (title: string, fields: Partial<LinearIssue> = {}): LinearIssue => {
		const n = issues.length + 1;
		const now = new Date().toISOString();
		const issue: LinearIssue = {
			id: randomUUID(),
			identifier: `${team.key}-${n}`,
			title,
			priority: 0,
			url: `https://linear.app/acme/issue/${team.key}-${n}`,
			createdAt: now,
			updatedAt: now,
			stateId: states[0].id,
			teamId: team.id,
			...fields,
		};
		issues.push(issue);
		return issue;
	};
	for (let i = 0; i < (options.issueCount ?? 0); i++) {
		const issue = newIssue(`Seeded issue ${i + 1}`);
		issue.createdAt = issue.updatedAt = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
	}

	const findIssue = (id: string) => {
		const issue = issues.find((i) => i.id === id || i.identifier === id);
		if (!issue) throw linearError('Entity not found: Issue', 'INVALID_INPUT', 400);
		return issue;
	};
	const stateOf = (id: string) => {
		const state = states.find((s) => s.id === id);
		if (!state) throw linearError('Entity not found: WorkflowState', 'INVALID_INPUT', 400);
		return state;
	};
	const view = (issue: LinearIssue) => ({
		...issue,
		state: stateOf(issue.stateId),
		team,
		assignee: issue.assigneeId === viewer.id ? viewer : null,
	});

	async function notify(action: 'create' | 'update', issue: LinearIssue, updatedFrom?: Record<string, unknown>) {
		for (const webhook of webhooks.values()) {
			if (webhook.teamId !== issue.teamId || !webhook.resourceTypes.includes('Issue')) continue;
			const payload = {
				action,
				type: 'Issue',
				actor: { id: viewer.id, name: viewer.name, type: 'user' },
				createdAt: new Date().toISOString(),
				data: {
					id: issue.id,
					identifier: issue.identifier,
					title: issue.title,
					priority: issue.priority,
					stateId: issue.stateId,
					teamId: issue.teamId,
					state: stateOf(issue.stateId),
					createdAt: issue.createdAt,
					updatedAt: issue.updatedAt,
				},
				...(updatedFrom ? { updatedFrom } : {}),
				url: issue.url,
				organizationId: 'org-acme',
				webhookTimestamp: Date.now(),
				webhookId: webhook.id,
			};
			const response = await deliver(webhook, payload);
			deliveries.push({ webhookId: webhook.id, action, status: response.status, body: response.body });
		}
	}

	/** Applies a change and returns Linear's `updatedFrom`: the previous values of what changed. */
	function changeIssue(issue: LinearIssue, change: { stateId?: string; title?: string }): Record<string, unknown> {
		const updatedFrom: Record<string, unknown> = { updatedAt: issue.updatedAt };
		if (change.stateId !== undefined && change.stateId !== issue.stateId) {
			stateOf(change.stateId);
			updatedFrom.stateId = issue.stateId;
			issue.stateId = change.stateId;
		}
		if (change.title !== undefined && change.title !== issue.title) {
			updatedFrom.title = issue.title;
			issue.title = change.title;
		}
		issue.updatedAt = new Date().toISOString();
		return updatedFrom;
	}

	const root = {
		viewer: () => viewer,
		issues: (args: {
			first?: number;
			after?: string;
			filter?: { team?: { key?: { eq?: string } }; state?: { id?: { eq?: string } } };
		}) => {
			const first = args.first ?? 50;
			if (first > 250) throw linearError('first must be at most 250', 'INVALID_INPUT', 400);
			let list = [...issues].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
			if (args.filter?.team?.key?.eq) list = list.filter(() => args.filter!.team!.key!.eq === team.key);
			if (args.filter?.state?.id?.eq) list = list.filter((i) => i.stateId === args.filter!.state!.id!.eq);
			const start = args.after
				? list.findIndex((i) => i.id === Buffer.from(args.after!, 'base64').toString()) + 1
				: 0;
			if (args.after && start === 0) throw linearError('Invalid cursor', 'INVALID_INPUT', 400);
			const page = list.slice(start, start + first);
			const hasNextPage = start + first < list.length;
			const endCursor = page.length ? Buffer.from(page[page.length - 1].id).toString('base64') : null;
			return {
				nodes: page.map(view),
				pageInfo: { hasNextPage, hasPreviousPage: start > 0, startCursor: null, endCursor },
			};
		},
		issue: ({ id }: { id: string }) => ({ ...view(findIssue(id)), team: teamView(team) }),
		teams: ({ first, after }: { first?: number; after?: string }) => {
			const page = connection(teams, first, after);
			return { ...page, nodes: page.nodes.map(teamView) };
		},
		team: ({ id }: { id: string }) => {
			const found = teams.find((t) => t.id === id || t.key === id);
			if (!found) throw linearError('Entity not found: Team', 'INVALID_INPUT', 400);
			return teamView(found);
		},
		webhook: ({ id }: { id: string }) => {
			const webhook = webhooks.get(id);
			if (!webhook) throw linearError('Entity not found: Webhook', 'INVALID_INPUT', 400);
			return { ...webhook, enabled: true, team };
		},
		issueCreate: ({ input }: { input: Partial<LinearIssue> & { teamId: string } }) => {
			if (input.teamId !== team.id) throw linearError('Entity not found: Team', 'INVALID_INPUT', 400);
			if (!input.title)
				throw linearError('Argument Validation Error: title should not be empty', 'INVALID_INPUT', 400);
			if (input.stateId) stateOf(input.stateId);
			const issue = newIssue(
				input.title,
				Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null)),
			);
			setTimeout(() => void notify('create', issue), 10);
			return { success: true, issue: view(issue), lastSyncId: issues.length };
		},
		issueUpdate: ({ id, input }: { id: string; input: { stateId?: string; title?: string } }) => {
			const issue = findIssue(id);
			const updatedFrom = changeIssue(issue, input);
			// Linear delivers after answering the mutation.
			setTimeout(() => void notify('update', issue, updatedFrom), 10);
			return { success: true, issue: view(issue), lastSyncId: issues.length };
		},
		commentCreate: ({ input }: { input: { issueId?: string; body?: string } }) => {
			if (!input.issueId)
				throw linearError('Argument Validation Error: issueId should not be empty', 'INVALID_INPUT', 400);
			const issue = findIssue(input.issueId);
			if (!input.body)
				throw linearError('Argument Validation Error: body should not be empty', 'INVALID_INPUT', 400);
			const comment = { id: randomUUID(), issueId: issue.id, body: input.body };
			comments.push(comment);
			return {
				success: true,
				comment: {
					...comment,
					url: `${issue.url}#comment-${comment.id.slice(0, 8)}`,
					createdAt: new Date().toISOString(),
					issue: view(issue),
					user: viewer,
				},
				lastSyncId: comments.length,
			};
		},
		webhookCreate: ({
			input,
		}: {
			input: {
				url: string;
				teamId?: string;
				allPublicTeams?: boolean;
				resourceTypes: string[];
				secret?: string;
				label?: string;
			};
		}) => {
			if (!input.teamId && !input.allPublicTeams)
				throw linearError(
					'Argument Validation Error: teamId or allPublicTeams is required',
					'INVALID_INPUT',
					400,
				);
			if (input.teamId && input.teamId !== team.id)
				throw linearError('Entity not found: Team', 'INVALID_INPUT', 400);
			const webhook: LinearWebhook = {
				id: randomUUID(),
				url: input.url,
				teamId: input.teamId ?? team.id,
				resourceTypes: input.resourceTypes,
				secret: input.secret ?? randomBytes(16).toString('hex'),
				label: input.label,
			};
			webhooks.set(webhook.id, webhook);
			createdWebhooks.push(webhook);
			return { success: true, webhook: { ...webhook, enabled: true, team }, lastSyncId: createdWebhooks.length };
		},
		webhookDelete: ({ id }: { id: string }) => {
			if (!webhooks.delete(id)) throw linearError('Entity not found: Webhook', 'INVALID_INPUT', 400);
			return { success: true, entityId: id, lastSyncId: createdWebhooks.length };
		},
	};

	const fake = await startFake(async (req) => {
		if (req.method !== 'POST' || req.path !== '/graphql')
			return json(404, { errors: [{ message: `Cannot ${req.method} ${req.path}` }] });
		const auth = req.headers.authorization ?? '';
		const scopes = auth === apiKey ? undefined : auth.startsWith('Bearer ') ? tokens.get(auth.slice(7)) : null;
		if (scopes === null) {
			return json(400, {
				errors: [
					linearError('Authentication required, not authenticated', 'AUTHENTICATION_ERROR', 401).toJSON(),
				],
			});
		}
		if (throttle.count > 0) {
			throttle.count--;
			throttle.until = Date.now() + throttle.resetMs;
			return json(
				400,
				{ errors: [linearError('Rate limit exceeded', 'RATELIMITED', 429).toJSON()] },
				ratelimitHeaders(0, throttle.until),
			);
		}
		if (req.receivedAt < throttle.until) violations.push(req);
		const { query, variables } = req.body as { query?: unknown; variables?: Record<string, unknown> };
		if (typeof query !== 'string')
			return json(400, {
				errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }],
			});
		let document;
		try {
			document = parse(query);
		} catch (error) {
			return json(400, {
				errors: [{ message: (error as Error).message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
			});
		}
		const invalid = validate(schema, document);
		if (invalid.length)
			return json(400, {
				errors: invalid.map((e) => ({ message: e.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
			});
		if (scopes) {
			for (const field of rootFields(req)) {
				const needs = NEEDS[field] ?? [['admin']];
				if (!needs.some((set) => set.every((s) => scopes.includes(s)))) {
					return json(400, {
						errors: [
							linearError(
								`Invalid scope: \`${needs[0].join(', ')}\` required`,
								'FORBIDDEN',
								403,
							).toJSON(),
						],
					});
				}
			}
		}
		const result = await graphql({ schema, source: query, rootValue: root, variableValues: variables ?? {} });
		const headers = ratelimitHeaders(1499, Date.now() + 3_600_000);
		if (!result.errors) return json(200, result, headers);
		// Variable coercion failures are request errors (400, no data); resolver errors come with status 200 or
		// Linear's own status.
		const status = result.data === undefined ? 400 : 200;
		return json(status, { ...result, errors: result.errors.map((e) => e.toJSON()) }, headers);
	});

	function rootFields(req: FakeRequest): string[] {
		const document = parse(String(req.body.query));
		return document.definitions.flatMap((d) =>
			d.kind === 'OperationDefinition'
				? d.selectionSet.selections.flatMap((s) => (s.kind === 'Field' ? [s.name.value] : []))
				: [],
		);
	}

	async function deliver(
		webhook: LinearWebhook,
		payload: Record<string, unknown>,
		opts: { signature?: 'valid' | 'none' | 'wrong'; timestamp?: number } = {},
	) {
		const body = JSON.stringify(
			opts.timestamp !== undefined ? { ...payload, webhookTimestamp: opts.timestamp } : payload,
		);
		const secret = opts.signature === 'wrong' ? 'not-the-webhook-secret' : webhook.secret;
		const signature = createHmac('sha256', secret).update(body).digest('hex');
		const response = await fetch(webhook.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json; charset=utf-8',
				'user-agent': 'Linear-Webhook',
				'linear-delivery': randomUUID(),
				'linear-event': String(payload.type ?? 'Issue'),
				...(opts.signature === 'none' ? {} : { 'linear-signature': signature }),
			},
			body,
		});
		return { status: response.status, body: await response.text() };
	}

	return Object.assign(fake, {
		apiKey,
		team,
		states,
		viewer,
		issues,
		comments,
		webhooks,
		createdWebhooks,
		deliveries,
		violations,
		grant(scopes: string[]) {
			const token = `lin_oauth_${randomBytes(16).toString('hex')}`;
			tokens.set(token, scopes);
			return token;
		},
		throttleNext(count: number, resetMs: number) {
			throttle = { count, resetMs, until: 0 };
		},
		async createIssue(title: string) {
			const issue = newIssue(title);
			await notify('create', issue);
			return issue;
		},
		async updateIssue(id: string, change: { stateId?: string; title?: string }) {
			const issue = findIssue(id);
			await notify('update', issue, changeIssue(issue, change));
			return issue;
		},
		deliver,
		calls: (field: string) =>
			fake.requests.filter(
				(r) =>
					r.path === '/graphql' &&
					typeof r.body.query === 'string' &&
					new RegExp(`\\b${field}\\s*[({]`).test(r.body.query),
			),
	});
}

/** Linear's rate-limit headers: the hourly request budget and when it resets (epoch ms). */
function ratelimitHeaders(remaining: number, resetAt: number): Record<string, string> {
	return {
		'x-ratelimit-requests-limit': '1500',
		'x-ratelimit-requests-remaining': String(remaining),
		'x-ratelimit-requests-reset': String(resetAt),
	};
}
