/**
 * The validators `npm run build:generator` precompiles (Ajv standalone code) find what the schemas compiled at run
 * time find, in every OpenAPI version.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { Json } from '../../scripts/openapi/document';
import {
	officialSchemaFindings,
	precompiledValidator,
	validatorSource,
	VERSIONS,
} from '../../scripts/openapi/official-schema';
import { FIXTURES, freshFolder } from './helpers';

const OUT = freshFolder('official-schema');
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const read = (name: string) => {
	const text = readFileSync(join(FIXTURES, name), 'utf8');
	return (name.endsWith('.json') ? JSON.parse(text) : parse(text)) as Json;
};

/** A fixture of each version with two errors: a version that is no text, an operation with an unknown key. */
function broken(version: (typeof VERSIONS)[number]): Json {
	const doc = read({ '2.0': 'petstore-swagger2.json', '3.0': 'shop.yaml', '3.1': 'modern-3.1.yaml' }[version]);
	(doc.info as Json).version = 3;
	const paths = doc.paths as Record<string, Record<string, Json>>;
	const [path] = Object.keys(paths);
	const [method] = Object.keys(paths[path]);
	paths[path][method].bogus = 1;
	return doc;
}

it.each(VERSIONS)('OpenAPI %s: the precompiled validator finds what the compiled one finds', (version) => {
	const file = precompiledValidator(OUT, version);
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, validatorSource(version));
	const precompiled = require(file) as ValidateFunction;
	const doc = broken(version);
	const compiled = officialSchemaFindings(doc, version, 'spec');
	expect(compiled.length).toBeGreaterThanOrEqual(2);
	expect(officialSchemaFindings(doc, version, 'spec', precompiled)).toEqual(compiled);
});
