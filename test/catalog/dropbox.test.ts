/**
 * The Dropbox nodes inside a real n8n against a loopback Dropbox (RPC and content hosts): a PKCE
 * OAuth2 token with scopes, an upload of n8n binary data with Dropbox-API-Arg to the content
 * host, create folder, shared link, list_folder paged through list_folder/continue with the cursor
 * in the body, 429 Retry-After waited out, a missing scope, and the New File / Folder Created polls.
 */
import { join } from 'node:path';
import type { WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startDropbox, type DropboxFake } from '../fakes/dropbox';
import { Coverage } from './coverage';
import { CatalogRun, publishAndPoll, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/Dropbox/dropbox.integration.yaml'));
const full = { rillsDropboxPkceOAuth2Api: { id: 'dropboxFull', name: 'Dropbox full' } };
const metadataOnly = { rillsDropboxPkceOAuth2Api: { id: 'dropboxMeta', name: 'Dropbox metadata only' } };
const ALL_SCOPES = [
	'account_info.read',
	'files.metadata.read',
	'files.content.write',
	'files.content.read',
	'sharing.write',
];
let dropbox: DropboxFake;
let catalog: CatalogRun;
let fullToken: string;

const node = (
	name: string,
	resource: string,
	parameters: Record<string, unknown>,
	credentials: WorkflowNode['credentials'] = full,
): WorkflowNode => ({ name, type: 'CUSTOM.dropbox', parameters: { resource, ...parameters }, credentials });
const rpc = (path: string) => dropbox.requests.filter((r) => r.path === `/2/${path}`);

beforeAll(async () => {
	dropbox = await startDropbox();
	catalog = await CatalogRun.create();
	const credential = (id: string, name: string, scopes: string[]) => {
		const token = dropbox.grant(scopes);
		catalog.secrets.push(token);
		if (id === 'dropboxFull') fullToken = token;
		return {
			id,
			name,
			type: 'rillsDropboxPkceOAuth2Api',
			data: {
				apiUrl: dropbox.url,
				contentUrl: dropbox.content.url,
				clientId: 'dropbox-app-key',
				clientSecret: '',
				scope: scopes.join(' '),
				oauthTokenData: {
					access_token: token,
					refresh_token: `rt-${token.slice(-16)}`,
					token_type: 'bearer',
					scope: scopes.join(' '),
				},
			},
		};
	};
	await catalog.n8n.importCredentials([
		credential('dropboxFull', 'Dropbox full', ALL_SCOPES),
		credential('dropboxMeta', 'Dropbox metadata only', ['files.metadata.read']),
	]);
});

afterAll(() => shutDown(undefined, catalog, dropbox));

beforeEach(() => {
	dropbox.requests.splice(0);
	dropbox.content.requests.splice(0);
});

describe('actions', () => {
	it('uploads n8n binary data to the content host, creates a folder and a shared link, in one workflow', async () => {
		const execution = await catalog.run(
			{
				name: 'Make file',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: "return [{ json: {}, binary: { data: { data: Buffer.from('Quarterly numbers: 42').toString('base64'), mimeType: 'text/plain', fileName: 'q3.txt' } } }];",
				},
			},
			node('Upload', 'file', {
				operation: 'upload',
				binaryPropertyName: 'data',
				path: '/Reports/Überblick q3.txt',
				additionalFields: { mode: 'add', autorename: true },
			}),
			node('Folder', 'folder', { operation: 'create', path: '/Reports/2026' }),
			node('Share', 'sharedLink', {
				operation: 'create',
				path: "={{ $('Upload').item.json.path_display }}",
				additionalFields: { settingsRequestedVisibility: 'public' },
			}),
		);
		expect(execution.error).toBeUndefined();
		const [upload] = dropbox.content.requests;
		expect(upload.method).toBe('POST');
		expect(upload.headers['content-type']).toBe('application/octet-stream');
		expect(upload.headers.authorization).toMatch(/^Bearer sl\./);
		// Header-safe JSON: the Ü travels as \u00dc.
		expect(upload.headers['dropbox-api-arg']).toBe(
			'{"path":"/Reports/\\u00dcberblick q3.txt","mode":"add","autorename":true}',
		);
		expect(upload.rawBody).toBe('Quarterly numbers: 42');
		expect(execution.output.Upload[0]).toMatchObject({
			name: 'Überblick q3.txt',
			path_display: '/Reports/Überblick q3.txt',
			size: 21,
		});
		expect(dropbox.files.get('/reports/überblick q3.txt')).toBe('Quarterly numbers: 42');
		coverage.ran('file:upload');

		const [folder] = rpc('files/create_folder_v2');
		expect(folder.body).toEqual({ path: '/Reports/2026' });
		expect(execution.output.Folder[0]).toMatchObject({
			name: '2026',
			path_display: '/Reports/2026',
			id: expect.stringMatching(/^id:/),
		});
		coverage.ran('folder:create');

		const [share] = rpc('sharing/create_shared_link_with_settings');
		expect(share.body).toEqual({ path: '/Reports/Überblick q3.txt', settings: { requested_visibility: 'public' } });
		expect(execution.output.Share[0]).toMatchObject({
			'.tag': 'file',
			url: expect.stringMatching(/^https:\/\/www\.dropbox\.com\/scl\/fi\//),
			link_permissions: { resolved_visibility: { '.tag': 'public' } },
		});
		coverage.ran('sharedLink:create');
	});

	it('lists a folder recursively over list_folder and list_folder/continue (cursor in the body), waiting out a 429', async () => {
		dropbox.throttleNext(1, 1);
		const execution = await catalog.run(
			node('List', 'file', {
				operation: 'list',
				// Picked From List; the triggers hold the plain path of workflows saved before the picker.
				path: { __rl: true, mode: 'list', value: '/Reports', cachedResultName: '/Reports' },
				returnAll: true,
				additionalFields: { recursive: true },
			}),
		);
		expect(execution.error).toBeUndefined();
		const expected = dropbox.entries.filter((e) => e.path_lower.startsWith('/reports/')).map((e) => e.id);
		expect(execution.output.List.map((e) => e.id)).toEqual(expected);
		const first = rpc('files/list_folder');
		expect(first).toHaveLength(2);
		expect(first.every((r) => r.rawBody === '{"path":"/Reports","recursive":true}')).toBe(true);
		const more = rpc('files/list_folder/continue');
		expect(more).toHaveLength(Math.ceil(expected.length / 25) - 1);
		expect(more.every((r) => Object.keys(r.body).join() === 'cursor')).toBe(true);
		expect(dropbox.violations).toEqual([]);
		coverage.ran('file:list');
	});

	it('a token without files.content.write fails create folder naming the scope; Dropbox’s 409 path error reaches the error', async () => {
		const denied = await catalog.run(node('Folder', 'folder', { operation: 'create', path: '/x' }, metadataOnly));
		expect(denied.error?.message).toBe(
			'"Dropbox metadata only" was not granted the scope files.content.write that this operation needs',
		);
		expect(rpc('files/create_folder_v2')).toEqual([]);
		const conflict = await catalog.run(node('Folder', 'folder', { operation: 'create', path: '/Reports' }));
		expect(conflict.error?.message).toBe('Dropbox rejected the request (409)');
		expect(conflict.error?.description).toContain('path/conflict/folder');
		const check = await catalog.run({
			name: 'Check',
			type: 'CUSTOM.dropbox',
			parameters: { resource: 'connection', operation: 'check' },
			credentials: full,
		});
		expect(check.output.Check[0]).toMatchObject({ status: 'ok', httpStatus: 200 });
	});
});

describe('polling triggers in n8n start', () => {
	let server: N8nServer;
	let newFile: string;
	let folderCreated: string;
	const lists = () => rpc('files/list_folder').length;

	beforeAll(async () => {
		const trigger = (event: string): WorkflowNode => ({
			name: '',
			type: 'CUSTOM.dropboxPollingTrigger',
			parameters: { event, path: '/Reports', additionalFields: { recursive: true } },
			credentials: full,
		});
		newFile = await catalog.pollingWorkflow('New File', trigger('newFile'));
		folderCreated = await catalog.pollingWorkflow('Folder Created', trigger('folderCreated'));
		server = await N8nServer.start(catalog.n8n);
	});

	afterAll(async () => {
		if (server) catalog.logs.push(server.log);
		await server?.stop();
	});

	it('after first polls over every page that emit nothing, New File emits only new files and Folder Created only new folders', async () => {
		await publishAndPoll(server, newFile, lists, 1);
		await publishAndPoll(server, folderCreated, lists, 1);
		expect(rpc('files/list_folder/continue').length).toBeGreaterThanOrEqual(2);
		const file = dropbox.addFile('/Reports/Archive/new.pdf');
		const folder = dropbox.addFolder('/Reports/Inbox');
		dropbox.addFolder('/Elsewhere');

		await publishAndPoll(server, newFile, lists, 1, true);
		const files = await triggerExecutions(server, newFile, 1);
		expect(files[0].output['New File']).toEqual([file]);
		coverage.ran('trigger:newFile');

		await publishAndPoll(server, folderCreated, lists, 1, true);
		const folders = await triggerExecutions(server, folderCreated, 1);
		expect(folders[0].output['Folder Created']).toEqual([folder]);
		coverage.ran('trigger:folderCreated');
		expect(rpc('files/list_folder').every((r) => r.rawBody === '{"path":"/Reports","recursive":true}')).toBe(true);
	});

	it('Folder lists every folder over list_folder and list_folder/continue (POST, cursor in the body), in the action and the trigger', async () => {
		const picker = (nodeType: string, parameters: Record<string, unknown>, more = {}) =>
			server.listSearch({ nodeType, methodName: 'path', path: 'path', parameters, credentials: full, ...more });
		const folders = dropbox.entries
			.filter((e) => e['.tag'] === 'folder')
			.map((e) => ({ name: e.path_display, value: e.path_display }));
		const first = await picker('CUSTOM.dropbox', { resource: 'file', operation: 'list' });
		// Dropbox pages files and folders together: the first page holds one folder among its files.
		expect(first.results).toEqual(folders.slice(0, 1));
		const second = await picker(
			'CUSTOM.dropbox',
			{ resource: 'file', operation: 'list' },
			{ paginationToken: first.paginationToken },
		);
		expect([...first.results, ...second.results]).toEqual(folders);
		expect(second.paginationToken).toBeUndefined();
		// No search in list_folder: the page is filtered by path.
		const found = await picker('CUSTOM.dropboxPollingTrigger', { event: 'folderCreated' }, { filter: 'REPORTS' });
		expect(found.results).toEqual(folders.slice(0, 1));

		const listed = rpc('files/list_folder').filter((r) => r.body.path === '');
		expect(listed.map((r) => r.rawBody)).toEqual(Array(2).fill('{"path":"","recursive":true,"limit":2000}'));
		const continued = rpc('files/list_folder/continue').filter((r) => r.body.cursor === first.paginationToken);
		expect(continued.map((r) => [r.method, r.rawBody])).toEqual([
			['POST', JSON.stringify({ cursor: first.paginationToken })],
		]);
		expect([...listed, ...continued].every((r) => r.headers.authorization === `Bearer ${fullToken}`)).toBe(true);
	});
});

it('every operation and trigger ran, and no token appeared in any log', () => {
	expect(catalog.leaks()).toEqual([]);
	expect(coverage.missing()).toEqual([]);
});
