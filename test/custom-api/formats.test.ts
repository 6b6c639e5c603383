/**
 * The spec forms an admin may paste into the Custom API credential: OpenAPI 3.x as JSON or YAML,
 * Swagger 2.0 as JSON or YAML. Each is read by the importer's own code (scripts/load/yaml,
 * scripts/openapi/convert), so the node lists what the generator would generate from the same file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileSpec } from '../../nodes/CustomApi/compile';
import { baseUrlOf } from '../../nodes/CustomApi/settings';
import { importSpec } from '../../scripts/openapi/import';

const FIXTURES = join(__dirname, 'fixtures');
const OPENAPI = readFileSync(join(FIXTURES, 'notes.openapi.json'), 'utf8');
const SWAGGER_FILE = join(FIXTURES, 'notes.swagger.yaml');
const SWAGGER = readFileSync(SWAGGER_FILE, 'utf8');

const summary = (resources: Array<{ name: string; operations: Array<Record<string, unknown>> }>) =>
	resources.map((r) => [r.name, r.operations.map((o) => [o.name, o.method, o.path, Boolean(o.list)])]);

it('reads OpenAPI 3 pasted as YAML exactly as the same spec pasted as JSON', async () => {
	const json = await compileSpec(OPENAPI);
	const yaml = await compileSpec(stringify(JSON.parse(OPENAPI)));
	expect(yaml.findings).toEqual(json.findings);
	expect(yaml.integration).toEqual(json.integration);
	expect(yaml.table).toEqual(json.table);
});

it('converts Swagger 2.0 YAML as the generator does, to the operations of its OpenAPI 3 twin', async () => {
	const compiled = await compileSpec(SWAGGER);
	const { integration } = await importSpec(SWAGGER_FILE);
	expect(compiled.integration!.resources).toEqual(integration!.resources);
	expect(compiled.findings).toEqual(
		expect.arrayContaining([expect.objectContaining({ rule: 'swagger-converted', severity: 'info' })]),
	);
	expect(compiled.findings.filter((f) => f.severity === 'error')).toEqual([]);
	const twin = await compileSpec(OPENAPI);
	expect(summary(compiled.integration!.resources)).toEqual(summary(twin.integration!.resources));
	expect(baseUrlOf({}, compiled.table!)).toBe('https://notes.example.com/v1');
	const list = compiled.table!.operations['notes:getAll'];
	expect(list.pagination).toEqual(twin.table!.operations['notes:getAll'].pagination);
});

it('reads Swagger 2.0 pasted as JSON the same as its YAML', async () => {
	const fromYaml = await compileSpec(SWAGGER);
	const fromJson = await compileSpec(JSON.stringify(await import('yaml').then((y) => y.parse(SWAGGER))));
	expect(fromJson.integration).toEqual(fromYaml.integration);
});

it('a Swagger 2.0 spec the converter refuses is a finding that says what to do, not a crash', async () => {
	const compiled = await compileSpec('swagger: "2.0"\ninfo: 5\npaths: {}\n');
	expect(compiled.integration).toBeUndefined();
	expect(compiled.findings).toEqual([
		expect.objectContaining({
			rule: 'swagger-conversion',
			message: expect.stringMatching(/info must be an object/),
		}),
	]);
});

it('refuses a YAML alias bomb with a finding', async () => {
	const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
	for (let i = 1; i < 12; i++)
		lines.push(
			`a${i}: &a${i} [${Array(10)
				.fill(`*a${i - 1}`)
				.join(', ')}]`,
		);
	const compiled = await compileSpec(`openapi: 3.0.0\n${lines.join('\n')}\n`);
	expect(compiled.findings).toEqual([expect.objectContaining({ rule: 'syntax', severity: 'error' })]);
	expect(compiled.findings[0].message).toMatch(/alias/i);
});
