/**
 * Dropbox API v2 as two loopback services, like api.dropboxapi.com and content.dropboxapi.com:
 * bearer tokens with scopes (401 missing_scope naming the scope), RPC calls that must be POSTs
 * with a JSON body (or none for no-argument calls), list_folder / list_folder/continue paging by a
 * cursor in the body while has_more, create_folder_v2, create_shared_link_with_settings, uploads
 * whose arguments come as header-safe JSON in Dropbox-API-Arg with an application/octet-stream
 * body, path errors as 409s, and 429 too_many_requests with Retry-After.
 */
import { createHash, randomBytes } from 'node:crypto';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export interface DropboxEntry {
	'.tag': 'file' | 'folder';
	id: string;
	name: string;
	path_lower: string;
	path_display: string;
	server_modified?: string;
	size?: number;
	content_hash?: string;
}

export interface DropboxFake extends FakeService {
	/** The content host (uploads). */
	content: FakeService;
	entries: DropboxEntry[];
	/** Bytes of uploaded files by lower-cased path. */
	files: Map<string, string>;
	grant(scopes: string[]): string;
	/** Answer the next `count` RPC calls with 429 and this Retry-After. */
	throttleNext(count: number, retryAfterSeconds: number): void;
	/** Calls that came before a Retry-After ran out. */
	violations: FakeRequest[];
	addFile(path: string): DropboxEntry;
	addFolder(path: string): DropboxEntry;
}

const PAGE = 25;
const text = (status: number, body: string): FakeResponse => ({
	status,
	headers: { 'content-type': 'text/plain; charset=utf-8' },
	body,
});
const apiError = (status: number, summary: string, error: unknown): FakeResponse =>
	json(status, { error_summary: `${summary}/..`, error });
const pathError = (tag: string, extra: Record<string, unknown> = {}) =>
	apiError(409, `path/${tag}`, { '.tag': 'path', path: { '.tag': tag, ...extra } });

