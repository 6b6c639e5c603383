/**
 * Files handed to the generator (see SECURITY.md, "Spec"): they may only read files in their own
 * folder tree, never the network, and never overwrite a folder of the user's; a YAML bomb, deep
 * nesting or a huge string ends in a finding, not in a crash or an exhausted machine.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitIcons } from '../../scripts/emit/icons';
import { loadDefinition } from '../../scripts/load/definition';
import type { Integration } from '../../scripts/model/types';
import { generateFromSpec } from '../../scripts/openapi/cli';
import { importSpec } from '../../scripts/openapi/import';
import { startFake } from '../fakes/server';
import { FIXTURES, freshFolder } from '../openapi/helpers';

const SECRET = 'contents of a file outside the spec folder';
const spec = (ref: string) => ({
	openapi: '3.0.3',
	info: { title: 'Refs', version: '1' },
	paths: {
		'/items': {
			get: {
				operationId: 'listItems',
				responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } },
			},
		},
	},
});

/** A spec in `<tmp>/spec/`, beside a schema in `<tmp>/` that holds SECRET. */
function layout(ref: string): { root: string; file: string } {
	const root = freshFolder('security-refs');
	mkdirSync(join(root, 'spec'));
	writeFileSync(join(root, 'outside.json'), JSON.stringify({ type: 'string', description: SECRET }));
	writeFileSync(join(root, 'spec', 'api.json'), JSON.stringify(spec(ref)));
	return { root, file: join(root, 'spec', 'api.json') };
}

describe('$refs resolve only inside the spec folder tree', () => {
	it('a $ref to a file outside it is refused with a finding', async () => {
		const { file } = layout('../outside.json');
		const imported = await importSpec(file, { shown: 'api.json' });
		expect(imported.integration).toBeUndefined();
		expect(imported.refusal).toMatch(/outside/);
		expect(JSON.stringify(imported)).not.toContain(SECRET);
	});

	it('a wider folder is an explicit choice', async () => {
		const { root, file } = layout('../outside.json');
		const imported = await importSpec(file, { shown: 'api.json', refRoot: root });
		expect(imported.integration).toBeDefined();
	});

	it('a remote $ref is never fetched', async () => {
		const server = await startFake(() => ({ body: { type: 'string' } }));
		try {
			const { file } = layout(`${server.url}/schema.json`);
			expect((await importSpec(file, { shown: 'api.json' })).integration).toBeUndefined();
			expect(server.requests).toHaveLength(0);
		} finally {
			await server.close();
		}
	});
});

it('an icon path stays inside the definition folder', () => {
	const root = freshFolder('security-icons');
	mkdirSync(join(root, 'def'));
	writeFileSync(join(root, 'outside.svg'), `<svg>${SECRET}</svg>`);
	const integration = { name: 'x', displayName: 'X', icon: { light: '../outside.svg' } } as unknown as Integration;
	expect(() => emitIcons(integration, join(root, 'def'))).toThrow(/outside/);
});

describe('--out', () => {
	const quiet = () => jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
	afterEach(() => jest.restoreAllMocks());

	it('refuses a folder that is not empty, and leaves it as it was', async () => {
		const out = freshFolder('security-out');
		writeFileSync(join(out, 'package.json'), 'mine');
		quiet();
		expect(await generateFromSpec(join(FIXTURES, 'shop.yaml'), ['--out', out], true)).not.toBe(0);
		expect(readFileSync(join(out, 'package.json'), 'utf8')).toBe('mine');
	});

	it('writes into it when told to overwrite', async () => {
		const out = freshFolder('security-out');
		writeFileSync(join(out, 'package.json'), 'mine');
		quiet();
		expect(await generateFromSpec(join(FIXTURES, 'shop.yaml'), ['--out', out, '--overwrite'], true)).toBe(0);
		expect(readFileSync(join(out, 'package.json'), 'utf8')).not.toBe('mine');
	});
});

describe('YAML that would exhaust the generator gets a finding', () => {
	// Nine levels of nine aliases each: 9^9 strings once expanded.
	const levels = 'abcdefghi'.split('');
	const aliasBomb = levels.map((c, i) => `${c}: &${c} [${Array(9).fill(i ? `*${levels[i - 1]}` : 'x')}]`).join('\n');
	const deep = `x: ${'['.repeat(50_000)}${']'.repeat(50_000)}`;
	const huge = `description: "${'A'.repeat(40_000_000)}"`;

	it.each([
		['an alias bomb', aliasBomb],
		['deep nesting', deep],
		['a huge string', huge],
	])('%s, in a definition and in a spec', async (_, text) => {
		const folder = freshFolder('security-yaml');
		writeFileSync(join(folder, 'x.integration.yaml'), `${text}\n`);
		writeFileSync(join(folder, 'x.yaml'), `openapi: 3.0.3\n${text}\n`);
		const definition = loadDefinition(join(folder, 'x.integration.yaml'));
		const imported = await importSpec(join(folder, 'x.yaml'), { shown: 'x.yaml' });
		for (const findings of [definition.findings, imported.findings]) {
			expect(findings[0]).toMatchObject({ severity: 'error' });
			expect(findings[0].message).not.toMatch(/\n\s+at /);
		}
		expect(definition.findings[0].line).toBeDefined();
		expect(imported.integration).toBeUndefined();
	});
});
