/**
 * The Trello nodes inside a real n8n against a loopback Trello: key and token as query
 * parameters, create / move / add member and the due-soon search, Trello's plain-text errors,
 * webhook triggers that subscribe through POST /1/webhooks (answering Trello's HEAD check) and
 * verify X-Trello-Webhook (HMAC-SHA1 of body + callback URL), and the due-date polling trigger.
 */
import { join } from 'node:path';
import type { WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startTrello, type TrelloFake, type TrelloWebhook } from '../fakes/trello';
import { waitFor } from '../triggers/wait';
import { Coverage } from './coverage';
import { CatalogRun, publishAndPoll, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Trello/trello.integration.yaml'));
const credentials = { rillsTrelloApi: { id: 'trelloKey', name: 'Trello key' } };
let trello: TrelloFake;
let catalog: CatalogRun;

const node = (name: string, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode => ({
	name,
	type: 'CUSTOM.trello',
	parameters: { authentication: 'apiKey', resource: 'card', ...parameters },
	credentials,
	...extra,
});
const api = (method: string, path: string | RegExp) =>
	trello.requests.filter(
		(r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
	);

beforeAll(async () => {
	trello = await startTrello();
	catalog = await CatalogRun.create();
	catalog.secrets.push(trello.key, trello.token, trello.secret);
	await catalog.n8n.importCredentials([
		{
			id: 'trelloKey',
			name: 'Trello key',
			type: 'rillsTrelloApi',
			data: { apiUrl: trello.url, apiKey: trello.key, token: trello.token, webhookSecret: trello.secret },
		},
	]);
});

afterAll(() => shutDown(undefined, catalog, trello));

beforeEach(() => trello.requests.splice(0));

describe('actions', () => {
	it('creates a card, moves it to another list and adds a member, in one workflow', async () => {
		const due = new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();
		const [lists, [ada, grace]] = [trello.board.lists, trello.members];
		const execution = await catalog.run(
			node('Create', {
				operation: 'create',
				idList: lists[0],
				additionalFields: { name: 'Ship catalog', desc: 'Four services', due, pos: 'top', idMembers: ada.id },
			}),
			// Create holds a plain list ID, as workflows saved before List was a resource locator; Move picked it.
			node('Move', {
				operation: 'move',
				id: '={{ $json.id }}',
				idList: { __rl: true, mode: 'list', value: lists[2], cachedResultName: 'Done' },
			}),
			node('Add Member', { operation: 'addMember', id: "={{ $('Create').item.json.id }}", value: grace.id }),
		);
		expect(execution.error).toBeUndefined();
		const [create] = api('POST', '/1/cards');
		expect(Object.fromEntries(create.query)).toEqual({
			key: trello.key,
			token: trello.token,
			idList: lists[0],
			name: 'Ship catalog',
			desc: 'Four services',
			due,
			pos: 'top',
			idMembers: ada.id,
		});
		const id = execution.output.Create[0].id as string;
		expect(execution.output.Create[0]).toMatchObject({
			name: 'Ship catalog',
			idList: lists[0],
			idMembers: [ada.id],
			due,
		});
		coverage.ran('card:create');

		const [move] = api('PUT', `/1/cards/${id}`);
		expect(move.query.get('idList')).toBe(lists[2]);
		expect(execution.output.Move[0]).toMatchObject({ id, idList: lists[2] });
		coverage.ran('card:move');

		const [member] = api('POST', `/1/cards/${id}/idMembers`);
		expect(member.query.get('value')).toBe(grace.id);
		expect(execution.output['Add Member']).toEqual([ada, grace]);
		coverage.ran('card:addMember');
	});

	it('gets open cards due within a day through search, and Trello’s plain-text 400 reaches the error', async () => {
		const execution = await catalog.run(
			node('Due', { operation: 'getDueSoon', query: 'due:day is:open', returnAll: true }),
		);
		expect(execution.output.Due.map((c) => c.name)).toEqual(['Due in 3 hours']);
		const [search] = api('GET', '/1/search');
		expect(Object.fromEntries(search.query)).toMatchObject({
			query: 'due:day is:open',
			modelTypes: 'cards',
			cards_limit: '1000',
			card_fields: 'id,name,due,dueComplete,idBoard,idList,shortUrl',
		});
		coverage.ran('card:getDueSoon');

		const failed = await catalog.run(node('Create', { operation: 'create', idList: 'f'.repeat(24) }));
		expect(failed.error?.message).toBe('Trello rejected the request (400)');
		expect(failed.error?.description).toContain('Trello said: invalid value for idList');
	});
});

describe('triggers in n8n start', () => {
	let server: N8nServer;
	let created: string;
	let moved: string;
	let dueSoon: string;
	const webhookNode = (trigger: string, webhookId: string): WorkflowNode => ({
		name: 'Trello Trigger',
		type: 'CUSTOM.trelloTrigger',
		webhookId,
		parameters: { authentication: 'apiKey', trigger, idModel: trello.board.id },
		credentials,
	});
	const hookFor = (description: string) =>
		waitFor(`the ${description} webhook`, () =>
			[...trello.webhooks.values()].find((w) => w.description === description),
		);
	const action = (type: string, data: Record<string, unknown>) => ({
		id: 'a'.repeat(24),
		type,
		date: new Date().toISOString(),
		data,
		memberCreator: { id: trello.members[0].id },
	});

	beforeAll(async () => {
		created = await catalog.n8n.importWorkflow({
			name: 'Trello card created',
			nodes: [webhookNode('cardCreated', '7b0f3c55-9a51-4d7e-a3c0-77e11000c001')],
			connections: {},
		});
		moved = await catalog.n8n.importWorkflow({
			name: 'Trello card moved',
			nodes: [webhookNode('cardMoved', '7b0f3c55-9a51-4d7e-a3c0-77e11000c002')],
			connections: {},
		});
		dueSoon = await catalog.pollingWorkflow('Trello Due Soon', {
			name: '',
			type: 'CUSTOM.trelloPollingTrigger',
			parameters: {
				authentication: 'apiKey',
				event: 'dueSoon',
				query: 'due:day is:open',
				firstPoll: 'latest',
				firstPollCount: 100,
			},
			credentials,
		});
		server = await N8nServer.start(catalog.n8n);
	});

	afterAll(async () => {
		if (server) catalog.logs.push(server.log);
		await server?.stop();
	});

	it('publishing subscribes the board through POST /1/webhooks after Trello’s HEAD check; only signed deliveries of created cards start the workflow; unpublishing deletes the webhook', async () => {
		await server.activate(created);
		const hook = await hookFor('n8n: card created');
		const [subscribe] = api('POST', '/1/webhooks');
		expect(subscribe.query.get('key')).toBe(trello.key);
		expect(subscribe.body).toEqual({
			callbackURL: hook.callbackURL,
			idModel: trello.board.id,
			description: 'n8n: card created',
		});
		expect(hook.callbackURL.startsWith(`${server.url}/webhook/`)).toBe(true);
		expect(trello.callbackChecks).toEqual([{ url: hook.callbackURL, status: 200 }]);

		const createCard = action('createCard', {
			card: { id: 'c'.repeat(24), name: 'From Trello' },
			list: { id: trello.board.lists[0] },
		});
		expect((await trello.deliver(hook, createCard, { signature: 'none' })).status).toBe(401);
		expect((await trello.deliver(hook, createCard, { signature: 'wrong' })).status).toBe(401);
		expect((await trello.deliver(hook, action('addMemberToCard', { card: { id: 'c'.repeat(24) } }))).status).toBe(
			200,
		);
		expect((await trello.deliver(hook, createCard)).status).toBe(200);
		const executions = await triggerExecutions(server, created, 1);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await server.executions(created)).toHaveLength(1);
		expect(executions[0].output['Trello Trigger']).toEqual([expect.objectContaining({ action: createCard })]);
		coverage.ran('trigger:cardCreated');

		await server.deactivate(created);
		await waitFor('the webhook to be deleted', () => (trello.webhooks.has(hook.id) ? undefined : true));
		expect(api('DELETE', `/1/webhooks/${hook.id}`)).toHaveLength(1);
	});

	it('Card Moved starts only for updateCard deliveries that carry listAfter', async () => {
		await server.activate(moved);
		const hook: TrelloWebhook = await hookFor('n8n: card moved');
		const renamed = action('updateCard', {
			card: { id: 'd'.repeat(24), name: 'New name' },
			old: { name: 'Old name' },
		});
		const move = action('updateCard', {
			card: { id: 'd'.repeat(24), idList: trello.board.lists[1] },
			listBefore: { id: trello.board.lists[0], name: 'To do' },
			listAfter: { id: trello.board.lists[1], name: 'Doing' },
		});
		expect((await trello.deliver(hook, renamed)).status).toBe(200);
		expect((await trello.deliver(hook, move)).status).toBe(200);
		const executions = await triggerExecutions(server, moved, 1);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await server.executions(moved)).toHaveLength(1);
		expect((executions[0].output['Trello Trigger'][0] as { action: unknown }).action).toEqual(move);
		coverage.ran('trigger:cardMoved');
	});

	it('Due Date Approaching emits the open cards due within a day, then only a card that comes due later', async () => {
		const searches = () => api('GET', '/1/search').length;
		await publishAndPoll(server, dueSoon, searches, 1);
		const first = await triggerExecutions(server, dueSoon, 1);
		expect(first[0].output['Trello Due Soon'].map((c) => c.name)).toEqual(['Due in 3 hours']);
		trello.cards.push({
			...trello.cards[0],
			id: 'e'.repeat(24),
			name: 'Due in 5 hours',
			due: new Date(Date.now() + 5 * 3_600_000).toISOString(),
		});
		await publishAndPoll(server, dueSoon, searches, 1, true);
		const all = await triggerExecutions(server, dueSoon, 2);
		expect(all[1].output['Trello Due Soon'].map((c) => c.name)).toEqual(['Due in 5 hours']);
		expect(trello.violations).toEqual([]);
		coverage.ran('trigger:dueSoon');
	});

	it('Board lists the open boards with their links; List offers the lists of the board chosen, by ID or by URL', async () => {
		const picker = (methodName: string, path: string, parameters: Record<string, unknown>) =>
			server.listSearch({
				nodeType: 'CUSTOM.trello',
				methodName,
				path,
				parameters: { authentication: 'apiKey', resource: 'card', ...parameters },
				credentials,
			});
		const [launch, roadmap] = trello.boards;
		const boards = await picker('board', 'additionalFields.board', { operation: 'create' });
		expect(boards).toEqual({
			results: [
				{ name: 'Launch', value: launch.id, url: 'https://trello.com/b/LnCh0001' },
				{ name: 'Roadmap', value: roadmap.id, url: 'https://trello.com/b/RdMp0002' },
			],
		});
		const [read] = api('GET', '/1/members/me/boards');
		expect(Object.fromEntries(read.query)).toMatchObject({ key: trello.key, token: trello.token, filter: 'open' });

		const lists = async (board: unknown, operation = 'create', field = 'board') =>
			(
				await picker(operation === 'create' ? 'idList' : 'idList2', 'idList', {
					operation,
					additionalFields: { [field]: board },
				})
			).results.map((l) => l.name);
		expect(await lists({ __rl: true, mode: 'list', value: launch.id })).toEqual(['To Do', 'Doing', 'Done']);
		expect(await lists({ __rl: true, mode: 'url', value: 'https://trello.com/b/RdMp0002/roadmap' })).toEqual([
			'Next',
		]);
		expect(await lists({ __rl: true, mode: 'id', value: roadmap.id }, 'move', 'idBoard')).toEqual(['Next']);
		expect(api('GET', /^\/1\/boards\/.+\/lists$/).map((r) => r.path)).toEqual([
			`/1/boards/${launch.id}/lists`,
			'/1/boards/RdMp0002/lists',
			`/1/boards/${roadmap.id}/lists`,
		]);
		await expect(lists(undefined)).rejects.toThrow(/Choose \\"board\\" first/);
	});
});

it('every operation and trigger ran, and no key, token or secret appeared in any log', () => {
	expect(catalog.leaks()).toEqual([]);
	expect(coverage.missing()).toEqual([]);
});

it("answered as Trello's description says", () => {
	expect(trello.drift).toEqual([]);
});
