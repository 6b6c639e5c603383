/**
 * Salesforce as a loopback service: the OAuth2 token endpoint (authorization-code refresh and the
 * client credentials flow, client in the form body, the answer carrying instance_url), Bearer
 * sessions whose `api` scope the REST API needs, Salesforce's error lists
 * (`[{ message, errorCode }]`), SOQL queries answered in batches linked by a relative
 * `nextRecordsUrl`, sObject create (201 `{ id, success, errors }`), update (204) and read by ID
 * (`fields` to choose), describe global (the org's objects, standard and custom), and the daily API
 * limit answered with 403 REQUEST_LIMIT_EXCEEDED.
 */
import { randomBytes } from 'node:crypto';
import { json, startFake, type FakeRequest, type FakeResponse, type FakeService } from './server';

export const API = '/services/data/v60.0';
/** Batch size of the fake's query results (Salesforce's default is 2,000). */
export const BATCH = 3;

type SObject = Record<string, unknown> & { Id: string; CreatedDate: string };

export interface SalesforceFake extends FakeService {
	client: { id: string; secret: string };
	leads: SObject[];
	accounts: SObject[];
	tasks: SObject[];
	stageHistory: SObject[];
	/** An access token (with a refresh token) for these scopes, as the authorization-code flow would give. */
	grant(scopes: string[]): { accessToken: string; refreshToken: string };
	/** The daily API request allocation is used up: every API call answers 403 REQUEST_LIMIT_EXCEEDED. */
	exhaust(on: boolean): void;
	tokenRequests: Array<Record<string, string>>;
	/** Every SOQL statement received (first batches only). */
	queries: string[];
}

const LEAD_REQUIRED = ['LastName', 'Company'];
const LEAD_FIELDS = new Set([
	'FirstName',
	'LastName',
	'Company',
	'Email',
	'Phone',
	'Title',
	'Status',
	'LeadSource',
	'Description',
]);
const ACCOUNT_FIELDS = new Set([
	'Name',
	'Phone',
	'Website',
	'Industry',
	'Type',
	'NumberOfEmployees',
	'BillingCity',
	'Description',
]);
const TASK_FIELDS = new Set([
	'Subject',
	'WhoId',
	'WhatId',
	'TaskSubtype',
	'Status',
	'ActivityDate',
	'Priority',
	'Description',
]);

/** A CreatedDate as Salesforce writes it: whole seconds, `+0000`. */
export const createdDate = (offsetMs = 0) =>
	new Date(Math.floor((Date.now() + offsetMs) / 1000) * 1000).toISOString().replace('Z', '+0000');
