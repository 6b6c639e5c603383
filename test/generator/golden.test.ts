/**
 * Golden files: the code the generator emits for a fixed set of definitions and specs, kept in
 * test/generator/golden/ so that a change to the importer or an emitter shows up as a reviewable
 * diff of the nodes and credentials it writes. `npm run golden` rewrites them; commit the diff
 * when it is what you meant.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { namespaceOf } from '../../scripts/emit/names';
import { integrationFiles } from '../../scripts/generate';
import { loadDefinition } from '../../scripts/load/definition';
import type { Integration } from '../../scripts/model/types';
import { FIXTURES, importFixture } from '../openapi/helpers';

const ROOT = join(__dirname, '..', '..');
const GOLDEN = join(__dirname, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SPECS = [
	'shop.yaml',
	'petstore-swagger2.json',
	'modern-3.1.yaml',
	'callbacks.yaml',
	'webhooks-only.yaml',
	'vendor.yaml',
	'files.yaml',
	'multi/main.yaml',
];
const DEFINITIONS = ['test/n8n/fixtures/pagingLab.integration.yaml'];

async function integrationOf(source: string): Promise<Integration> {
	if (!source.endsWith('.integration.yaml')) return (await importFixture(source)).integration;
	const { integration, findings } = loadDefinition(join(ROOT, source));
	if (!integration) throw new Error(JSON.stringify(findings, null, 2));
	return integration;
}

/** Every text file under `folder`, by path relative to it. */
function filesUnder(folder: string): string[] {
	if (!existsSync(folder)) return [];
	return readdirSync(folder, { recursive: true, withFileTypes: true })
		.filter((d) => d.isFile())
		.map((d) => relative(folder, join(d.parentPath, d.name)).split('\\').join('/'))
		.sort();
}

it.each([...SPECS, ...DEFINITIONS])('%s', async (source) => {
	const integration = await integrationOf(source);
	const iconFolder = source.startsWith('test/') ? dirname(join(ROOT, source)) : FIXTURES;
	const folder = join(
		GOLDEN,
		source.replace(/^test\/.*\/|\.(integration\.)?(ya?ml|json)$/g, '').replace(/\W+/g, '-'),
	);
	const files = integrationFiles(integration, source, iconFolder, namespaceOf('n8n-nodes-golden')).filter(
		(f) => !f.path.endsWith('.svg'),
	);
	if (UPDATE) {
		rmSync(folder, { recursive: true, force: true });
		for (const f of files) {
			mkdirSync(dirname(join(folder, f.path)), { recursive: true });
			writeFileSync(join(folder, f.path), f.content);
		}
	}
	expect(files.map((f) => f.path).sort()).toEqual(filesUnder(folder));
	for (const f of files)
		expect({ path: f.path, content: f.content }).toEqual({
			path: f.path,
			content: readFileSync(join(folder, f.path), 'utf8'),
		});
});
