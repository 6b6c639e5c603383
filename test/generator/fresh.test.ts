import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { planProject } from '../../scripts/generate';

const root = join(__dirname, '..', '..');

describe('committed generated files', () => {
	let plan: Awaited<ReturnType<typeof planProject>>;
	beforeAll(async () => {
		plan = await planProject(root);
	});

	it('come from definitions without errors', () => {
		expect(plan.findings.filter((f) => f.severity === 'error')).toEqual([]);
	});

	it('are exactly what `npm run generate` writes', () => {
		const stale = [...plan.files]
			.filter(
				([path, content]) =>
					!existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== content,
			)
			.map(([path]) => path);
		expect({ stale, orphaned: plan.stale }).toEqual({ stale: [], orphaned: [] });
	});

	it('are all listed in package.json for n8n to load, beside the hand-written Custom API', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		const nodes = [...plan.files.keys()].filter((f) => f.endsWith('.node.ts'));
		const handWritten = ['dist/nodes/CustomApi/CustomApi.node.js'];
		expect(pkg.n8n.nodes).toEqual(
			[...nodes.map((f) => `dist/${f.replace(/\.ts$/, '.js')}`), ...handWritten].sort(),
		);
		expect(pkg.n8n.credentials).toContain('dist/credentials/RillsCustomApi.credentials.js');
	});
});
