/**
 * `n8n-rills lint` on specs: every finding of the seed's troubleshooting list, located, with its fix; safe fixes
 * applied.
 */
import { join } from 'node:path';
import { importSpec } from '../../scripts/openapi/import';
import type { Finding } from '../../scripts/validate/finding';
import { FIXTURES, operation } from './helpers';

const lint = (name: string) => importSpec(join(FIXTURES, name), { shown: name, lint: true });
const byRule = (findings: Finding[], rule: string) =>
	findings.filter((f) => f.rule === rule).map(({ pointer, severity, message }) => ({ pointer, severity, message }));

let broken: Awaited<ReturnType<typeof lint>>;
beforeAll(async () => {
	broken = await lint('broken.yaml');
});

it('every finding names the file, a JSON pointer, a severity, a message and a fix', () => {
	expect(broken.findings.length).toBeGreaterThan(8);
	for (const f of broken.findings) {
		expect(f).toMatchObject({
			file: 'broken.yaml',
			pointer: expect.stringMatching(/^(\/|$)/),
			severity: expect.stringMatching(/^(error|warning|info)$/),
		});
		expect(f.message.length).toBeGreaterThan(10);
		expect(f.fix?.length).toBeGreaterThan(5);
	}
});

it('missing description: reported and filled from the title', () => {
	expect(byRule(broken.findings, 'missing-description')).toEqual([
		{ pointer: '/info/description', severity: 'warning', message: expect.stringContaining('(fixed)') },
	]);
	expect(broken.integration?.description).toBe('Broken API');
});

it('missing operationId: derived from the method and path', () => {
	expect(byRule(broken.findings, 'missing-operation-id')).toEqual([
		{
			pointer: '/paths/~1items/get/operationId',
			severity: 'warning',
			message: expect.stringContaining('"getItems"'),
		},
	]);
	expect(operation(broken.integration!, 'items', 'get').path).toBe('/items');
});

it('duplicate operationId: the second one gets a suffix', () => {
	expect(byRule(broken.findings, 'duplicate-operation-id')).toEqual([
		{
			pointer: '/paths/~1items~1{id}/put/operationId',
			severity: 'warning',
			message: expect.stringContaining('"getItem_2"'),
		},
	]);
	expect(broken.integration!.resources[0].operations.map((o) => o.method + ' ' + o.name)).toEqual([
		'GET get',
		'GET getItem',
		'PUT getItem2',
		'DELETE delete',
	]);
});

it('path ending with a slash: trimmed', () => {
	expect(byRule(broken.findings, 'path-trailing-slash')).toEqual([
		{ pointer: '/paths/~1items~1', severity: 'warning', message: expect.stringContaining('/items (fixed)') },
	]);
});

it('invalid regex pattern: located and explained', () => {
	expect(byRule(broken.findings, 'invalid-pattern')).toEqual([
		{
			pointer: '/components/schemas/Item/properties/name/pattern',
			severity: 'warning',
			message: expect.stringContaining('Range out of order'),
		},
	]);
});

it('required field not defined: reported, and still offered as a JSON field', () => {
	expect(byRule(broken.findings, 'required-not-defined')).toEqual([
		{
			pointer: '/components/schemas/Item/required/1',
			severity: 'warning',
			message: expect.stringContaining('"colour"'),
		},
	]);
	const put = operation(broken.integration!, 'items', 'getItem2');
	expect(put.parameters.find((p) => p.name === 'colour')).toMatchObject({ type: 'json', in: 'body' });
});

it('schema errors against the official OpenAPI schema, with what is allowed', () => {
	expect(byRule(broken.findings, 'schema')).toEqual([
		{
			pointer: '/paths/~1items~1{id}/delete/bogus',
			severity: 'error',
			message: 'unknown key "bogus" (OpenAPI 3.0 schema)',
		},
	]);
	expect(broken.findings.find((f) => f.rule === 'schema')?.fix).toContain('operationId');
});

it('OpenAPI 3.1: Schema Objects are schemas, and the objects around them are still checked', async () => {
	const schema = async (name: string) => byRule((await lint(name)).findings, 'schema');
	expect(await schema('webhooks-only.yaml')).toEqual([]);
	expect(await schema('modern-3.1.yaml')).toEqual([]);
	expect(await schema('media-type-3.1.yaml')).toEqual([
		{
			pointer: '/paths/~1things/get/responses/200/content/application~1json',
			severity: 'error',
			message: expect.stringContaining('(OpenAPI 3.1 schema)'),
		},
	]);
});

