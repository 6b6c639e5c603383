/**
 * The Google Sheets nodes inside a real n8n against a loopback Sheets API: a stored Google OAuth2
 * token with the spreadsheets scope (and a read-only one that fails writes naming the scope),
 * add row / update cell / create sheet / rows keyed by the header row, Connection → Check on the
 * token-info endpoint, and both polling triggers (new rows by row number, changed cells by content).
 */
import { join } from 'node:path';
import type { WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import {
	DRIVE_METADATA_READONLY,
	SHEETS_READONLY,
	SHEETS_SCOPE,
	startGoogleSheets,
	type GoogleSheetsFake,
} from '../fakes/google-sheets';
import { Coverage } from './coverage';
import { CatalogRun, publishAndPoll, shutDown, triggerExecutions } from './helpers';

const coverage = new Coverage(join(__dirname, '../../nodes/GoogleSheets/googleSheets.integration.yaml'));
const full = { rillsGoogleSheetsOAuth2Api: { id: 'sheetsFull', name: 'Sheets full' } };
const readOnly = { rillsGoogleSheetsOAuth2Api: { id: 'sheetsRead', name: 'Sheets read-only' } };
let sheets: GoogleSheetsFake;
let catalog: CatalogRun;

const node = (
	name: string,
	parameters: Record<string, unknown>,
	credentials: WorkflowNode['credentials'] = full,
): WorkflowNode => ({
	name,
	type: 'CUSTOM.googleSheets',
	parameters: { resource: 'row', spreadsheetId: sheets.spreadsheetId, ...parameters },
	credentials,
});
const api = (method: string) => sheets.requests.filter((r) => r.method === method && r.path.startsWith('/v4/'));

beforeAll(async () => {
	sheets = await startGoogleSheets();
	catalog = await CatalogRun.create();
	const credential = (id: string, name: string, scopes: string[]) => {
		const token = sheets.grant(scopes);
		catalog.secrets.push(token);
		return {
			id,
			name,
			type: 'rillsGoogleSheetsOAuth2Api',
			data: {
				apiUrl: sheets.url,
				googleApisUrl: sheets.url,
				clientId: 'sheets-client',
				clientSecret: 'sheets-client-secret-5e1d',
				scope: scopes.join(' '),
				oauthTokenData: {
					access_token: token,
					refresh_token: `1//${token.slice(-12)}`,
					token_type: 'Bearer',
					scope: scopes.join(' '),
				},
			},
		};
	};
	catalog.secrets.push('sheets-client-secret-5e1d');
	await catalog.n8n.importCredentials([
		// With Drive's file names too, for the Spreadsheet picker.
		credential('sheetsFull', 'Sheets full', [SHEETS_SCOPE, DRIVE_METADATA_READONLY]),
		credential('sheetsRead', 'Sheets read-only', [SHEETS_READONLY]),
	]);
});

afterAll(() => shutDown(undefined, catalog, sheets));

beforeEach(() => sheets.requests.splice(0));

describe('actions', () => {
	it('adds a row, updates a cell of it, creates a sheet and reads the rows keyed by the header, in one workflow', async () => {
		const execution = await catalog.run(
			node('Add Row', {
				operation: 'append',
				range: 'Sheet1!A:C',
				valueInputOption: 'USER_ENTERED',
				values0: '["Margaret", "margaret@example.com", 55]',
			}),
			node('Update Cell', {
				operation: 'update',
				range: "={{ $json.updatedRange.replace(/!A(\\d+):C\\d+/, '!C$1') }}",
				valueInputOption: 'RAW',
				values00: '99',
			}),
			node('Create Sheet', {
				resource: 'sheet',
				operation: 'create',
				requests0AddSheetPropertiesTitle: 'Q3',
				additionalFields: { requests0AddSheetPropertiesIndex: 1 },
			}),
			{ ...node('Rows', { operation: 'getAll', range: 'Sheet1!A:Z', returnAll: true }), executeOnce: true },
		);
		expect(execution.error).toBeUndefined();
		const [append, batch] = api('POST');
		expect(append.path).toBe(
			`/v4/spreadsheets/${sheets.spreadsheetId}/values/${encodeURIComponent('Sheet1!A:C')}:append`,
		);
		expect(append.query.get('valueInputOption')).toBe('USER_ENTERED');
		expect(append.headers.authorization).toMatch(/^Bearer ya29\./);
		expect(append.body).toEqual({ values: [['Margaret', 'margaret@example.com', 55]] });
		expect(execution.output['Add Row']).toEqual([
			{
				spreadsheetId: sheets.spreadsheetId,
				updatedRange: 'Sheet1!A6:C6',
				updatedRows: 1,
				updatedColumns: 3,
				updatedCells: 3,
			},
		]);
		coverage.ran('row:append');

		const [put] = api('PUT');
		expect(decodeURIComponent(put.path)).toBe(`/v4/spreadsheets/${sheets.spreadsheetId}/values/Sheet1!C6`);
		expect(put.query.get('valueInputOption')).toBe('RAW');
		expect(put.body).toEqual({ values: [['99']] });
		expect(execution.output['Update Cell'][0]).toMatchObject({ updatedRange: 'Sheet1!C6', updatedCells: 1 });
		coverage.ran('row:update');

		expect(batch.path).toBe(`/v4/spreadsheets/${sheets.spreadsheetId}:batchUpdate`);
		expect(batch.body).toEqual({ requests: [{ addSheet: { properties: { title: 'Q3', index: 1 } } }] });
		expect(execution.output['Create Sheet']).toEqual([
			expect.objectContaining({ title: 'Q3', index: 1, sheetType: 'GRID' }),
		]);
		expect(sheets.sheets.has('Q3')).toBe(true);
		coverage.ran('sheet:create');

		expect(execution.output.Rows).toEqual([
			{ row_number: 2, Name: 'Ada', Email: 'ada@example.com', Score: '42' },
			{ row_number: 3, Name: 'Grace', Email: 'grace@example.com', Score: '37' },
			{ row_number: 5, Name: 'Linus', Email: '', Score: '12' },
			{ row_number: 6, Name: 'Margaret', Email: 'margaret@example.com', Score: '99' },
		]);
		coverage.ran('row:getAll');
		expect(sheets.violations).toEqual([]);
	});

	it('a read-only token reads rows but fails Add Row naming the spreadsheets scope; Google’s 400 text reaches the error', async () => {
		const denied = await catalog.run(
			node(
				'Add Row',
				{ operation: 'append', range: 'Sheet1!A:C', valueInputOption: 'RAW', values0: '["x"]' },
				readOnly,
			),
		);
		expect(denied.error?.message).toBe(
			`"Sheets read-only" was not granted the scope ${SHEETS_SCOPE} that this operation needs`,
		);
		expect(api('POST')).toEqual([]);
		const rows = await catalog.run(
			node('Rows', { operation: 'getAll', range: 'Sheet1!A1:C3', returnAll: true }, readOnly),
		);
		expect(rows.output.Rows.map((r) => r.Name)).toEqual(['Ada', 'Grace']);
		const duplicate = await catalog.run(
			node('Create Sheet', {
				resource: 'sheet',
				operation: 'create',
				requests0AddSheetPropertiesTitle: 'Sheet1',
			}),
		);
		expect(duplicate.error?.description).toContain('A sheet with the name "Sheet1" already exists');
	});

	it('Connection → Check asks Google’s token info with the stored token', async () => {
		const execution = await catalog.run({
			name: 'Check',
			type: 'CUSTOM.googleSheets',
			parameters: { resource: 'connection', operation: 'check' },
			credentials: full,
		});
		expect(execution.output.Check[0]).toMatchObject({ status: 'ok', httpStatus: 200, consecutiveFailures: 0 });
		expect(sheets.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /oauth2/v3/tokeninfo']);
	});
	it('a spreadsheet given By URL and a sheet picked From List (the range of its whole table) read the rows', async () => {
		const spreadsheet = {
			__rl: true,
			mode: 'url',
			value: `https://docs.google.com/spreadsheets/d/${sheets.spreadsheetId}/edit#gid=0`,
		};
		const execution = await catalog.run({
			...node('Rows', {
				operation: 'getAll',
				spreadsheetId: spreadsheet,
				range: { __rl: true, mode: 'list', value: 'Sheet1', cachedResultName: 'Sheet1' },
				returnAll: true,
			}),
		});
		expect(execution.error).toBeUndefined();
		expect(execution.output.Rows[0]).toEqual({ row_number: 2, Name: 'Ada', Email: 'ada@example.com', Score: '42' });
		expect(decodeURIComponent(api('GET').pop()!.path)).toBe(
			`/v4/spreadsheets/${sheets.spreadsheetId}/values/Sheet1`,
		);
	});
});

describe('polling triggers in n8n start', () => {
	let server: N8nServer;
	let rowAdded: string;
	let cellUpdated: string;
	const reads = () => api('GET').length;

	beforeAll(async () => {
		const trigger = (event: string): WorkflowNode => ({
			name: '',
			type: 'CUSTOM.googleSheetsPollingTrigger',
			parameters: { event, spreadsheetId: sheets.spreadsheetId, range: 'Sheet1!A:Z' },
			credentials: full,
		});
		rowAdded = await catalog.pollingWorkflow('New Row', trigger('rowAdded'));
		cellUpdated = await catalog.pollingWorkflow('Cell Updated', trigger('cellUpdated'));
		server = await N8nServer.start(catalog.n8n);
	});

	afterAll(async () => {
		if (server) catalog.logs.push(server.log);
		await server?.stop();
	});

	it('after first polls that emit nothing, New Row emits only the appended row and Cell Updated the changed and the appended row', async () => {
		await publishAndPoll(server, rowAdded, reads, 1);
		await publishAndPoll(server, cellUpdated, reads, 1);
		const rows = sheets.sheets.get('Sheet1')!;
		rows[1][2] = '43';
		rows.push(['Katherine', 'katherine@example.com', '88']);

		await publishAndPoll(server, rowAdded, reads, 1, true);
		const added = await triggerExecutions(server, rowAdded, 1);
		expect(added[0].output['New Row']).toEqual([
			{ row_number: 7, Name: 'Katherine', Email: 'katherine@example.com', Score: '88' },
		]);
		coverage.ran('trigger:rowAdded');

		await publishAndPoll(server, cellUpdated, reads, 1, true);
		const updated = await triggerExecutions(server, cellUpdated, 1);
		expect(updated[0].output['Cell Updated']).toEqual([
			{ row_number: 2, Name: 'Ada', Email: 'ada@example.com', Score: '43' },
			{ row_number: 7, Name: 'Katherine', Email: 'katherine@example.com', Score: '88' },
		]);
		coverage.ran('trigger:cellUpdated');

		// Nothing changed: the next polls emit nothing.
		await publishAndPoll(server, cellUpdated, reads, 1, true);
		await publishAndPoll(server, rowAdded, reads, 1, true);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await triggerExecutions(server, cellUpdated, 1)).toHaveLength(1);
		expect(await triggerExecutions(server, rowAdded, 1)).toHaveLength(1);
		expect(api('GET').every((r) => decodeURIComponent(r.path).endsWith('/values/Sheet1!A:Z'))).toBe(true);
		expect(sheets.violations).toEqual([]);
	});

	it('Spreadsheet pages Drive’s spreadsheets (filtered by name); Range offers the chosen spreadsheet’s sheets', async () => {
		const picker = (nodeType: string, methodName: string, parameters: Record<string, unknown>, more = {}) =>
			server.listSearch({
				nodeType,
				methodName,
				path: methodName,
				parameters: { authentication: 'oAuth2', ...parameters },
				credentials: full,
				...more,
			});
		const getAll = { resource: 'row', operation: 'getAll' };
		const first = await picker('CUSTOM.googleSheets', 'spreadsheetId', getAll);
		const url = (id: string) => `https://docs.google.com/spreadsheets/d/${id}/edit`;
		expect(first.results[0]).toEqual({
			name: 'Budget',
			value: sheets.spreadsheetId,
			url: url(sheets.spreadsheetId),
		});
		expect(first.results).toHaveLength(100);
		const second = await picker('CUSTOM.googleSheets', 'spreadsheetId', getAll, {
			paginationToken: first.paginationToken,
		});
		expect(second.results.map((r) => r.name)).toEqual(
			Array.from({ length: 31 }, (_, i) => `Sheet report ${String(i + 100).padStart(3, '0')}`),
		);
		expect(second.paginationToken).toBeUndefined();
		// Drive searches only inside `q`: the picker filters the page by name, so neither documents nor the bin show.
		const found = await picker('CUSTOM.googleSheets', 'spreadsheetId', getAll, { filter: 'budget' });
		expect(found.results).toEqual([
			{ name: 'Budget', value: sheets.spreadsheetId, url: url(sheets.spreadsheetId) },
		]);
		const listed = sheets.requests.filter((r) => r.path === '/drive/v3/files');
		expect(listed).toHaveLength(3);
		expect(listed.map((r) => [r.query.get('pageSize'), r.query.has('pageToken')])).toEqual([
			['100', false],
			['100', true],
			['100', false],
		]);
		expect(listed[0].query.get('q')).toBe("mimeType='application/vnd.google-apps.spreadsheet' and trashed=false");
		expect(listed.every((r) => /^Bearer ya29\./.test(r.headers.authorization ?? ''))).toBe(true);

		// The sheets of the spreadsheet chosen By URL, in the action node and in the polling trigger alike.
		const spreadsheet = { __rl: true, mode: 'url', value: `${url(sheets.spreadsheetId)}#gid=0` };
		const tabs = await picker('CUSTOM.googleSheets', 'range', { ...getAll, spreadsheetId: spreadsheet });
		expect(tabs.results.map((r) => r.name)).toEqual([...sheets.sheets.keys()]);
		expect(tabs.results[0]).toEqual({ name: 'Sheet1', value: 'Sheet1' });
		const polled = await picker('CUSTOM.googleSheetsPollingTrigger', 'range', {
			event: 'rowAdded',
			spreadsheetId: { __rl: true, mode: 'id', value: sheets.spreadsheetId },
		});
		expect(polled.results).toEqual(tabs.results);
		expect(api('GET').map((r) => [r.path, r.query.get('fields')])).toEqual([
			[`/v4/spreadsheets/${sheets.spreadsheetId}`, 'sheets.properties(sheetId,title,index)'],
			[`/v4/spreadsheets/${sheets.spreadsheetId}`, 'sheets.properties(sheetId,title,index)'],
		]);
	});
});

it('every operation and trigger ran, and no token or client secret appeared in any log', () => {
	expect(catalog.leaks()).toEqual([]);
	expect(coverage.missing()).toEqual([]);
});

it('answered as the Sheets and Drive descriptions say', () => {
	expect(sheets.drift).toEqual([]);
});
