/**
 * The WordPress REST API v2 posts routes on loopback (https://developer.wordpress.org/rest-api/reference/posts/),
 * under a site's `/wp-json/wp/v2`: Basic auth with a user's application password (WordPress
 * ignores the spaces it shows the password with) or a WordPress.com OAuth2 bearer token, the
 * user's capabilities (a contributor may write drafts but not publish), `POST /posts` to create,
 * `POST /posts/<id>` to update (WordPress takes POST, PUT and PATCH there), `GET /users/me`, and
 * WordPress's errors (`{ code, message, data: { status, params } }`). A published post gets a
 * slug and a pretty permalink; a draft's link is `?p=<id>`. Posts come back in the `edit` context,
 * with raw and rendered fields.
 */
import { randomBytes } from 'node:crypto';
import { bearer } from './hooks';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export const WP_PATH = '/wp-json/wp/v2';

interface User {
	id: number;
	name: string;
	slug: string;
	/** `editor` publishes; `contributor` only writes drafts and pending posts. */
	role: 'editor' | 'contributor';
	applicationPassword: string;
}

export interface WordPressPost {
	id: number;
	author: number;
	title: string;
	content: string;
	excerpt: string;
	status: string;
	slug: string;
	date: string;
	modified: string;
	link: string;
	categories: number[];
	tags: number[];
	comment_status: string;
	format: string;
}

export interface WordPressFake extends FakeService {
	/** The REST API root (the credential's REST API URL). */
	apiUrl: string;
	editor: User;
	contributor: User;
	posts: WordPressPost[];
	/** A WordPress.com OAuth2 token acting as the editor. */
	issueToken(): string;
}

const STATUSES = ['publish', 'future', 'draft', 'pending', 'private'];
const FORMATS = ['standard', 'aside', 'chat', 'gallery', 'link', 'image', 'quote', 'status', 'video', 'audio'];
const error = (status: number, code: string, message: string, params?: Record<string, string>): FakeResponse =>
	json(status, { code, message, data: { status, ...(params ? { params } : {}) } });

