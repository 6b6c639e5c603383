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
	MODES,
	officialSchemaFindings,
	precompiledValidator,
	validatorSource,
	VERSIONS,
	type Validators,
} from '../../scripts/openapi/official-schema';
import { FIXTURES, freshFolder } from './helpers';

const OUT = freshFolder('official-schema');
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const read = (name: string) => {
	const text = readFileSync(join(FIXTURES, name), 'utf8');
	return (name.endsWith('.json') ? JSON.parse(text) : parse(text)) as Json;
};

/** A fixture of each version that the official schema accepts. */
const CLEAN = { '2.0': 'petstore-swagger2.json', '3.0': 'shop.yaml', '3.1': 'modern-3.1.yaml' } as const;

/** A fixture of each version with two errors: a version that is no text, an operation with an unknown key. */
function broken(version: (typeof VERSIONS)[number]): Json {
	const doc = read(CLEAN[version]);
	(doc.info as Json).version = 3;
	const paths = doc.paths as Record<string, Record<string, Json>>;
	const [path] = Object.keys(paths);
	const [method] = Object.keys(paths[path]);
	paths[path][method].bogus = 1;
	return doc;
}

function precompiled(version: (typeof VERSIONS)[number]): Validators {
	const [quick, full] = MODES.map((mode) => {
		const file = precompiledValidator(OUT, version, mode);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, validatorSource(version, mode));
		return require(file) as ValidateFunction;
	});
	return { quick, full };
}

it.each(VERSIONS)('OpenAPI %s: the precompiled validators find what the compiled ones find', (version) => {
	const use = precompiled(version);
	const doc = broken(version);
	const compiled = officialSchemaFindings(doc, version, 'spec');
	expect(compiled.length).toBeGreaterThanOrEqual(2);
	expect(officialSchemaFindings(doc, version, 'spec', use)).toEqual(compiled);
	// The quick one stops at the first error; every error is listed all the same.
	expect(use.quick(doc)).toBe(false);
	expect(use.quick.errors).toHaveLength(1);
	expect(officialSchemaFindings(read(CLEAN[version]), version, 'spec', use)).toEqual([]);
});
