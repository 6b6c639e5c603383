/**
 * Node versions from the definition to the description n8n reads: each version shows its own operations and fields
 * (resolved by n8n's own NodeHelpers), the table tells the runtime which version sends what, and inconsistent
 * markers are refused with located findings.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHelpers, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import type { IntegrationTable } from '../../nodes/shared/types';
import { namespaceOf } from '../../scripts/emit/names';
import { integrationFiles } from '../../scripts/generate';
import { loadDefinition } from '../../scripts/load/definition';
import { evaluateExports, evaluateNode } from '../../scripts/openapi/evaluate';

let folder: string;
beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'rills-versions-'))));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const HEAD = `name: shelfApi
displayName: Shelf API
description: Books on a shelf
baseUrl: https://shelf.example/api
auth: { type: apiKey, name: X-Key }
connectionTest: { path: /me }
`;

/** Version 2 renamed the `fields` query parameter; version 3 dropped `archive` and added `search`. */
const SHELF = `${HEAD}version: 3
resources:
  book:
    operations:
      get:
        method: GET
        path: /books/{id}
        parameters:
          - { name: id, in: path }
          - { name: fields, required: true, until: 1 }
          - { name: select, required: true, since: 2 }
      archive: { method: POST, path: /books/archive, until: 2 }
      search: { method: GET, path: /search, since: 3 }
`;

function load(yaml: string, into = folder) {
	const file = join(into, 'shelf.integration.yaml');
	writeFileSync(file, yaml);
	return loadDefinition(file, into);
}

function node(yaml: string): { description: INodeTypeDescription; table: IntegrationTable } {
	const { integration, findings } = load(yaml);
	if (!integration) throw new Error(JSON.stringify(findings, null, 2));
	const files = integrationFiles(integration, 'shelf.integration.yaml', folder, namespaceOf('n8n-nodes-test'));
	const source = files.find((f) => f.path.endsWith('ShelfApi.node.ts'))!.content;
	return { description: evaluateNode(source), table: evaluateExports(source).table as IntegrationTable };
}

/** The parameters n8n keeps for a node of `typeVersion` holding `values`: what it saves and runs with. */
function kept(description: INodeTypeDescription, typeVersion: number, values: Record<string, unknown>) {
	const node = { typeVersion };
	return NodeHelpers.getNodeParameters(description.properties, values as never, false, false, node, description);
}

/** The operations the Operation field offers a node of `typeVersion` for the book resource. */
function operations(description: INodeTypeDescription, typeVersion: number): unknown[] {
	const shown = description.properties.filter(
		(p: INodeProperties) =>
			p.name === 'operation' &&
			NodeHelpers.displayParameter({ resource: 'book' }, p, { typeVersion }, description),
	);
	return shown.flatMap((p) => (p.options ?? []).map((o) => ('value' in o ? o.value : undefined)));
}

it('a definition without a version makes a node of version 1 only', () => {
	const { description } = node(
		`${HEAD}resources:\n  book:\n    operations:\n      get: { method: GET, path: /books }\n`,
	);
	expect(description.version).toBe(1);
	expect(description.defaultVersion).toBeUndefined();
	expect(JSON.stringify(description.properties)).not.toContain('@version');
});

it('lists every version, new nodes get the newest, and each version offers its own operations', () => {
	const { description } = node(SHELF);
	expect(description.version).toEqual([1, 2, 3]);
	expect(description.defaultVersion).toBe(3);
	expect(operations(description, 1)).toEqual(['archive', 'get']);
	expect(operations(description, 2)).toEqual(['archive', 'get']);
	expect(operations(description, 3)).toEqual(['get', 'search']);
});

it('n8n keeps the fields of the node’s own version: a saved version 1 node keeps `fields`', () => {
	const { description } = node(SHELF);
	const values = { resource: 'book', operation: 'get', id: 'b1', fields: 'title', select: 'author' };
	// Values equal to their defaults (resource, operation) are left out, as n8n saves them.
	expect(kept(description, 1, values)).toEqual({ id: 'b1', fields: 'title' });
	expect(kept(description, 2, values)).toEqual({ id: 'b1', select: 'author' });
	expect(kept(description, 3, values)).toEqual({ id: 'b1', select: 'author' });
});

it('the table tells the runtime which versions send each operation and parameter', () => {
	const { table } = node(SHELF);
	const get = table.operations['book:get'];
	expect(get.parameters.map(({ name, since, until }) => ({ name, since, until }))).toEqual([
		{ name: 'id', since: undefined, until: undefined },
		{ name: 'fields', since: undefined, until: 1 },
		{ name: 'select', since: 2, until: undefined },
	]);
	expect(table.operations['book:archive']).toMatchObject({ until: 2 });
	expect(table.operations['book:search']).toMatchObject({ since: 3 });
});