export async function startWordPress(): Promise<WordPressFake> {
	const editor: User = {
		id: 2,
		name: 'Eddie Editor',
		slug: 'editor',
		role: 'editor',
		applicationPassword: 'abcd EFGH 1234 ijkl MNOP 5678',
	};
	const contributor: User = {
		id: 3,
		name: 'Cora Contributor',
		slug: 'contributor',
		role: 'contributor',
		applicationPassword: 'QRST uvwx 9012 YZab cdef 3456',
	};
	const users = [editor, contributor];
	const tokens = new Map<string, User>();
	const posts: WordPressPost[] = [];
	let site = '';

	function authenticate(req: FakeRequest): User | FakeResponse | undefined {
		const token = bearer(req);
		if (token) return tokens.get(token) ?? error(401, 'rest_forbidden', 'Sorry, you are not allowed to do that.');
		const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		if (!basic) return undefined;
		const decoded = Buffer.from(basic, 'base64').toString();
		const [login, password] = [decoded.slice(0, decoded.indexOf(':')), decoded.slice(decoded.indexOf(':') + 1)];
		const user = users.find((u) => u.slug === login);
		if (!user) return error(401, 'invalid_username', 'Unknown username. Check again or try your email address.');
		const plain = (p: string) => p.replace(/[^a-z\d]/gi, '');
		if (plain(password) !== plain(user.applicationPassword))
			return error(401, 'incorrect_password', 'The provided password is an invalid application password.');
		return user;
	}

	/** Checks the fields WordPress validates and writes them into `post`; an error answer when one is invalid. */
	function apply(user: User, post: WordPressPost, body: Record<string, unknown>): FakeResponse | undefined {
		const invalid = (param: string, message: string) =>
			error(400, 'rest_invalid_param', `Invalid parameter(s): ${param}`, { [param]: message });
		if (body.status !== undefined && !STATUSES.includes(String(body.status)))
			return invalid('status', `status is not one of ${STATUSES.join(', ')}.`);
		if (body.format !== undefined && !FORMATS.includes(String(body.format)))
			return invalid('format', `format is not one of ${FORMATS.join(', ')}.`);
		if (body.comment_status !== undefined && !['open', 'closed'].includes(String(body.comment_status)))
			return invalid('comment_status', 'comment_status is not one of open and closed.');
		for (const key of ['categories', 'tags'])
			if (
				body[key] !== undefined &&
				(!Array.isArray(body[key]) || !(body[key] as unknown[]).every((v) => Number.isInteger(v)))
			)
				return invalid(key, `${key}[0] is not of type integer.`);
		for (const key of ['title', 'content', 'excerpt', 'slug'])
			if (body[key] !== undefined && typeof body[key] !== 'string')
				return invalid(key, `${key} is not of type object,string.`);
		const status = body.status === undefined ? post.status : String(body.status);
		if (['publish', 'future', 'private'].includes(status) && status !== post.status && user.role !== 'editor')
			return error(403, 'rest_cannot_publish', 'Sorry, you are not allowed to publish posts in this post type.');
		const now = new Date().toISOString().slice(0, 19);
		Object.assign(post, {
			...(body.title !== undefined ? { title: body.title } : {}),
			...(body.content !== undefined ? { content: body.content } : {}),
			...(body.excerpt !== undefined ? { excerpt: body.excerpt } : {}),
			...(body.slug !== undefined ? { slug: body.slug } : {}),
			...(body.date !== undefined ? { date: String(body.date).slice(0, 19) } : {}),
			...(body.categories !== undefined ? { categories: body.categories } : {}),
			...(body.tags !== undefined ? { tags: body.tags } : {}),
			...(body.comment_status !== undefined ? { comment_status: body.comment_status } : {}),
			...(body.format !== undefined ? { format: body.format } : {}),
			status,
			modified: now,
		});
		if (status === 'publish') {
			post.slug ||= slugOf(post.title) || String(post.id);
			const [y, m, d] = post.date.slice(0, 10).split('-');
			post.link = `${site}/${y}/${m}/${d}/${post.slug}/`;
		}
		return undefined;
	}

	const view = (post: WordPressPost) => ({
		id: post.id,
		date: post.date,
		date_gmt: post.date,
		guid: { rendered: `${site}/?p=${post.id}`, raw: `${site}/?p=${post.id}` },
		modified: post.modified,
		modified_gmt: post.modified,
		slug: post.slug,
		status: post.status,
		type: 'post',
		link: post.link,
		title: { raw: post.title, rendered: escape(post.title) },
		content: { raw: post.content, rendered: `${post.content}\n`, protected: false, block_version: 0 },
		excerpt: {
			raw: post.excerpt,
			rendered: post.excerpt ? `<p>${escape(post.excerpt)}</p>\n` : '',
			protected: false,
		},
		author: post.author,
		featured_media: 0,
		comment_status: post.comment_status,
		ping_status: 'open',
		sticky: false,
		template: '',
		format: post.format,
		meta: { footnotes: '' },
		categories: post.categories,
		tags: post.tags,
	});

	const fake = await startFake((req) => {
		const route = req.path.startsWith(WP_PATH) ? req.path.slice(WP_PATH.length) : undefined;
		const noRoute = error(404, 'rest_no_route', 'No route was found matching the URL and request method.');
		const auth = authenticate(req);
		if (auth && !('role' in auth)) return auth;
		const user = auth;
		if (route === '/users/me' && req.method === 'GET') {
			if (!user) return error(401, 'rest_not_logged_in', 'You are not currently logged in.');
			return json(200, { id: user.id, name: user.name, slug: user.slug, link: `${site}/author/${user.slug}/` });
		}
		const one = /^\/posts\/(\d+)$/.exec(route ?? '');
		if (route === '/posts' && req.method === 'POST') {
			if (!user)
				return error(401, 'rest_cannot_create', 'Sorry, you are not allowed to create posts as this user.');
			const { title, content, excerpt } = req.body as Record<string, unknown>;
			if (!title && !content && !excerpt)
				return error(400, 'empty_content', 'Content, title, and excerpt are empty.');
			const id = 100 + posts.length + 1;
			const now = new Date().toISOString().slice(0, 19);
			const post: WordPressPost = {
				id,
				author: user.id,
				title: '',
				content: '',
				excerpt: '',
				status: 'draft',
				slug: '',
				date: now,
				modified: now,
				link: `${site}/?p=${id}`,
				categories: [1],
				tags: [],
				comment_status: 'open',
				format: 'standard',
			};
			const invalid = apply(user, post, req.body);
			if (invalid) return invalid;
			posts.push(post);
			return json(201, view(post), { location: `${site}${WP_PATH}/posts/${id}` });
		}
		if (one && ['POST', 'PUT', 'PATCH'].includes(req.method)) {
			const post = posts.find((p) => p.id === Number(one[1]));
			if (!post) return error(404, 'rest_post_invalid_id', 'Invalid post ID.');
			if (!user) return error(401, 'rest_cannot_edit', 'Sorry, you are not allowed to edit this post.');
			if (user.role !== 'editor' && post.author !== user.id)
				return error(403, 'rest_cannot_edit', 'Sorry, you are not allowed to edit this post.');
			const snapshot = { ...post };
			const invalid = apply(user, post, req.body);
			if (invalid) {
				Object.assign(post, snapshot);
				return invalid;
			}
			return json(200, view(post));
		}
		return noRoute;
	});
	site = fake.url;
	return Object.assign(fake, {
		apiUrl: `${fake.url}${WP_PATH}`,
		editor,
		contributor,
		posts,
		issueToken() {
			const token = randomBytes(32).toString('base64url');
			tokens.set(token, editor);
			return token;
		},
	});
}

/** WordPress's sanitize_title for plain titles: lower case, words joined by hyphens. */
function slugOf(title: string): string {
	return title
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

function escape(text: string): string {
	return text.replace(/&/g, '&#038;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
