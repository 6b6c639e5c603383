/**
 * Airtable's Web API as a loopback service: personal access tokens and OAuth tokens as
 * `Authorization: Bearer`, OAuth scopes (403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND without
 * them), records paged with an opaque `offset` token and `pageSize` ≤ 100, the filterByFormula
 * formulas the node sends, 422 for missing or unknown fields, and 5 requests a second per base
 * answered with 429 past it — each with Airtable's own error shapes.
 */
import { randomBytes } from 'node:crypto';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';
import { RateWindow } from './rate-window';

export interface AirtableRecord {
	id: string;
	createdTime: string;
	fields: Record<string, unknown>;
	/** Not part of Airtable's answer: what LAST_MODIFIED_TIME() reads. */
	modifiedTime: string;
}

export interface AirtableFake extends FakeService {
	baseId: string;
	table: string;
	pat: string;
	records: AirtableRecord[];
	/** An OAuth access token holding these scopes. */
	grant(scopes: string[]): string;
	/** Adds a record created now. */
	add(fields: Record<string, unknown>): AirtableRecord;
	/** Changes a record's fields now. */
	modify(id: string, fields: Record<string, unknown>): void;
	/** Requests past 5 a second per base (each got a 429). */
	violations: FakeRequest[];
}

const FIELDS = ['Name', 'Status', 'Points'];
const error = (status: number, type: string, message: string): FakeResponse =>
	json(status, { error: { type, message } });

