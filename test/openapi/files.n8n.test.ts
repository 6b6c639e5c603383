/**
 * Files in a real n8n: multipart and binary request bodies take them from the binary data of the
 * input item (made here by a Code node) and reach a loopback server as the spec describes them;
 * file responses come back as binary data.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { N8nInstance, type Execution } from '../../scripts/harness/n8n';
import { importSpec } from '../../scripts/openapi/import';
import { buildPackage } from '../../scripts/harness/package-build';
import { startFake, type FakeService } from '../fakes/server';
import { FIXTURES, freshFolder } from './helpers';

let OUT: string;
let n8n: N8nInstance;
let api: FakeService;
let execution: Execution;

beforeAll(async () => {
	OUT = freshFolder('files');
	const { integration } = await importSpec(join(FIXTURES, 'files.yaml'), {
		overlay: { spec: 'files.yaml', baseUrl: '{server}', config: [{ name: 'server' }] },
	});
	buildPackage(OUT, integration!, 'n8n-nodes-files', 'files.yaml');
	spawnSync(process.execPath, ['copy-assets.js'], { cwd: OUT });
	api = await startFake((req) =>
		req.method === 'GET'
			? {
					headers: {
						'content-type': 'application/pdf',
						'content-disposition': 'attachment; filename="report.pdf"',
					},
					body: '%PDF-1.7 fake',
				}
			: { status: req.method === 'POST' ? 201 : 200, body: { received: req.rawBody.length } },
	);
	n8n = await N8nInstance.create({ extensions: [join(OUT, 'dist')] });
	// Runs go through one `n8n start` rather than an n8n boot per import and execute.
	await N8nServer.start(n8n);
	await n8n.importCredentials([{ id: 'files', name: 'Files', type: 'filesFilesApi', data: { server: api.url } }]);
	const files = { filesFilesApi: { id: 'files', name: 'Files' } };
	const nodes = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
		{
			name: 'Make files',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode: `return [{ json: {}, binary: {
					data: { data: Buffer.from('hello, "world"').toString('base64'), mimeType: 'text/plain', fileName: 'note.txt' },
					avatar: { data: Buffer.from('PNG-bytes-0123').toString('base64'), mimeType: 'image/png', fileName: 'me.png' },
				} }];`,
			},
		},
		{
			name: 'Upload',
			type: 'CUSTOM.files',
			credentials: files,
			parameters: {
				resource: 'documents',
				operation: 'uploadDocument',
				file: 'data',
				additionalFields: { title: 'Notes', pages: 2 },
			},
		},
		{
			name: 'Avatar',
			type: 'CUSTOM.files',
			credentials: files,
			parameters: {
				resource: 'avatars',
				operation: 'setAvatar',
				userId: 'u1',
				binaryPropertyName: '={{ "avatar" }}',
			},
		},
		{
			name: 'Download',
			type: 'CUSTOM.files',
			credentials: files,
			parameters: { resource: 'documents', operation: 'downloadDocument', documentId: 'd1' },
		},
		{
			name: 'Order',
			type: 'CUSTOM.files',
			credentials: files,
			parameters: {
				resource: 'orders',
				operation: 'create',
				lines: {
					entries: [
						{ sku: 'A-1', quantity: 2, gift: false },
						{ sku: 'B-2', quantity: 1, gift: true },
					],
				},
			},
		},
		{
			name: 'Read file',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode: `const b = $input.first().binary.data; const text = (await this.helpers.getBinaryDataBuffer(0, 'data')).toString(); return [{ json: { text, mimeType: b.mimeType, fileName: b.fileName } }];`,
			},
		},
	];
	// Both nodes read the files the Code node made.
	const to = (...names: string[]) => ({ main: [names.map((node) => ({ node, type: 'main', index: 0 }))] });
	execution = await n8n.execute(
		await n8n.importWorkflow({
			nodes,
			connections: {
				Start: to('Make files'),
				'Make files': to('Upload', 'Avatar', 'Order'),
				Avatar: to('Download'),
				Download: to('Read file'),
			},
		}),
	);
});

afterAll(async () => {
	await n8n?.close();
	await api?.close();
	rmSync(OUT, { recursive: true, force: true });
});

it('runs without error', () => {
	expect(execution.error).toBeUndefined();
	expect(api.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
		'GET /documents/d1/content',
		'POST /documents',
		'POST /orders',
		'PUT /avatars/u1',
	]);
});

it('sends multipart/form-data: the file with its name and type, and the other fields', () => {
	const upload = api.requests.find((r) => r.path === '/documents')!;
	const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(upload.headers['content-type'])![1];
	const parts = upload.rawBody
		.split(`--${boundary}`)
		.slice(1, -1)
		.map((p) => p.replace(/^\r\n|\r\n$/g, ''));
	expect(parts).toEqual([
		'Content-Disposition: form-data; name="file"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\nhello, "world"',
		'Content-Disposition: form-data; name="title"\r\n\r\nNotes',
		'Content-Disposition: form-data; name="pages"\r\n\r\n2',
	]);
	expect(upload.rawBody.endsWith(`--${boundary}--\r\n`)).toBe(true);
});

it('sends a binary body as the file itself, with its media type', () => {
	const avatar = api.requests.find((r) => r.path === '/avatars/u1')!;
	expect(avatar.headers['content-type']).toBe('image/png');
	expect(avatar.rawBody).toBe('PNG-bytes-0123');
	expect(execution.output.Avatar).toEqual([{ received: 14 }]);
});

it('returns a file response as binary data of the item', () => {
	expect(execution.output.Download).toEqual([
		{ statusCode: 200, mimeType: 'application/pdf', fileName: 'report.pdf', fileSize: 13 },
	]);
	expect(execution.output['Read file']).toEqual([
		{ text: '%PDF-1.7 fake', mimeType: 'application/pdf', fileName: 'report.pdf' },
	]);
});

it('sends list entries as an array of objects', () => {
	const order = api.requests.find((r) => r.path === '/orders')!;
	expect(JSON.parse(order.rawBody)).toEqual({
		lines: [
			{ sku: 'A-1', quantity: 2, gift: false },
			{ sku: 'B-2', quantity: 1, gift: true },
		],
	});
});