const errors = (status: number, errorCode: string, message: string, fields?: string[]): FakeResponse =>
	json(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
/** Salesforce ids: 3-character key prefix + 15 characters (+3 checksum); close enough for a fake. */
const sfId = (prefix: string, n: number) => `${prefix}${String(n).padStart(15, '0')}`;

export async function startSalesforce(): Promise<SalesforceFake> {
	const client = { id: '3MVG9fake.consumer.key', secret: 'sf-consumer-secret-5e1d8c' };
	const tokens = new Map<string, string[]>();
	const refreshTokens = new Map<string, string[]>();
	const cursors = new Map<string, { rows: SObject[]; at: number }>();
	const tokenRequests: Array<Record<string, string>> = [];
	const queries: string[] = [];
	let exhausted = false;
	const minute = (m: number) => new Date(Date.UTC(2026, 10, 1, 9, m)).toISOString().replace('Z', '+0000');
	const leads: SObject[] = Array.from({ length: 7 }, (_, i) => ({
		Id: sfId('00Q', i + 1),
		FirstName: `Lead${i + 1}`,
		LastName: 'Example',
		Company: `Company ${i + 1}`,
		Status: 'Open - Not Contacted',
		CreatedDate: minute(i),
	}));
	const accounts: SObject[] = [
		{ Id: sfId('001', 1), Name: 'Globex', Industry: 'Manufacturing', CreatedDate: minute(0) },
	];
	const tasks: SObject[] = [];
	const stageHistory: SObject[] = [
		{
			Id: sfId('008', 1),
			OpportunityId: sfId('006', 1),
			Opportunity: { Name: 'Globex renewal' },
			Field: 'StageName',
			OldValue: 'Prospecting',
			NewValue: 'Qualification',
			CreatedById: sfId('005', 1),
			CreatedDate: minute(3),
		},
		{
			Id: sfId('008', 2),
			OpportunityId: sfId('006', 2),
			Opportunity: { Name: 'Initech expansion' },
			Field: 'StageName',
			OldValue: 'Qualification',
			NewValue: 'Closed Won',
			CreatedById: sfId('005', 1),
			CreatedDate: minute(5),
		},
	];

	function issue(scopes: string[]) {
		const accessToken = `00Dfake!${randomBytes(16).toString('hex')}`;
		const refreshToken = `5Aep861${randomBytes(16).toString('hex')}`;
		tokens.set(accessToken, scopes);
		refreshTokens.set(refreshToken, scopes);
		return { accessToken, refreshToken };
	}

	function tokenEndpoint(req: FakeRequest, base: string): FakeResponse {
		const body = req.body as Record<string, string>;
		tokenRequests.push(body);
		if (!req.headers['content-type']?.includes('application/x-www-form-urlencoded'))
			return json(400, {
				error: 'invalid_request',
				error_description: 'must use application/x-www-form-urlencoded',
			});
		if (body.client_id !== client.id || body.client_secret !== client.secret)
			return json(400, { error: 'invalid_client', error_description: 'invalid client credentials' });
		const answer = (accessToken: string, scopes: string[], extra: Record<string, string> = {}) =>
			json(200, {
				access_token: accessToken,
				...extra,
				signature: 'c2lnbmF0dXJl',
				scope: scopes.join(' '),
				instance_url: base,
				id: `${base}/id/00Dfake/005fake`,
				token_type: 'Bearer',
				issued_at: String(Date.now()),
			});
		if (body.grant_type === 'client_credentials') return answer(issue(['api']).accessToken, ['api']);
		if (body.grant_type === 'refresh_token') {
			const scopes = refreshTokens.get(body.refresh_token);
			if (!scopes)
				return json(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
			const accessToken = `00Dfake!${randomBytes(16).toString('hex')}`;
			tokens.set(accessToken, scopes);
			return answer(accessToken, scopes);
		}
		return json(400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
	}

	/** The SOQL subset the node sends: SELECT … FROM <object> [WHERE …] ORDER BY CreatedDate ASC|DESC [LIMIT n]. */
	function query(soql: string): FakeResponse {
		const match =
			/^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))? ORDER BY CreatedDate (ASC|DESC)(?: LIMIT (\d+))?$/.exec(soql);
		if (!match) return errors(400, 'MALFORMED_QUERY', `unexpected token in: ${soql}`);
		const [, , object, where, direction, limit] = match;
		const table = { Lead: leads, Account: accounts, Task: tasks, OpportunityFieldHistory: stageHistory }[object];
		if (!table) return errors(400, 'INVALID_TYPE', `sObject type '${object}' is not supported.`);
		let rows = [...table];
		for (const condition of where ? where.split(' AND ') : []) {
			const since = /^CreatedDate >= (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/.exec(condition);
			const field = /^Field = '(\w+)'$/.exec(condition);
			if (since)
				rows = rows.filter((r) => Date.parse(r.CreatedDate.replace('+0000', 'Z')) >= Date.parse(since[1]));
			else if (field) rows = rows.filter((r) => r.Field === field[1]);
			// SOQL datetime literals are unquoted and carry no fractional seconds.
			else return errors(400, 'MALFORMED_QUERY', `unexpected condition: ${condition}`);
		}
		rows.sort((a, b) => a.CreatedDate.localeCompare(b.CreatedDate) * (direction === 'ASC' ? 1 : -1));
		if (limit) rows = rows.slice(0, Number(limit));
		queries.push(soql);
		return batch({ rows, at: 0 });
	}

	function batch(cursor: { rows: SObject[]; at: number }): FakeResponse {
		const records = cursor.rows
			.slice(cursor.at, cursor.at + BATCH)
			.map((r) => ({ attributes: { type: 'sObject', url: `${API}/sobjects/x/${r.Id}` }, ...r }));
		const done = cursor.at + BATCH >= cursor.rows.length;
		let nextRecordsUrl: string | undefined;
		if (!done) {
			const locator = `01g${randomBytes(6).toString('hex')}-${cursor.at + BATCH}`;
			cursors.set(locator, { rows: cursor.rows, at: cursor.at + BATCH });
			nextRecordsUrl = `${API}/query/${locator}`;
		}
		return json(200, {
			totalSize: cursor.rows.length,
			done,
			...(nextRecordsUrl ? { nextRecordsUrl } : {}),
			records,
		});
	}

	/** Describe global: the objects of the org as Salesforce lists them; ActivityHistory cannot be read by ID. */
	const objects = [
		['Account', 'Account', '001', accounts],
		['ActivityHistory', 'Activity History', undefined, undefined],
		['Invoice__c', 'Invoice', 'a01', [] as SObject[]],
		['Lead', 'Lead', '00Q', leads],
		['OpportunityFieldHistory', 'Opportunity Field History', '008', stageHistory],
		['Task', 'Task', '00T', tasks],
	] as const;
	function describeGlobal(): FakeResponse {
		return json(200, {
			encoding: 'UTF-8',
			maxBatchSize: 200,
			sobjects: objects.map(([name, label, keyPrefix, table]) => ({
				name,
				label,
				labelPlural: `${label}s`,
				keyPrefix: keyPrefix ?? null,
				custom: name.endsWith('__c'),
				queryable: table !== undefined,
				retrieveable: table !== undefined,
				createable: table !== undefined,
				urls: {
					sobject: `${API}/sobjects/${name}`,
					describe: `${API}/sobjects/${name}/describe`,
					...(table ? { rowTemplate: `${API}/sobjects/${name}/{ID}` } : {}),
				},
			})),
		});
	}

	/** A record by ID, with all its fields or the comma-separated `fields`. */
	function read(name: string, id: string, fields: string | null): FakeResponse {
		const object = objects.find(([n]) => n === name);
		if (!object) return errors(404, 'NOT_FOUND', 'The requested resource does not exist');
		if (!object[3]) return errors(400, 'INVALID_TYPE', `sObject type '${name}' is not supported for retrieve.`);
		const record = object[3].find((r) => r.Id === id);
		if (!record) return errors(404, 'NOT_FOUND', 'The requested resource does not exist');
		const wanted = fields === null ? Object.keys(record) : fields.split(',').map((f) => f.trim());
		const missing = wanted.find((f) => !(f in record));
		if (missing) return errors(400, 'INVALID_FIELD', `No such column '${missing}' on entity '${name}'.`);
		return json(200, {
			attributes: { type: name, url: `${API}/sobjects/${name}/${id}` },
			...Object.fromEntries(wanted.map((f) => [f, record[f]])),
		});
	}

	function create(
		req: FakeRequest,
		table: SObject[],
		prefix: string,
		allowed: Set<string>,
		required: string[],
	): FakeResponse {
		const unknown = Object.keys(req.body).filter((k) => !allowed.has(k));
		if (unknown.length) return errors(400, 'INVALID_FIELD', `No such column '${unknown[0]}' on sobject`);
		const missing = required.filter((f) => typeof req.body[f] !== 'string' || !req.body[f]);
		if (missing.length)
			return errors(
				400,
				'REQUIRED_FIELD_MISSING',
				`Required fields are missing: [${missing.join(', ')}]`,
				missing,
			);
		const Id = sfId(prefix, 100 + table.length);
		table.push({ ...req.body, Id, CreatedDate: createdDate() });
		return json(201, { id: Id, success: true, errors: [] });
	}

	let base = '';
	const fake = await startFake((req) => {
		if (req.method === 'POST' && req.path === '/services/oauth2/token') return tokenEndpoint(req, base);
		const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const scopes = bearer ? tokens.get(bearer) : undefined;
		if (!scopes) return errors(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
		// A token granted without the `api` scope cannot call the REST API.
		if (!scopes.includes('api'))
			return errors(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API');
		if (exhausted) return errors(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
		if (!req.path.startsWith(`${API}/`)) return errors(404, 'NOT_FOUND', 'The requested resource does not exist');
		const route = req.path.slice(API.length);
		const json400 = req.method !== 'GET' && !req.headers['content-type']?.includes('application/json');
		if (json400) return errors(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
		if (req.method === 'GET' && route === '/limits')
			return json(200, { DailyApiRequests: { Max: 100000, Remaining: 99990 } });
		if (req.method === 'GET' && route === '/query') {
			const q = req.query.get('q');
			return q ? query(q) : errors(400, 'MALFORMED_QUERY', 'A query string has to be specified');
		}
		const locator = /^\/query\/([\w-]+)$/.exec(route)?.[1];
		if (req.method === 'GET' && locator) {
			const cursor = cursors.get(locator);
			return cursor ? batch(cursor) : errors(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		}
		if (req.method === 'GET' && route === '/sobjects') return describeGlobal();
		const record = /^\/sobjects\/(\w+)\/(\w+)$/.exec(route);
		if (req.method === 'GET' && record) return read(record[1], record[2], req.query.get('fields'));
		if (req.method === 'POST' && route === '/sobjects/Lead')
			return create(req, leads, '00Q', LEAD_FIELDS, LEAD_REQUIRED);
		if (req.method === 'POST' && route === '/sobjects/Task')
			return create(req, tasks, '00T', TASK_FIELDS, ['Subject']);
		const accountId = /^\/sobjects\/Account\/(\w+)$/.exec(route)?.[1];
		if (req.method === 'PATCH' && accountId) {
			const account = accounts.find((a) => a.Id === accountId);
			if (!account) return errors(404, 'NOT_FOUND', 'The requested resource does not exist');
			const unknown = Object.keys(req.body).filter((k) => !ACCOUNT_FIELDS.has(k));
			if (unknown.length)
				return errors(400, 'INVALID_FIELD', `No such column '${unknown[0]}' on sobject of type Account`);
			Object.assign(account, req.body);
			return { status: 204 };
		}
		return errors(404, 'NOT_FOUND', 'The requested resource does not exist');
	});
	base = fake.url;

	return Object.assign(fake, {
		client,
		leads,
		accounts,
		tasks,
		stageHistory,
		grant: issue,
		exhaust: (on: boolean) => void (exhausted = on),
		tokenRequests,
		queries,
	});
}
