/**
 * The runtime pieces the Trello, Google Sheets, Airtable and Dropbox definitions added, on their
 * own (the catalog tests run them inside n8n): table answers as header-keyed rows, content
 * dedupe, header-safe JSON for Dropbox-API-Arg, and base URLs of operations on another host.
 */
import { headerSafeJson } from '../../nodes/shared/files';
import { tableRows } from '../../nodes/shared/pagination';
import { onBase, type Connection } from '../../nodes/shared/session';
import { selectNew } from '../../nodes/shared/triggers/dedupe';
import type { IntegrationTable } from '../../nodes/shared/types';

describe('tableRows', () => {
	const body = {
		range: 'Sheet1!A4:C9',
		values: [['Name', '', 'Score'], ['Ada', 'x', '42'], [], ['Grace'], ['', '', '']],
	};

	it('keys each non-empty row by the header, numbers it from the range start, fills missing cells and names empty headers', () => {
		expect(tableRows(body, { path: 'values', rangePath: 'range' })).toEqual([
			{ row_number: 5, Name: 'Ada', column_2: 'x', Score: '42' },
			{ row_number: 7, Name: 'Grace', column_2: '', Score: '' },
		]);
	});

	it('without a range the header is row 1; quoted sheet names and whole-column ranges work', () => {
		expect(tableRows({ values: [['A'], ['1']] }, { path: 'values' })).toEqual([{ row_number: 2, A: '1' }]);
		expect(
			tableRows({ range: "'My Sheet'!B:D", values: [['A'], ['1']] }, { path: 'values', rangePath: 'range' }),
		).toEqual([{ row_number: 2, A: '1' }]);
		expect(tableRows({ range: 'Sheet1!A1:Z1000' }, { path: 'values', rangePath: 'range' })).toEqual([]);
	});
});

describe('content dedupe', () => {
	const spec = { strategy: 'content' as const, idPath: 'row_number', lookbackSeconds: 0, seenLimit: 100 };

	it('emits an item again only when its content changed, and new items once', () => {
		const first = selectNew(
			[
				{ row_number: 2, a: '1' },
				{ row_number: 3, a: '2' },
			],
			spec,
			undefined,
			{ emit: 'none', count: 0 },
		);
		expect(first.emit).toEqual([]);
		const second = selectNew(
			[
				{ row_number: 2, a: '1' },
				{ row_number: 3, a: 'changed' },
				{ row_number: 4, a: 'new' },
			],
			spec,
			first.cursor,
			{ emit: 'none', count: 0 },
		);
		expect(second.emit).toEqual([
			{ row_number: 3, a: 'changed' },
			{ row_number: 4, a: 'new' },
		]);
		const third = selectNew(
			[
				{ row_number: 2, a: '1' },
				{ row_number: 3, a: 'changed' },
				{ row_number: 4, a: 'new' },
			],
			spec,
			second.cursor,
			{ emit: 'none', count: 0 },
		);
		expect(third.emit).toEqual([]);
	});
});

it('headerSafeJson writes non-ASCII as \\u escapes and leaves ASCII alone', () => {
	const text = headerSafeJson({ path: '/Überblick/😀.txt', mode: 'add' });
	expect(text).toBe('{"path":"/\\u00dcberblick/\\ud83d\\ude00.txt","mode":"add"}');
	expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
	expect(JSON.parse(text)).toEqual({ path: '/Überblick/😀.txt', mode: 'add' });
});

it('onBase fills an operation’s own base URL from the credential and lets the credential go to its origin', () => {
	const table = { configDefaults: { contentUrl: 'https://content.example' } } as unknown as IntegrationTable;
	const connection = {
		baseUrl: 'https://api.example/2',
		credentials: { contentUrl: 'http://127.0.0.1:9/' },
		session: { origin: 'https://api.example' },
	} as unknown as Connection;
	const moved = onBase(connection, table, '{contentUrl}/2');
	expect(moved.baseUrl).toBe('http://127.0.0.1:9/2');
	expect(moved.session.origin).toBe('http://127.0.0.1:9');
	expect(onBase(connection, table, undefined)).toBe(connection);
	expect(onBase({ ...connection, credentials: {} }, table, '{contentUrl}/2').baseUrl).toBe(
		'https://content.example/2',
	);
});