export async function startDropbox(): Promise<DropboxFake> {
	const tokens = new Map<string, string[]>();
	const files = new Map<string, string>();
	const entries: DropboxEntry[] = [];
	const links = new Set<string>();
	const cursors = new Map<string, { path: string; recursive: boolean; offset: number }>();
	const violations: FakeRequest[] = [];
	let throttle = { count: 0, retryAfter: 0, until: 0 };

	const entry = (tag: 'file' | 'folder', display: string, size?: number): DropboxEntry => ({
		'.tag': tag,
		id: `id:${randomBytes(8).toString('base64url')}`,
		name: display.slice(display.lastIndexOf('/') + 1),
		path_lower: display.toLowerCase(),
		path_display: display,
		...(tag === 'file'
			? {
					server_modified: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
					size: size ?? 0,
					content_hash: createHash('sha256').update(display).digest('hex'),
				}
			: {}),
	});
	const addFolder = (path: string) => {
		const e = entry('folder', path);
		entries.push(e);
		return e;
	};
	const addFile = (path: string, size = 1024) => {
		const e = entry('file', path, size);
		entries.push(e);
		return e;
	};
	const exists = (path: string) => path === '' || entries.some((e) => e.path_lower === path.toLowerCase());
	addFolder('/Reports');
	for (let i = 1; i <= 40; i++) addFile(`/Reports/report-${String(i).padStart(2, '0')}.pdf`);
	addFolder('/Reports/Archive');
	addFile('/Reports/Archive/old.pdf');
	addFile('/notes.txt');

	function authenticate(req: FakeRequest, scope?: string): FakeResponse | undefined {
		const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const scopes = token === undefined ? undefined : tokens.get(token);
		if (!scopes) return apiError(401, 'invalid_access_token', { '.tag': 'invalid_access_token' });
		if (scope && !scopes.includes(scope))
			return apiError(401, 'missing_scope', { '.tag': 'missing_scope', required_scope: scope });
		if (Date.now() < throttle.until) violations.push(req);
		if (throttle.count > 0) {
			throttle = { ...throttle, count: throttle.count - 1, until: Date.now() + throttle.retryAfter * 1000 };
			return {
				status: 429,
				headers: { 'retry-after': String(throttle.retryAfter) },
				body: {
					error_summary: 'too_many_requests/..',
					error: { reason: { '.tag': 'too_many_requests' }, retry_after: throttle.retryAfter },
				},
			};
		}
		return undefined;
	}

	/** RPC bodies: JSON with exactly the fields the endpoint knows. */
	function rpcBody(
		req: FakeRequest,
		endpoint: string,
		fields: string[],
		required: string[],
	): FakeResponse | undefined {
		if (req.method !== 'POST')
			return text(405, `Error in call to API function "${endpoint}": Request method must be POST`);
		if (req.headers['content-type']?.split(';')[0] !== 'application/json')
			return text(
				400,
				`Error in call to API function "${endpoint}": Bad HTTP "Content-Type" header: "${req.headers['content-type'] ?? ''}".  Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".`,
			);
		const unknown = Object.keys(req.body).find((k) => !fields.includes(k));
		if (unknown)
			return text(400, `Error in call to API function "${endpoint}": request body: unknown field '${unknown}'`);
		const missing = required.find((k) => req.body[k] === undefined);
		if (missing)
			return text(
				400,
				`Error in call to API function "${endpoint}": request body: missing required field '${missing}'`,
			);
		return undefined;
	}

	/** `limit` (an approximate page size) is 1 to 2000; pages here hold at most PAGE entries either way. */
	function badLimit(req: FakeRequest): FakeResponse | undefined {
		const limit = req.body.limit;
		if (limit === undefined || (Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= 2000))
			return undefined;
		return text(
			400,
			`Error in call to API function "files/list_folder": request body: limit: ${JSON.stringify(limit)} is not a number from 1 to 2000`,
		);
	}

	function page(state: { path: string; recursive: boolean; offset: number }): FakeResponse {
		const prefix = state.path.toLowerCase();
		const inside = entries.filter(
			(e) =>
				e.path_lower.startsWith(`${prefix}/`) &&
				(state.recursive || !e.path_lower.slice(prefix.length + 1).includes('/')),
		);
		const slice = inside.slice(state.offset, state.offset + PAGE);
		const cursor = `AAH${randomBytes(12).toString('base64url')}`;
		cursors.set(cursor, { ...state, offset: state.offset + slice.length });
		return json(200, { entries: slice, cursor, has_more: state.offset + slice.length < inside.length });
	}

	const routes: Record<string, (req: FakeRequest) => FakeResponse> = {
		'/2/users/get_current_account': (req) => {
			const denied = authenticate(req, 'account_info.read');
			if (denied) return denied;
			if (req.method !== 'POST')
				return text(
					405,
					'Error in call to API function "users/get_current_account": Request method must be POST',
				);
			if (req.rawBody !== '' && req.rawBody !== 'null')
				return text(
					400,
					'Error in call to API function "users/get_current_account": request body: could not decode input as JSON',
				);
			return json(200, {
				account_id: 'dbid:AAB1rills',
				name: { display_name: 'Rills Tester' },
				email: 'tester@rills.test',
			});
		},
		'/2/files/list_folder': (req) =>
			authenticate(req, 'files.metadata.read') ??
			rpcBody(req, 'files/list_folder', ['path', 'recursive', 'include_deleted', 'limit'], ['path']) ??
			badLimit(req) ??
			(!exists(String(req.body.path))
				? pathError('not_found')
				: page({ path: String(req.body.path), recursive: req.body.recursive === true, offset: 0 })),
		'/2/files/list_folder/continue': (req) => {
			const invalid =
				authenticate(req, 'files.metadata.read') ??
				rpcBody(req, 'files/list_folder/continue', ['cursor'], ['cursor']);
			if (invalid) return invalid;
			const state = cursors.get(String(req.body.cursor));
			return state ? page(state) : apiError(409, 'reset', { '.tag': 'reset' });
		},
		'/2/files/create_folder_v2': (req) => {
			const invalid =
				authenticate(req, 'files.content.write') ??
				rpcBody(req, 'files/create_folder_v2', ['path', 'autorename'], ['path']);
			if (invalid) return invalid;
			const path = String(req.body.path);
			if (!/^\/./.test(path)) return pathError('malformed_path');
			if (exists(path))
				return apiError(409, 'path/conflict/folder', {
					'.tag': 'path',
					path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } },
				});
			const { ['.tag']: _tag, ...metadata } = addFolder(path);
			return json(200, { metadata });
		},
		'/2/sharing/create_shared_link_with_settings': (req) => {
			const invalid =
				authenticate(req, 'sharing.write') ??
				rpcBody(req, 'sharing/create_shared_link_with_settings', ['path', 'settings'], ['path']);
			if (invalid) return invalid;
			const target = entries.find((e) => e.path_lower === String(req.body.path).toLowerCase());
			if (!target) return apiError(409, 'path/not_found', { '.tag': 'path', path: { '.tag': 'not_found' } });
			if (links.has(target.id))
				return apiError(409, 'shared_link_already_exists', { '.tag': 'shared_link_already_exists' });
			links.add(target.id);
			const visibility =
				(req.body.settings as { requested_visibility?: string } | undefined)?.requested_visibility ?? 'public';
			return json(200, {
				'.tag': target['.tag'],
				url: `https://www.dropbox.com/scl/fi/${randomBytes(8).toString('hex')}/${target.name}?dl=0`,
				name: target.name,
				id: target.id,
				path_lower: target.path_lower,
				link_permissions: { resolved_visibility: { '.tag': visibility }, can_revoke: true },
			});
		},
	};

	const api = await startFake((req) => {
		const route = routes[req.path];
		return route ? route(req) : text(404, `Unknown API function: "${req.path.slice(3)}"`);
	});

	const content = await startFake((req) => {
		if (req.path !== '/2/files/upload') return text(404, `Unknown API function: "${req.path.slice(3)}"`);
		const invalid = authenticate(req, 'files.content.write');
		if (invalid) return invalid;
		if (req.method !== 'POST')
			return text(405, 'Error in call to API function "files/upload": Request method must be POST');
		const type = req.headers['content-type'];
		if (type !== 'application/octet-stream' && type !== 'text/plain; charset=dropbox-cors-hack')
			return text(
				400,
				`Error in call to API function "files/upload": Bad HTTP "Content-Type" header: "${type}".  Expecting one of "application/octet-stream", "text/plain; charset=dropbox-cors-hack".`,
			);
		const header = req.headers['dropbox-api-arg'];
		if (!header)
			return text(
				400,
				'Error in call to API function "files/upload": Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".',
			);
		if (/[^\x20-\x7e]/.test(header))
			return text(
				400,
				'Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg": could not decode input as JSON',
			);
		const args = JSON.parse(header) as { path?: string; mode?: string; autorename?: boolean; mute?: boolean };
		const unknown = Object.keys(args).find(
			(k) => !['path', 'mode', 'autorename', 'mute', 'client_modified', 'strict_conflict'].includes(k),
		);
		if (unknown)
			return text(
				400,
				`Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg": unknown field '${unknown}'`,
			);
		if (!args.path || !/^\/./.test(args.path))
			return text(
				400,
				'Error in call to API function "files/upload": HTTP header "Dropbox-API-Arg": path: \'' +
					String(args.path) +
					"' did not match pattern",
			);
		let path = args.path;
		if (exists(path) && args.mode !== 'overwrite') {
			if (!args.autorename)
				return apiError(409, 'path/conflict/file', {
					'.tag': 'path',
					reason: { '.tag': 'conflict', conflict: { '.tag': 'file' } },
				});
			path = path.replace(/(\.[^./]*)?$/, ' (1)$1');
		}
		files.set(path.toLowerCase(), req.rawBody);
		const existing = entries.find((e) => e.path_lower === path.toLowerCase());
		const { ['.tag']: _tag, ...metadata } = existing ?? addFile(path, Buffer.byteLength(req.rawBody));
		return json(200, {
			...metadata,
			size: Buffer.byteLength(req.rawBody),
			rev: randomBytes(7).toString('hex'),
			is_downloadable: true,
		});
	});

	return {
		...api,
		close: async () => {
			await Promise.all([api.close(), content.close()]);
		},
		content,
		entries,
		files,
		violations,
		addFile,
		addFolder,
		grant(scopes) {
			const token = `sl.${randomBytes(24).toString('base64url')}`;
			tokens.set(token, scopes);
			return token;
		},
		throttleNext(count, retryAfterSeconds) {
			throttle = { count, retryAfter: retryAfterSeconds, until: 0 };
		},
	};
}