describe('inconsistent version markers are refused where they are', () => {
	/** A definition of `version` whose `get` has these parameters (YAML flow mappings), from line 15 on. */
	const get = (version: number, parameters: string[], marker = '') =>
		`${HEAD}version: ${version}\nresources:\n  book:\n    operations:\n      get:\n        method: GET\n` +
		`        path: /books/{id}${marker}\n        parameters:\n${parameters.map((p) => `          - ${p}\n`).join('')}`;
	const findings = (yaml: string) =>
		load(yaml).findings.map(({ severity, rule, pointer, line }) => ({ severity, rule, pointer, line }));
	const at = (i: number, key?: string) => `/resources/book/operations/get/parameters/${i}${key ? `/${key}` : ''}`;

	it.each([
		[
			'since names a version the node does not have',
			get(2, ['{ name: id, in: path }', '{ name: q, since: 3 }']),
			{ severity: 'error', rule: 'unknown-version', pointer: at(1, 'since'), line: 16 },
		],
		[
			'until the newest version ends nothing',
			get(2, ['{ name: id, in: path }', '{ name: q, until: 2 }']),
			{ severity: 'error', rule: 'unknown-version', pointer: at(1, 'until'), line: 16 },
		],
		[
			'since after until',
			get(3, ['{ name: id, in: path }', '{ name: q, since: 2, until: 1 }']),
			{ severity: 'error', rule: 'empty-version-range', pointer: at(1), line: 16 },
		],
		[
			'a parameter that ends before its operation starts',
			get(2, ['{ name: id, in: path }', '{ name: q, until: 1 }'], '\n        since: 2'),
			{ severity: 'error', rule: 'empty-version-range', pointer: at(1), line: 17 },
		],
		[
			'two parameters sent under one name in the same version',
			get(2, ['{ name: id, in: path }', '{ name: q }', '{ name: q, since: 2 }']),
			{
				severity: 'error',
				rule: 'duplicate-parameter',
				pointer: '/resources/book/operations/get/parameters',
				line: 15,
			},
		],
		[
			'a version whose path parameter was ended',
			get(2, ['{ name: id, in: path, until: 1 }']),
			{
				severity: 'error',
				rule: 'undefined-path-parameter',
				pointer: '/resources/book/operations/get/path',
				line: 13,
			},
		],
		[
			'a version that changes nothing',
			get(2, ['{ name: id, in: path }']),
			{ severity: 'warning', rule: 'unused-version', pointer: '/version', line: 7 },
		],
	])('%s', (_, yaml, finding) => {
		expect(findings(yaml)).toEqual([finding]);
	});

	it('a parameter renamed between versions is no duplicate', () => {
		expect(
			findings(
				get(2, ['{ name: id, in: path }', '{ name: q, until: 1 }', '{ name: q, type: number, since: 2 }']),
			),
		).toEqual([]);
	});

	it('trigger parameters have no versions', () => {
		const yaml =
			get(2, ['{ name: id, in: path }', '{ name: q, since: 2 }']) +
			'triggers:\n  - type: webhook\n    name: changed\n    events: [book.changed]\n' +
			'    parameters: [{ name: shelf, since: 2 }]\n';
		expect(findings(yaml)).toContainEqual({
			severity: 'error',
			rule: 'versioned-trigger-parameter',
			pointer: '/triggers/0/parameters/0',
			line: 21,
		});
	});
});

describe('a change that would break saved workflows needs a new version', () => {
	const before = `${HEAD}resources:
  book:
    operations:
      get:
        method: GET
        path: /books
        parameters:
          - { name: fields, required: true }
          - { name: max }
`;
	let generated: string;
	/** The findings of `yaml` next to the node generated from the definition before the change. */
	const check = (yaml: string) =>
		load(yaml, generated).findings.map(({ severity, rule, pointer, message, fix }) => ({
			severity,
			rule,
			pointer,
			message,
			fix,
		}));
	const breaking = (pointer: string, message: string) => ({
		severity: 'error',
		rule: 'breaking-change',
		pointer,
		message,
		fix: 'raise `version:` to 2, mark the old form `until: 1` and the new one `since: 2`',
	});
	const get = '/resources/book/operations/get';

	beforeAll(() => {
		generated = join(folder, 'generated');
		mkdirSync(generated);
		const { integration } = load(before, generated);
		const files = integrationFiles(
			integration!,
			'shelf.integration.yaml',
			generated,
			namespaceOf('n8n-nodes-test'),
		);
		const file = files.find((f) => f.path.endsWith('ShelfApi.node.ts'))!;
		writeFileSync(join(generated, 'ShelfApi.node.ts'), file.content);
	});

	it.each([
		[
			'a renamed field',
			before.replace('name: fields', 'name: select'),
			[
				breaking(get, 'version 1 of book:get had the field "fields": saved values would be lost'),
				breaking(get, 'version 1 of book:get gets the required field "select": saved workflows lack it'),
			],
		],
		[
			'a field of another type',
			before.replace('{ name: max }', '{ name: max, type: number }'),
			[
				breaking(
					get,
					'version 1 of book:get sent the field "max" as query "max" (string), now as query "max" (number)',
				),
			],
		],
		[
			'a field moved to a header',
			before.replace('{ name: max }', '{ name: max, in: header }'),
			[
				breaking(
					get,
					'version 1 of book:get sent the field "max" as query "max" (string), now as header "max" (string)',
				),
			],
		],
		[
			'a removed operation',
			before.replace('      get:', '      read:'),
			[
				breaking(
					'/resources',
					'version 1 had the operation book:get: workflows saved with it would stop working',
				),
			],
		],
	])('%s', (_, yaml, findings) => {
		expect(check(yaml)).toEqual(findings);
	});

	it('new optional fields and new operations break nothing', () => {
		const added = before.replace(
			'          - { name: max }\n',
			'          - { name: max }\n          - { name: sort }\n',
		);
		expect(check(`${added}      getAll: { method: GET, path: /all }\n`)).toEqual([]);
	});

	it('the same change in a new version, the old form kept, breaks nothing', () => {
		const versioned = before
			.replace('resources:', 'version: 2\nresources:')
			.replace('{ name: fields, required: true }', '{ name: fields, required: true, until: 1 }')
			.replace('{ name: max }', '{ name: max, until: 1 }\n          - { name: max, type: number, since: 2 }');
		expect(check(versioned)).toEqual([]);
		expect(check(versioned.replace('version: 2', 'version: 1'))).toContainEqual(
			expect.objectContaining({ rule: 'unknown-version' }),
		);
	});
});
