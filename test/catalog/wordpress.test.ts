/**
 * The WordPress node inside a real n8n against a loopback WordPress REST API: an editor's
 * application password over Basic auth creates a draft with HTML content, updates it and
 * publishes it (a slug and a permalink appear); a WordPress.com OAuth2 token creates a published
 * post; a contributor's draft cannot be published, with WordPress's own words; Connection → Check
 * reads /users/me.
 */
import { join } from 'node:path';
import type { WorkflowNode } from '../../scripts/harness/n8n';
import { startWordPress, WP_PATH, type WordPressFake } from '../fakes/wordpress';
import { Coverage } from './coverage';
import { actionNodes, CatalogRun, importConnected, shutDown, type CredentialRef } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/WordPress/wordPress.integration.yaml'));
const editor = { rillsWordPressBasicAuthApi: { id: 'wpEditor', name: 'wpEditor' } };
const contributor = { rillsWordPressBasicAuthApi: { id: 'wpContributor', name: 'wpContributor' } };
const wpcom = { rillsWordPressOAuth2Api: { id: 'wpcom', name: 'wpcom' } };
let wordpress: WordPressFake;
let catalog: CatalogRun;
const node = actionNodes('CUSTOM.wordPress', {
	rillsWordPressBasicAuthApi: 'basicAuth',
	rillsWordPressOAuth2Api: 'oAuth2',
});
const post = (
	name: string,
	operation: string,
	parameters: Record<string, unknown>,
	credentials: CredentialRef = editor,
): WorkflowNode => node(name, { resource: 'post', operation, ...parameters }, credentials);
const calls = (method: string, path: string) =>
	wordpress.requests.filter((r) => r.method === method && r.path === `${WP_PATH}${path}`);

beforeAll(async () => {
	wordpress = await startWordPress();
	catalog = await CatalogRun.create();
	const basic = (id: string, user: WordPressFake['editor']) => ({
		id,
		name: id,
		type: 'rillsWordPressBasicAuthApi',
		data: { apiUrl: wordpress.apiUrl, username: user.slug, password: user.applicationPassword },
	});
	await catalog.n8n.importCredentials([
		basic('wpEditor', wordpress.editor),
		basic('wpContributor', wordpress.contributor),
	]);
	const token = wordpress.issueToken();
	catalog.secrets.push(token, wordpress.editor.applicationPassword, wordpress.contributor.applicationPassword);
	await importConnected(catalog.n8n, {
		id: 'wpcom',
		type: 'rillsWordPressOAuth2Api',
		token,
		scopes: ['global'],
		data: { apiUrl: wordpress.apiUrl, clientId: '81234', clientSecret: 'wpcom-client-secret-93ab' },
	});
});

afterAll(() => shutDown(undefined, catalog, wordpress));

it('creates a draft with an application password, updates it, publishes it and checks the connection', async () => {
	const html = '<h2>What changed</h2>\n<ul><li>Faster sync</li></ul>';
	const execution = await catalog.run(
		post('Draft', 'create', {
			title: 'Launch week recap',
			additionalFields: { content: html, categories: '[4]', commentStatus: 'closed' },
		}),
		post('Update', 'update', {
			id: '={{ $json.id }}',
			additionalFields: { title: 'Launch week: the recap', excerpt: 'Five releases in five days' },
		}),
		post('Publish', 'publish', { id: "={{ $('Draft').item.json.id }}" }),
		node('Check', { resource: 'connection', operation: 'check' }, editor),
	);
	expect(execution.error).toBeUndefined();
	const [stored] = wordpress.posts;

	const [create] = calls('POST', '/posts');
	const expected = `Basic ${Buffer.from(`editor:${wordpress.editor.applicationPassword}`).toString('base64')}`;
	expect(create.headers.authorization).toBe(expected);
	expect(create.body).toEqual({
		title: 'Launch week recap',
		content: html,
		categories: [4],
		comment_status: 'closed',
	});
	expect(execution.output.Draft[0]).toMatchObject({
		id: stored.id,
		status: 'draft',
		link: `${wordpress.url}/?p=${stored.id}`,
		content: { raw: html },
	});
	coverage.ran('post:create');

	const [update, publish] = calls('POST', `/posts/${stored.id}`);
	expect(update.body).toEqual({ title: 'Launch week: the recap', excerpt: 'Five releases in five days' });
	expect(execution.output.Update[0]).toMatchObject({ status: 'draft', title: { raw: 'Launch week: the recap' } });
	coverage.ran('post:update');

	expect(publish.body).toEqual({ status: 'publish' });
	const day = stored.date.slice(0, 10).replace(/-/g, '/');
	expect(execution.output.Publish[0]).toMatchObject({
		status: 'publish',
		slug: 'launch-week-the-recap',
		link: `${wordpress.url}/${day}/launch-week-the-recap/`,
		content: { raw: html },
		categories: [4],
	});
	coverage.ran('post:publish');

	expect(calls('GET', '/users/me')).toHaveLength(1);
	expect(execution.output.Check[0]).toMatchObject({ status: 'ok', httpStatus: 200 });
});

it('a WordPress.com OAuth2 token publishes at once; a contributor cannot publish, in WordPress’s words', async () => {
	const execution = await catalog.run(
		post('Post', 'create', { title: 'Straight out', additionalFields: { status: 'publish' } }, wpcom),
		post('Draft', 'create', { title: 'Guest post' }, contributor),
		post('Publish', 'publish', { id: '={{ $json.id }}' }, contributor),
	);
	const [published, guest] = wordpress.posts.slice(-2);
	expect(calls('POST', '/posts').at(-2)!.headers.authorization).toMatch(/^Bearer /);
	expect(execution.output.Post[0]).toMatchObject({ id: published.id, status: 'publish', slug: 'straight-out' });
	expect(guest).toMatchObject({ author: wordpress.contributor.id, status: 'draft' });
	expect(execution.error?.message).toBe(
		'WordPress refused access: "wpContributor" lacks the permission or scope this operation needs',
	);
	expect(execution.error?.description).toContain('Sorry, you are not allowed to publish posts in this post type.');
	expect(guest.status).toBe('draft');
});

it('every operation ran, and no password or token appeared in any log', () => {
	expect(catalog.leaks()).toEqual([]);
	expect(coverage.missing()).toEqual([]);
});
