/** Lint's checks of a large spec in a worker thread beside the mapping give what lint gives in one thread. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importSpec } from '../../scripts/openapi/import';
import { freshFolder } from './helpers';

const OUT = freshFolder('lint-beside');
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** Over the 1 MB from which a spec is linted in a worker: 2,000 paths, one with an official-schema error. */
function largeSpec(): string {
	const paths: Record<string, unknown> = {};
	for (let i = 0; i < 2_000; i++) {
		const description = `Lists the items of shelf ${i}. `.repeat(20);
		const ok = {
			description: 'the items',
			content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
		};
		paths[`/shelves/${i}/items`] = { get: { operationId: `listShelf${i}`, description, responses: { 200: ok } } };
	}
	// No operationId (a fix), and a response description that is no text (the official schema's error).
	paths['/broken'] = { get: { responses: { 200: { description: 5 } } } };
	const item = {
		type: 'object',
		properties: { id: { type: 'string' }, parent: { $ref: '#/components/schemas/Item' } },
	};
	const spec = {
		openapi: '3.0.3',
		info: { title: 'Shelves', version: '1' },
		servers: [{ url: 'https://api.example.com' }],
		paths,
		components: { schemas: { Item: item } },
	};
	const file = join(OUT, 'shelves.json');
	writeFileSync(file, JSON.stringify(spec));
	return file;
}

it('gives the findings and refusal of lint: true once the worker answers, and only the fixes before', async () => {
	const file = largeSpec();
	const inThread = await importSpec(file, { shown: 'shelves.json', lint: true });
	const beside = await importSpec(file, { shown: 'shelves.json', lint: 'beside' });
	const rules = (findings: Array<{ rule: string }>) => findings.map((f) => f.rule);
	expect(rules(inThread.findings)).toEqual(
		expect.arrayContaining(['schema', 'missing-description', 'missing-operation-id', 'circular-ref']),
	);
	expect(rules(beside.findings)).not.toContain('schema');
	const linted = await beside.linted;
	expect(linted?.findings).toEqual(inThread.findings);
	expect(linted?.refusal).toEqual(inThread.refusal);
	expect(linted?.integration).toBe(beside.integration);
	expect(inThread.findings.find((f) => f.rule === 'schema')?.pointer).toBe(
		'/paths/~1broken/get/responses/200/description',
	);
}, 60_000);

it('lints a small spec in this thread', async () => {
	const small = await importSpec(join(__dirname, 'fixtures', 'broken.yaml'), {
		shown: 'broken.yaml',
		lint: 'beside',
	});
	expect(small.linted).toBeUndefined();
	expect(small.findings.map((f) => f.rule)).toContain('schema');
});
