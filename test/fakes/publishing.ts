/**
 * The two services of the Content Publishing use case that are outside the catalog, as the
 * workflow meets them through n8n's own nodes: WordPress's REST API (application passwords over
 * Basic auth, `POST /wp-json/wp/v2/posts`) and X's API v2 (`POST /2/tweets` with an OAuth2 user
 * token, at most 280 characters). Each refuses what the real one refuses.
 */
import { randomUUID } from 'node:crypto';
import { bearer } from './hooks';
import { json, startFake, type FakeService } from './server';

export interface WordPressFake extends FakeService {
	username: string;
	applicationPassword: string;
	posts: Array<{ id: number; title: string; content: string; status: string; link: string }>;
}

export async function startWordPress(): Promise<WordPressFake> {
	const username = 'editor';
	const applicationPassword = 'abcd EFGH 1234 ijkl MNOP 5678';
	const posts: WordPressFake['posts'] = [];
	const expected = `Basic ${Buffer.from(`${username}:${applicationPassword}`).toString('base64')}`;
	const fake = await startFake((req) => {
		if (req.path !== '/wp-json/wp/v2/posts' || req.method !== 'POST')
			return json(404, {
				code: 'rest_no_route',
				message: 'No route was found matching the URL and request method.',
				data: { status: 404 },
			});
		if (req.headers.authorization !== expected)
			return json(401, {
				code: 'rest_not_logged_in',
				message: 'You are not currently logged in.',
				data: { status: 401 },
			});
		const { title, content, status = 'draft' } = req.body as { title?: string; content?: string; status?: string };
		if (!title && !content)
			return json(400, {
				code: 'empty_content',
				message: 'Content, title, and excerpt are empty.',
				data: { status: 400 },
			});
		if (!['publish', 'future', 'draft', 'pending', 'private'].includes(status))
			return json(400, {
				code: 'rest_invalid_param',
				message: 'Invalid parameter(s): status',
				data: { status: 400 },
			});
		const id = 100 + posts.length + 1;
		const post = { id, title: title ?? '', content: content ?? '', status, link: `${fake.url}/?p=${id}` };
		posts.push(post);
		return json(201, {
			id,
			status,
			link: post.link,
			title: { rendered: post.title },
			content: { rendered: post.content, protected: false },
		});
	});
	return Object.assign(fake, { username, applicationPassword, posts });
}

export interface XFake extends FakeService {
	accessToken: string;
	tweets: Array<{ id: string; text: string }>;
}

export async function startX(): Promise<XFake> {
	const accessToken = `x-user-token-${randomUUID()}`;
	const tweets: XFake['tweets'] = [];
	const fake = await startFake((req) => {
		if (req.path !== '/2/tweets' || req.method !== 'POST')
			return json(404, {
				title: 'Not Found Error',
				detail: `Could not find ${req.path}`,
				type: 'https://api.twitter.com/2/problems/resource-not-found',
			});
		if (bearer(req) !== accessToken)
			return json(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
		const text = (req.body as { text?: unknown }).text;
		if (typeof text !== 'string' || !text)
			return json(400, {
				errors: [{ message: '$.text: is missing but it is required' }],
				title: 'Invalid Request',
				type: 'https://api.twitter.com/2/problems/invalid-request',
			});
		if ([...text].length > 280)
			return json(403, {
				detail: 'You are not allowed to create a Tweet with more than 280 characters.',
				type: 'about:blank',
				title: 'Forbidden',
				status: 403,
			});
		const tweet = { id: String(1_800_000_000_000_000_000n + BigInt(tweets.length + 1)), text };
		tweets.push(tweet);
		return json(201, { data: { id: tweet.id, text, edit_history_tweet_ids: [tweet.id] } });
	});
	return Object.assign(fake, { accessToken, tweets });
}
