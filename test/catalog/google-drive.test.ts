/**
 * The Google Drive and Google Docs nodes inside a real n8n against a loopback Drive and Docs API
 * sharing one account: Google OAuth2 tokens with scopes, a file's metadata by `fields`, a
 * download and a Google Doc exported to PDF as n8n binary data, a folder's files over pages
 * (`q` built from the folder, newest first), a document's content with its HTML, a missing scope
 * and Drive's refusal to download a Google Doc, Connection → Check on both, and the New File /
 * New Google Doc polls.
 */
import { join } from 'node:path';
import type { WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { GOOGLE_SCOPE } from '../fakes/google';
import { DOCUMENT, startGoogleDrive, type GoogleDriveFake } from '../fakes/google-drive';
import { Coverage } from './coverage';
import { CatalogRun, importConnected, publishAndPoll, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/GoogleDrive/googleDrive.integration.yaml'));
const docsCoverage = new Coverage(join(__dirname, '../../nodes/GoogleDocs/googleDocs.integration.yaml'));
const full = { rillsGoogleDriveOAuth2Api: { id: 'drive', name: 'drive' } };
const metadataOnly = { rillsGoogleDriveOAuth2Api: { id: 'driveMeta', name: 'driveMeta' } };
const docsCredential = { rillsGoogleDocsOAuth2Api: { id: 'docs', name: 'docs' } };
let google: GoogleDriveFake;
let catalog: CatalogRun;

const driveNode = (
	name: string,
	parameters: Record<string, unknown>,
	credentials: WorkflowNode['credentials'] = full,
): WorkflowNode => ({
	name,
	type: 'CUSTOM.googleDrive',
	executeOnce: true,
	parameters: { resource: 'file', ...parameters },
	credentials,
});
/** A Code node that reads the binary file the node before it returned. */
const readFile = (name: string): WorkflowNode => ({
	name,
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: {
		jsCode: "const b = $input.first().binary.data; const text = (await this.helpers.getBinaryDataBuffer(0, 'data')).toString(); return [{ json: { text, mimeType: b.mimeType } }];",
	},
});
const calls = (path: string) => google.requests.filter((r) => r.path === `/drive/v3${path}`);
const drafts = () => google.files.find((f) => f.name === 'Blog drafts')!;

beforeAll(async () => {
	google = await startGoogleDrive();
	catalog = await CatalogRun.create();
	const connect = async (id: string, type: string, scopes: string[], data: Record<string, unknown>) => {
		const token = google.issueToken(scopes);
		catalog.secrets.push(token);
		await importConnected(catalog.n8n, {
			id,
			type,
			token,
			scopes,
			data: { clientId: `${id}.apps.googleusercontent.com`, clientSecret: `${id}-secret-81f2`, ...data },
		});
	};
	await connect('drive', 'rillsGoogleDriveOAuth2Api', [GOOGLE_SCOPE('drive.readonly')], { apiUrl: google.url });
	await connect('driveMeta', 'rillsGoogleDriveOAuth2Api', [GOOGLE_SCOPE('drive.metadata.readonly')], {
		apiUrl: google.url,
	});
	await connect('docs', 'rillsGoogleDocsOAuth2Api', [GOOGLE_SCOPE('documents.readonly')], {
		apiUrl: google.docs.url,
		googleApisUrl: google.url,
	});
});

afterAll(() => shutDown(undefined, catalog, google));

beforeEach(() => {
	google.requests.splice(0);
	google.docs.requests.splice(0);
});

it("gets a file, downloads one, exports a Google Doc, reads the document's content as HTML and lists the folder over pages", async () => {
	const folder = drafts();
	const doc = google.files.find((f) => f.name === 'Draft 3')!;
	const cover = google.files.find((f) => f.name === 'cover.png')!;
	const execution = await catalog.run(
		driveNode('Get', { operation: 'get', fileId: doc.id }),
		driveNode('Download', { operation: 'download', fileId: cover.id }),
		readFile('Downloaded'),
		driveNode('Export', { operation: 'export', fileId: doc.id, mimeType: 'application/pdf' }),
		readFile('Exported'),
		{
			name: 'Content',
			type: 'CUSTOM.googleDocs',
			executeOnce: true,
			parameters: {
				resource: 'document',
				operation: 'get',
				documentId: doc.id,
				additionalFields: { suggestionsViewMode: 'PREVIEW_WITHOUT_SUGGESTIONS' },
			},
			credentials: docsCredential,
		},
		driveNode('List', { operation: 'getAll', q: folder.id, limit: 10 }),
	);
	expect(execution.error).toBeUndefined();

	const [get] = calls(`/files/${doc.id}`);
	expect(get.headers.authorization).toMatch(/^Bearer ya29\./);
	expect(execution.output.Get).toEqual([
		{
			id: doc.id,
			name: 'Draft 3',
			mimeType: DOCUMENT,
			parents: [folder.id],
			createdTime: doc.createdTime,
			modifiedTime: doc.modifiedTime,
			webViewLink: doc.webViewLink,
			owners: doc.owners,
		},
	]);
	coverage.ran('file:get');

	expect(calls(`/files/${cover.id}`)[0].query.get('alt')).toBe('media');
	expect(execution.output.Download[0]).toMatchObject({ mimeType: 'image/png', fileSize: 9 });
	expect(execution.output.Downloaded).toEqual([{ text: 'PNG-bytes', mimeType: 'image/png' }]);
	coverage.ran('file:download');

	expect(calls(`/files/${doc.id}/export`)[0].query.get('mimeType')).toBe('application/pdf');
	expect(execution.output.Exported).toEqual([{ text: '%PDF-1.4\n% Draft 3\n%%EOF\n', mimeType: 'application/pdf' }]);
	coverage.ran('file:export');

	const [content] = google.docs.requests;
	expect(content.path).toBe(`/v1/documents/${doc.id}`);
	expect(content.query.get('suggestionsViewMode')).toBe('PREVIEW_WITHOUT_SUGGESTIONS');
	const [document] = execution.output.Content;
	expect(document).toMatchObject({ documentId: doc.id, title: 'Draft 3', body: google.documents.get(doc.id)!.body });
	const html = String(document.html);
	expect(html.startsWith('<h1>Draft 3</h1>\n<p>Last week we shipped <strong>five releases</strong>')).toBe(true);
	expect(html).toContain('<ol><li>Back up your workspace</li><li>Run the installer</li></ol>');
	expect(html).toContain(`<img src="https://lh7-rt.googleusercontent.com/docsz/${doc.id}"`);
	expect(html).toContain('A new &lt;script&gt;alert(&quot;editor&quot;)&lt;/script&gt; tag &amp; filter');
	expect(html).not.toContain('javascript:');
	docsCoverage.ran('document:get');

	const pages = calls('/files');
	expect(pages.map((r) => [r.query.get('q'), r.query.get('orderBy'), r.query.get('pageToken') !== null])).toEqual([
		[`'${folder.id}' in parents and trashed = false`, 'createdTime desc', false],
	]);
	expect(pages[0].query.get('fields')).toContain('nextPageToken');
	const newest = google.files
		.filter((f) => f.parents.includes(folder.id))
		.sort((a, b) => b.createdTime.localeCompare(a.createdTime))
		.slice(0, 10);
	expect(execution.output.List.map((f) => f.id)).toEqual(newest.map((f) => f.id));
	coverage.ran('file:getAll');
});

it('a metadata-only token cannot download (named scope, no call); Drive refuses to download a Google Doc; both connections check', async () => {
	const doc = google.files.find((f) => f.mimeType === DOCUMENT)!;
	const denied = await catalog.run(driveNode('Download', { operation: 'download', fileId: doc.id }, metadataOnly));
	expect(denied.error?.message).toBe(
		`"driveMeta" was not granted the scope ${GOOGLE_SCOPE('drive.readonly')} that this operation needs`,
	);
	const refused = await catalog.run(
		driveNode('Check', { resource: 'connection', operation: 'check' }),
		{
			name: 'Check Docs',
			type: 'CUSTOM.googleDocs',
			executeOnce: true,
			parameters: { resource: 'connection', operation: 'check' },
			credentials: docsCredential,
		},
		driveNode('Download', { operation: 'download', fileId: doc.id }),
	);
	expect(calls(`/files/${doc.id}`)).toHaveLength(1);
	expect(refused.output.Check[0]).toMatchObject({ status: 'ok', httpStatus: 200 });
	expect(calls('/about')[0].query.get('fields')).toBe('user');
	expect(refused.output['Check Docs'][0]).toMatchObject({ status: 'ok', httpStatus: 200 });
	expect(refused.error?.description).toContain('Use Export with Docs Editors files');
});

describe('polling triggers in n8n start', () => {
	let server: N8nServer;
	let newFile: string;
	let newDocument: string;
	const lists = () => calls('/files').length;

	beforeAll(async () => {
		const trigger = (event: string): WorkflowNode => ({
			name: '',
			type: 'CUSTOM.googleDrivePollingTrigger',
			parameters: { event, q: drafts().id },
			credentials: full,
		});
		newFile = await catalog.pollingWorkflow('New File', trigger('newFile'));
		newDocument = await catalog.pollingWorkflow('New Google Doc', trigger('newDocument'));
		server = await N8nServer.start(catalog.n8n);
	});

	afterAll(async () => {
		if (server) catalog.logs.push(server.log);
		await server?.stop();
	});

	it('after first polls that emit nothing, New File emits every new file in the folder and New Google Doc only documents', async () => {
		await publishAndPoll(server, newFile, lists, 1);
		await publishAndPoll(server, newDocument, lists, 1);
		const image = google.addFile(drafts().id, 'hero.jpg', 'image/jpeg', 'JPEG');
		const doc = google.addDocument(drafts().id, 'Launch week recap');
		google.addDocument('root', 'Elsewhere');

		await publishAndPoll(server, newFile, lists, 1, true);
		const files = await triggerExecutions(server, newFile, 1);
		expect(files[0].output['New File'].map((f) => f.id)).toEqual([doc.id, image.id]);
		coverage.ran('trigger:newFile');

		await publishAndPoll(server, newDocument, lists, 1, true);
		const documents = await triggerExecutions(server, newDocument, 1);
		expect(documents[0].output['New Google Doc']).toEqual([
			{
				id: doc.id,
				name: 'Launch week recap',
				mimeType: DOCUMENT,
				parents: [drafts().id],
				createdTime: doc.createdTime,
				modifiedTime: doc.modifiedTime,
				webViewLink: doc.webViewLink,
			},
		]);
		coverage.ran('trigger:newDocument');
	});
});

it('every operation and trigger ran, and no token appeared in any log', () => {
	expect(catalog.leaks()).toEqual([]);
	expect(coverage.missing()).toEqual([]);
	expect(docsCoverage.missing()).toEqual([]);
});

it('answered as the Drive and Docs descriptions say', () => {
	expect({ drive: google.drift, docs: google.docs.drift }).toEqual({ drive: [], docs: [] });
});
