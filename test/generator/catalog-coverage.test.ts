/**
 * Every catalog service has a test that runs each of its actions and triggers inside a real n8n:
 * a test in `test/catalog/` builds a `Coverage` over the service's definition, and its last
 * assertion fails if anything declared was left out. The two example services (Acme Tasks and
 * Orbit CRM, which `npm run dev` serves) are exercised feature by feature in `test/n8n/` instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES: Record<string, string> = {
	AcmeTasks: 'test/n8n/acme-tasks.test.ts',
	OrbitCrm: 'test/n8n/orbit-crm.test.ts',
};

const services = readdirSync(join(ROOT, 'nodes'), { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.flatMap((d) =>
		readdirSync(join(ROOT, 'nodes', d.name))
			.filter((f) => f.endsWith('.integration.yaml'))
			.map((definition) => ({ folder: d.name, definition })),
	);

const catalogTests = readdirSync(join(ROOT, 'test', 'catalog'))
	.filter((f) => f.endsWith('.test.ts'))
	.map((f) => readFileSync(join(ROOT, 'test', 'catalog', f), 'utf8'));

it('finds the catalog', () => {
	expect(services.length).toBeGreaterThan(15);
});

it.each(services.filter((s) => !EXAMPLES[s.folder]))(
	'$folder: a test in test/catalog builds a Coverage over $definition',
	({ folder, definition }) => {
		const built = `new Coverage(join(__dirname, '../../nodes/${folder}/${definition}'))`;
		const tests = catalogTests.filter((text) => text.includes(built));
		expect(tests).toHaveLength(1);
		expect(tests[0]).toMatch(/expect\(coverage\.missing\(\)\)\.toEqual\(\[\]\)/);
	},
);

it.each(Object.entries(EXAMPLES))('%s: its n8n test exists', (_, test) => {
	expect(existsSync(join(ROOT, test))).toBe(true);
});
