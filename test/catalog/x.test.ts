/**
 * The X node inside a real n8n against a loopback X API v2: a PKCE OAuth2 user token posts, replies
 * to its post with reply settings, and checks the connection on /2/users/me; a token without
 * tweet.write fails naming the scope without a call; X's refusal of the same text twice reaches the
 * error in X's words.
 */
import { join } from 'node:path';
import type { WorkflowNode } from '../../scripts/harness/n8n';
import { startX, type XFake } from '../fakes/x';
import { Coverage } from './coverage';
import { CatalogRun, importConnected, shutDown } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/X/x.integration.yaml'));
const poster = { rillsXPkceOAuth2Api: { id: 'poster', name: 'poster' } };
const reader = { rillsXPkceOAuth2Api: { id: 'reader', name: 'reader' } };
let x: XFake;
let catalog: CatalogRun;
const node = (name: string, parameters: Record<string, unknown>, credentials = poster): WorkflowNode => ({
	name,
	type: 'CUSTOM.x',
	executeOnce: true,
	parameters,
	credentials,
});
const posts = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');

beforeAll(async () => {
	x = await startX();
	catalog = await CatalogRun.create();
	const connect = async (id: string, scopes: string[]) => {
		const token = x.issueToken(scopes);
		catalog.secrets.push(token);
		await importConnected(catalog.n8n, {
			id,
			type: 'rillsXPkceOAuth2Api',
			token,
			scopes,
			data: { apiUrl: x.url, clientId: 'TnpxQ2x5c1FzZ0x0a1E6MTpjaQ', clientSecret: '' },
		});
	};
	await connect('poster', ['tweet.read', 'tweet.write', 'users.read', 'offline.access']);
	await connect('reader', ['tweet.read', 'users.read', 'offline.access']);
});

afterAll(() => shutDown(undefined, catalog, x));

it('posts, replies to the post with reply settings, and checks the connection', async () => {
	const link = 'https://blog.example.com/2026/12/07/launch-week-recap/';
	const execution = await catalog.run(
		node('Post', { resource: 'post', operation: 'create', text: `New on the blog: Launch week recap ${link}` }),
		node('Reply', {
			resource: 'post',
			operation: 'create',
			text: 'Questions? Reply here.',
			additionalFields: { replyInReplyToTweetId: '={{ $json.id }}', replySettings: 'following' },
		}),
		node('Check', { resource: 'connection', operation: 'check' }),
	);
	expect(execution.error).toBeUndefined();
	const [first, reply] = posts();
	expect(first.headers.authorization).toMatch(/^Bearer /);
	expect(first.body).toEqual({ text: `New on the blog: Launch week recap ${link}` });
	expect(execution.output.Post).toEqual([
		{ id: x.tweets[0].id, text: x.tweets[0].text, edit_history_tweet_ids: [x.tweets[0].id] },
	]);
	expect(reply.body).toEqual({
		text: 'Questions? Reply here.',
		reply: { in_reply_to_tweet_id: x.tweets[0].id },
		reply_settings: 'following',
	});
	expect(x.tweets[1]).toMatchObject({ in_reply_to: x.tweets[0].id, reply_settings: 'following' });
	coverage.ran('post:create');
	expect(execution.output.Check[0]).toMatchObject({ status: 'ok', httpStatus: 200 });
});

it('a token without tweet.write cannot post (named scope, no call); the same text twice is refused in X’s words', async () => {
	const before = posts().length;
	const denied = await catalog.run(node('Post', { resource: 'post', operation: 'create', text: 'Hi' }, reader));
	expect(denied.error?.message).toBe('"reader" was not granted the scope tweet.write that this operation needs');
	expect(posts()).toHaveLength(before);
	const duplicate = await catalog.run(
		node('Post', { resource: 'post', operation: 'create', text: 'Questions? Reply here.' }),
	);
	expect(duplicate.error?.description).toContain('You are not allowed to create a Tweet with duplicate content.');
});

it('every operation ran, and no token appeared in any log', () => {
	expect(catalog.leaks()).toEqual([]);
	expect(coverage.missing()).toEqual([]);
});

it('answered as the Twitter API v2 description says', () => {
	expect(x.drift).toEqual([]);
});