export async function startAirtable(options: { recordCount?: number } = {}): Promise<AirtableFake> {
	const baseId = 'appR1llsTest0001';
	const table = 'Tasks';
	const tableId = 'tblR1llsTasks001';
	/** The test base and 1,004 more, so that the base list (1,000 a page) pages. */
	const bases = [
		{ id: baseId, name: 'Launch tracker', permissionLevel: 'create' },
		...Array.from({ length: 1004 }, (_, i) => ({
			id: `appB${String(i + 1).padStart(13, '0')}`,
			name: `Base ${String(i + 1).padStart(4, '0')}`,
			permissionLevel: 'read',
		})),
	];
	const tables = [
		{ id: tableId, name: table, primaryFieldId: 'fldName000000001' },
		{ id: 'tblR1llsArchive1', name: 'Archive', primaryFieldId: 'fldName000000002' },
	];
	const baseOffsets = new Map<string, number>();
	const pat = `pat${randomBytes(8).toString('hex')}.${randomBytes(16).toString('hex')}`;
	const tokens = new Map<string, string[]>([[pat, ['data.records:read', 'data.records:write', 'schema.bases:read']]]);
	const start = Date.now() - 3_600_000;
	let serial = 0;
	const newId = () => `rec${String(++serial).padStart(14, '0')}`;
	const records: AirtableRecord[] = Array.from({ length: options.recordCount ?? 250 }, (_, i) => {
		const at = new Date(start + i * 1000).toISOString();
		return {
			id: newId(),
			createdTime: at,
			modifiedTime: at,
			fields: { Name: `Task ${i + 1}`, Status: i % 2 ? 'Done' : 'Todo', Points: i % 5 },
		};
	});
	const iterators = new Map<string, number>();
	const window = new RateWindow(5, 1000);
	const violations: FakeRequest[] = [];

	const publicRecord = (r: AirtableRecord) => ({ id: r.id, createdTime: r.createdTime, fields: r.fields });

	function unknownField(fields: unknown): FakeResponse | undefined {
		if (!fields || typeof fields !== 'object' || Array.isArray(fields))
			return error(422, 'INVALID_REQUEST_MISSING_FIELDS', 'Could not find field "fields" in the request body');
		const unknown = Object.keys(fields).find((f) => !FIELDS.includes(f));
		return unknown ? error(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${unknown}"`) : undefined;
	}

	/**
	 * The formulas the node sends: TRUE(), {Field} = 'value', IS_AFTER(CREATED_TIME()|LAST_MODIFIED_TIME(),
	 * DATETIME_PARSE('iso')).
	 */
	function formula(text: string | null): ((r: AirtableRecord) => boolean) | undefined {
		if (text === null || text === '' || text === 'TRUE()') return () => true;
		const equals = /^\{(\w+)\} = '([^']*)'$/.exec(text);
		if (equals) return (r) => String(r.fields[equals[1]]) === equals[2];
		const after = /^IS_AFTER\((CREATED_TIME|LAST_MODIFIED_TIME)\(\), DATETIME_PARSE\('([^']+)'\)\)$/.exec(text);
		if (after && !Number.isNaN(Date.parse(after[2]))) {
			const since = Date.parse(after[2]);
			return (r) => Date.parse(after[1] === 'CREATED_TIME' ? r.createdTime : r.modifiedTime) > since;
		}
		return undefined;
	}

	function list(req: FakeRequest, scopes: string[]): FakeResponse {
		if (!scopes.includes('data.records:read'))
			return error(
				403,
				'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
				'Invalid permissions, or the requested model was not found.',
			);
		const pageSize = Number(req.query.get('pageSize') ?? 100);
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
			return error(
				422,
				'INVALID_REQUEST_UNKNOWN',
				'Invalid request: parameter validation failed. Check your request data.',
			);
		const match = formula(req.query.get('filterByFormula'));
		if (!match)
			return error(
				422,
				'INVALID_FILTER_BY_FORMULA',
				`The formula for filtering records is invalid: ${req.query.get('filterByFormula')}`,
			);
		const offset = req.query.get('offset');
		let from = 0;
		if (offset !== null) {
			if (!iterators.has(offset))
				return error(422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE', 'The offset is not valid or has expired');
			from = iterators.get(offset)!;
		}
		const matching = records.filter(match);
		const page = matching.slice(from, from + pageSize);
		const body: Record<string, unknown> = { records: page.map(publicRecord) };
		if (from + pageSize < matching.length) {
			const next = `itr${randomBytes(6).toString('hex')}/${page[page.length - 1].id}`;
			iterators.set(next, from + pageSize);
			body.offset = next;
		}
		return json(200, body);
	}

	/** The Meta API: the bases the token reaches (1,000 a page, `offset` iterator) and a base's tables. */
	function meta(req: FakeRequest, scopes: string[]): FakeResponse {
		if (!scopes.includes('schema.bases:read'))
			return error(
				403,
				'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
				'Invalid permissions, or the requested model was not found.',
			);
		if (req.path === '/v0/meta/bases') {
			const offset = req.query.get('offset');
			if (offset !== null && !baseOffsets.has(offset))
				return error(422, 'LIST_BASES_ITERATOR_NOT_AVAILABLE', 'The offset is not valid or has expired');
			const from = offset === null ? 0 : baseOffsets.get(offset)!;
			const body: Record<string, unknown> = { bases: bases.slice(from, from + 1000) };
			if (from + 1000 < bases.length) {
				const next = `itr${randomBytes(6).toString('hex')}/${bases[from + 999].id}`;
				baseOffsets.set(next, from + 1000);
				body.offset = next;
			}
			return json(200, body);
		}
		const of = /^\/v0\/meta\/bases\/([^/]+)\/tables$/.exec(req.path);
		if (!of || !bases.some((b) => b.id === of[1])) return json(404, { error: 'NOT_FOUND' });
		return json(200, {
			tables: (of[1] === baseId ? tables : []).map((t) => ({
				...t,
				fields: FIELDS.map((name) => ({ id: `fld${name}`, name, type: 'singleLineText' })),
				views: [{ id: 'viwGrid000000001', name: 'Grid view', type: 'grid' }],
			})),
		});
	}

	const service = await startFake((req) => {
		const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const scopes = token === undefined ? undefined : tokens.get(token);
		if (!scopes) return error(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');
		if (req.method === 'GET' && req.path === '/v0/meta/whoami')
			return json(200, { id: 'usrR1llsTester01', scopes });
		if (req.method === 'GET' && req.path.startsWith('/v0/meta/bases')) return meta(req, scopes);
		const match = new RegExp(`^/v0/(app\\w+)/([^/]+)(?:/(rec\\w+))?$`).exec(req.path);
		// A table by its name or its ID.
		if (!match || match[1] !== baseId || ![table, tableId].includes(decodeURIComponent(match[2])))
			return json(404, { error: 'NOT_FOUND' });
		if (!window.admit(baseId, req.receivedAt)) {
			violations.push(req);
			return json(429, {
				errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }],
			});
		}
		const recordId = match[3];
		if (req.method === 'GET' && !recordId) return list(req, scopes);
		if (!scopes.includes('data.records:write'))
			return error(
				403,
				'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
				'Invalid permissions, or the requested model was not found.',
			);
		if (req.headers['content-type']?.split(';')[0] !== 'application/json')
			return error(415, 'INVALID_REQUEST_UNKNOWN', 'Content-Type must be application/json');
		const invalid = unknownField(req.body.fields);
		if (invalid) return invalid;
		const fields = req.body.fields as Record<string, unknown>;
		const now = new Date().toISOString();
		if (req.method === 'POST' && !recordId) {
			const record = { id: newId(), createdTime: now, modifiedTime: now, fields: { ...fields } };
			records.push(record);
			return json(200, publicRecord(record));
		}
		if (req.method === 'PATCH' && recordId) {
			const record = records.find((r) => r.id === recordId);
			if (!record) return error(404, 'MODEL_ID_NOT_FOUND', 'Could not find a record with that ID');
			Object.assign(record.fields, fields);
			record.modifiedTime = now;
			return json(200, publicRecord(record));
		}
		return json(404, { error: 'NOT_FOUND' });
	});

	return {
		...service,
		baseId,
		table,
		pat,
		records,
		violations,
		grant(scopes) {
			const token = `oaa${randomBytes(16).toString('hex')}`;
			tokens.set(token, scopes);
			return token;
		},
		add(fields) {
			const now = new Date().toISOString();
			const record = { id: newId(), createdTime: now, modifiedTime: now, fields };
			records.push(record);
			return record;
		},
		modify(id, fields) {
			const record = records.find((r) => r.id === id)!;
			Object.assign(record.fields, fields);
			record.modifiedTime = new Date().toISOString();
		},
	};
}