it('circular $ref: an info, not an error', () => {
	expect(byRule(broken.findings, 'circular-ref')).toEqual([
		{ pointer: '/components/schemas/Item', severity: 'info', message: expect.stringContaining('Item → Item') },
	]);
});

it('dangling $ref and undeclared path parameters are reported; the parameter is added', () => {
	expect(byRule(broken.findings, 'unresolved-ref')[0].pointer).toBe(
		'/paths/~1items~1{id}/delete/responses/200/content/application~1json/schema/$ref',
	);
	expect(byRule(broken.findings, 'undefined-path-parameter').map((f) => f.pointer)).toEqual([
		'/paths/~1items~1{id}/get/parameters',
		'/paths/~1items~1{id}/put/parameters',
	]);
	expect(operation(broken.integration!, 'items', 'getItem').parameters).toMatchObject([
		{ name: 'id', in: 'path', required: true },
	]);
});

it('generation reports only what it fixed; the full check is lint', async () => {
	const generated = await importSpec(join(FIXTURES, 'broken.yaml'));
	expect(generated.findings.map((f) => f.rule)).not.toContain('schema');
	expect(generated.integration).toBeDefined();
});

it.each([
	['bad/no-paths.yaml', 'no-operations', '/paths'],
	['bad/version.yaml', 'unsupported-version', '/openapi'],
	['bad/syntax.yaml', 'syntax', ''],
	['bad/missing-file-ref.yaml', 'external-ref', ''],
	['bad/absent.yaml', 'unreadable', ''],
])('%s is refused with a located %s error', async (file, rule, pointer) => {
	const result = await lint(file);
	expect(result.integration).toBeUndefined();
	expect(result.refusal).toMatch(new RegExp(`^${rule}`));
	expect(result.findings.find((f) => f.rule === rule)).toMatchObject({ severity: 'error', pointer, file });
});

it('a clean spec has no findings', async () => {
	expect((await lint('multi/main.yaml')).findings).toEqual([]);
});

it('methods and security schemes n8n cannot use are reported, and the rest still generates', async () => {
	const odd = await lint('odd.yaml');
	expect(byRule(odd.findings, 'unsupported-method')).toEqual([
		{ pointer: '/paths/~1things/trace', severity: 'info', message: 'TRACE operations are not generated' },
	]);
	expect(byRule(odd.findings, 'auth-not-mapped')).toEqual([
		{
			pointer: '/components/securitySchemes/digest',
			severity: 'info',
			message: 'security scheme type "http digest" is not supported',
		},
		{
			pointer: '/components/securitySchemes/implicit',
			severity: 'info',
			message: 'only implicit or password OAuth2 flows, which n8n cannot run',
		},
		{
			pointer: '/components/securitySchemes/keyB',
			severity: 'info',
			message: 'a second apiKey scheme; the node offers the first one',
		},
	]);
	expect(odd.integration!.auth).toMatchObject([{ type: 'apiKey', in: 'header', name: 'X-A' }]);
	expect(odd.integration!.resources[0].operations.map((o) => o.method)).toEqual(['GET']);
});

it('Swagger 2.0 is converted, and says so', async () => {
	const swagger = await lint('petstore-swagger2.json');
	expect(byRule(swagger.findings, 'swagger-converted')).toEqual([
		{
			pointer: '/swagger',
			severity: 'info',
			message: 'Swagger 2.0 was converted to OpenAPI 3.0 (swagger2openapi)',
		},
	]);
	expect(swagger.findings.filter((f) => f.severity !== 'info')).toEqual([]);
});

it('a schema nested a thousand levels deep still generates, and lint says what it could not check', async () => {
	const { mkdirSync, writeFileSync } = await import('node:fs');
	let schema: Record<string, unknown> = { type: 'string' };
	for (let i = 0; i < 1200; i++) schema = { type: 'object', properties: { inner: schema } };
	const spec = {
		openapi: '3.0.3',
		info: { title: 'Deep', description: 'Very nested.', version: '1' },
		paths: {
			'/x': {
				post: {
					operationId: 'createX',
					requestBody: { content: { 'application/json': { schema } } },
					responses: { '200': { description: 'ok' } },
				},
			},
		},
	};
	const dir = join(__dirname, '..', '..', '.test-output');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'deep.json'), JSON.stringify(spec));
	const result = await importSpec(join(dir, 'deep.json'), { shown: 'deep.json', lint: true });
	expect(result.integration?.resources[0].operations[0].parameters.map((p) => p.name)).toEqual(['', 'inner.inner']);
	expect(result.findings).toEqual([
		expect.objectContaining({
			rule: 'schema',
			severity: 'warning',
			message: 'too deeply nested to check against the OpenAPI 3.0 schema',
		}),
	]);
});
