/**
 * The Custom API node's spec handling without n8n: the importer's findings at their JSON pointers,
 * refusals that say what to do, the per-process cache staying bounded, the admin's settings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedSpecs, compileSpec } from '../../nodes/CustomApi/compile';
import type { IExecuteFunctions } from 'n8n-workflow';
import { mapperFields, RAW_BODY, withMappedParameters } from '../../nodes/CustomApi/fields';
import { adminPagination, baseUrlOf, renamerOf, settingProblems } from '../../nodes/CustomApi/settings';
import { importSpec } from '../../scripts/openapi/import';
import { operationTable } from '../../scripts/emit/table';
import { CATALOG } from '../../scripts/generate';
import type { IntegrationTable } from '../../nodes/shared/types';

const SPEC_FILE = join(__dirname, 'fixtures', 'notes.openapi.json');
const SPEC = readFileSync(SPEC_FILE, 'utf8');
type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; [key: string]: unknown };
const doc = () => JSON.parse(SPEC) as Doc;

it('lists what the generator would generate from the same spec, with the same table', async () => {
	const compiled = await compileSpec(SPEC);
	const { integration } = await importSpec(SPEC_FILE);
	expect(compiled.integration!.resources).toEqual(integration!.resources);
	expect(compiled.table!.operations).toEqual(operationTable(integration!, CATALOG).operations);
});

it("reports the seed's findings at their JSON pointers and fixes what is safe", async () => {
	const spec = doc();
	delete (spec.info as Record<string, unknown>).description;
	spec.paths['/notes'].post.operationId = 'listNotes';
	delete spec.paths['/me'].get.operationId;
	spec.paths['/notes/'] = spec.paths['/notes/{noteId}'];
	delete spec.paths['/notes/{noteId}'];
	const schemas = (spec.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
	schemas.Note.required = ['id', 'title', 'colour'];
	schemas.NewNote.properties = {
		...(schemas.NewNote.properties as object),
		code: { type: 'string', pattern: '[z-a]' },
	};
	const { findings, integration } = await compileSpec(JSON.stringify(spec));
	const at = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.pointer);
	expect(at('missing-description')).toEqual(['/info/description']);
	expect(at('duplicate-operation-id')).toEqual(['/paths/~1notes/post/operationId']);
	expect(at('missing-operation-id')).toEqual(['/paths/~1me/get/operationId']);
	expect(at('path-trailing-slash')).toEqual(['/paths/~1notes~1']);
	expect(at('required-not-defined')).toEqual(['/components/schemas/Note/required/2']);
	expect(at('invalid-pattern')).toEqual(['/components/schemas/NewNote/properties/code/pattern']);
	expect(findings.every((f) => Boolean(f.fix))).toBe(true);
	// Fixed, the spec is still usable.
	expect(integration!.resources.flatMap((r) => r.operations.map((o) => o.path))).toContain('/notes');
});

it.each([
	['', 'empty'],
	['openapi: 3.0.0\npaths: [', 'syntax'],
	['just words', 'not-a-spec'],
	['{"openapi": "3.0.0",', 'syntax'],
	['[]', 'not-a-spec'],
	['{"openapi": "4.0.0", "paths": {}}', 'unsupported-version'],
	['swagger: "1.2"\napis: []', 'unsupported-version'],
	['{"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": {}}', 'no-operations'],
])('refuses %j with a finding (%s) that says what to do', async (text, rule) => {
	const compiled = await compileSpec(text);
	expect(compiled.integration).toBeUndefined();
	expect(compiled.findings).toEqual(
		expect.arrayContaining([expect.objectContaining({ rule, severity: 'error', fix: expect.any(String) })]),
	);
});

it('a spec value is never an n8n expression: such enum values are not offered', async () => {
	const spec = doc();
	const parameters = spec.paths['/notes'].get.parameters as Array<Record<string, unknown>>;
	parameters[2].schema = { type: 'string', enum: ['work', '={{ $env.N8N_ENCRYPTION_KEY }}'] };
	const { integration } = await compileSpec(JSON.stringify(spec));
	const list = integration!.resources.find((r) => r.name === 'notes')!.operations.find((o) => o.list)!;
	expect(mapperFields(list).find((f) => f.id === 'tag')!.options).toEqual([{ name: 'work', value: 'work' }]);
});

it('keeps one compiled copy per spec text, and the cache bounded as credentials change', async () => {
	const first = await compileSpec(SPEC);
	expect(await compileSpec(SPEC)).toBe(first);
	// Same length and ends, another middle: the key matches, the text does not, so it is compiled anew.
	const padded = SPEC.replace('"Notes"', `"Notes"${' '.repeat(70_000)}`) + ' '.repeat(70_000);
	const other = padded.replace('"Create a note"', '"Create a memo"');
	expect(await compileSpec(other)).not.toBe(await compileSpec(padded));
	expect(JSON.stringify((await compileSpec(other)).integration)).toContain('Create a memo');
	for (let i = 0; i < 40; i++) await compileSpec(SPEC.replace('"1.0.0"', `"1.0.${i + 1}"`));
	const { entries, chars } = cachedSpecs();
	expect(entries).toBeLessThanOrEqual(16);
	expect(chars).toBeLessThanOrEqual(16 * SPEC.length + SPEC.length);
});

it('offers required fields shown and optional ones to add, the raw body apart', async () => {
	const create = (await compileSpec(SPEC)).integration!.resources[1].operations.find((o) => o.name === 'create')!;
	expect(mapperFields(create).map((f) => [f.id, f.required, f.removed])).toEqual([
		['title', true, false],
		['metaTags', false, true],
		['metaAuthor', true, false],
	]);
});

describe("the admin's settings", () => {
	let table: IntegrationTable;
	beforeAll(async () => {
		table = (await compileSpec(SPEC)).table!;
	});

	it("uses the spec's server unless the admin gives a base URL, and never a template", () => {
		expect(baseUrlOf({}, table)).toBe('https://notes.example.com/v1');
		expect(baseUrlOf({ baseUrl: 'http://127.0.0.1:9/v1/' }, table)).toBe('http://127.0.0.1:9/v1');
		expect(settingProblems({ baseUrl: 'https://x.example/{apiKey}' }, table)[0].message).toMatch(/not an http/);
	});

	it('maps the seed pagination types onto the runtime, within its bounds', () => {
		expect(adminPagination({ paginationType: 'spec' })).toBeUndefined();
		expect(
			adminPagination({ paginationType: 'index', indexParam: 'start', pageSize: 5000, pageLimit: 99 }),
		).toEqual(expect.objectContaining({ type: 'offset', offsetParam: 'start', pageSize: 1000, maxPages: 20 }));
		expect(adminPagination({ paginationType: 'link', nextLinkLocation: 'body', nextPagePath: 'next' })).toEqual(
			expect.objectContaining({ type: 'link', location: 'body', nextUrlPath: 'next' }),
		);
		expect(
			adminPagination({ paginationType: 'pointer', afterParam: 'after', pointerPath: '$.meta.cursor' }),
		).toEqual(expect.objectContaining({ type: 'cursor', cursorParam: 'after', cursorPath: '$.meta.cursor' }));
		expect(settingProblems({ paginationType: 'pointer', afterParam: 'after' }, table)).toEqual([
			{ message: 'Pointer JSONPath is empty', fix: expect.stringContaining('Pointer JSONPath') },
		]);
	});

	it('renames actions by regex, and reports a pattern that is not one', () => {
		expect(renamerOf({ renamePattern: '^(.*?) Get$', renameReplacement: 'Get $1' })('Photo Records Get')).toBe(
			'Get Photo Records',
		);
		expect(settingProblems({ renamePattern: '[z-a]' }, table)[0].message).toMatch(/not a valid regular expression/);
		expect(settingProblems({ extraHeaders: '{"X-A": ' }, table)[0].message).toMatch(/not valid JSON/);
	});
});

it('an action whose spec requires a body says so when Body (JSON) is left empty, before any request', async () => {
	const spec = doc();
	spec.paths['/notes/{noteId}'].put = {
		tags: ['Notes'],
		operationId: 'setTags',
		requestBody: {
			required: true,
			content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } },
		},
		responses: { '204': { description: 'Set' } },
	};
	const { integration } = await compileSpec(JSON.stringify(spec));
	const op = integration!.resources.find((r) => r.name === 'notes')!.operations.find((o) => o.name === 'setTags')!;
	const context = (body: unknown) =>
		({
			getNode: () => ({ name: 'Notes' }),
			getNodeParameter: (name: string) =>
				name === 'fields' ? { value: { noteId: 'n1' } } : name === RAW_BODY ? body : undefined,
		}) as unknown as IExecuteFunctions;
	for (const empty of ['', '  '])
		expect(() => withMappedParameters(context(empty), op, op.name).getNodeParameter(RAW_BODY, 0)).toThrow(
			'This action needs a request body',
		);
	expect(withMappedParameters(context('["a"]'), op, op.name).getNodeParameter(RAW_BODY, 0)).toBe('["a"]');
});

it("a required body that its fields carry (Asana's `{data: {...}}`) needs no Body (JSON)", async () => {
	const spec = doc();
	spec.paths['/notes'].post.requestBody = {
		required: true,
		content: {
			'application/json': {
				schema: {
					type: 'object',
					properties: { data: { type: 'object', properties: { title: { type: 'string' } } } },
				},
			},
		},
	};
	const { integration } = await compileSpec(JSON.stringify(spec));
	const op = integration!.resources.find((r) => r.name === 'notes')!.operations.find((o) => o.name === 'create')!;
	const context = (value: Record<string, unknown>) =>
		({
			getNode: () => ({ name: 'Notes' }),
			getNodeParameter: (name: string, _i: number, fallback: unknown) =>
				name === 'fields' ? { value } : name === RAW_BODY ? '' : fallback,
		}) as unknown as IExecuteFunctions;
	const withTitle = withMappedParameters(context({ dataTitle: 'Plan' }), op, op.name);
	expect(withTitle.getNodeParameter('additionalFields', 0)).toEqual({ dataTitle: 'Plan' });
	// The runtime sets the fields into an empty body rather than call a required body missing.
	expect(withTitle.getNodeParameter(RAW_BODY, 0)).toBe('{}');
	expect(() => withMappedParameters(context({}), op, op.name).getNodeParameter('additionalFields', 0)).toThrow(
		'This action needs a request body',
	);
});
