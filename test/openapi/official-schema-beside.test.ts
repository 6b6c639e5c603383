/**
 * The official-schema check the compiled generator runs in a worker thread for a large spec
 * (official-schema-beside.ts) lists what the check in the importing thread lists, in the same order, and hands a spec
 * too deep for its stack back to that thread.
 * The worker runs the script `npm run build:generator` bundles, on small fixtures (the command starts it only for
 * large specs on a machine with a free processor).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkInWorker } from '../../scripts/openapi/official-schema-beside';
import { officialFindings } from '../../scripts/openapi/official-schema';
import { loadSpec } from '../../scripts/openapi/load';
import { buildGenerator } from '../../scripts/package/build';
import { FIXTURES, freshFolder } from './helpers';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'package', 'lib', 'scripts', 'official-schema-beside.js');

beforeAll(() => buildGenerator(), 240_000);

async function inWorker(file: string, shown: string) {
	const started = checkInWorker(file, shown, undefined, SCRIPT);
	expect(started).toBeDefined();
	return started!.findings;
}

// The 3.0 and 3.1 schemas, a Swagger 2.0 conversion and external $refs, the last two without findings: the worker
// loads and converts as this thread does.
it.each([
	['broken.yaml', 1],
	['media-type-3.1.yaml', 1],
	['petstore-swagger2.json', 0],
	['multi/main.yaml', 0],
])(
	'%s: the worker finds what the importing thread finds',
	async (name, count) => {
		const file = join(FIXTURES, name);
		const here = officialFindings(await loadSpec(file, name), name);
		expect(here).toHaveLength(count);
		expect(await inWorker(file, name)).toEqual(here);
	},
	60_000,
);

it('a spec too deep for the validator is checked by the importing thread, not the worker', async () => {
	let schema: Record<string, unknown> = { type: 'string' };
	for (let i = 0; i < 1200; i++) schema = { type: 'object', properties: { inner: schema } };
	const body = { content: { 'application/json': { schema } } };
	const spec = {
		openapi: '3.0.3',
		info: { title: 'Deep', description: 'Very nested.', version: '1' },
		paths: {
			'/x': { post: { operationId: 'createX', requestBody: body, responses: { 200: { description: 'ok' } } } },
		},
	};
	const dir = freshFolder('official-schema-beside');
	writeFileSync(join(dir, 'deep.json'), JSON.stringify(spec));
	expect(await inWorker(join(dir, 'deep.json'), 'deep.json')).toBeUndefined();
}, 60_000);
