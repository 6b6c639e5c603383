/** The `n8n-rills` command on specs, as a contributor runs it. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshFolder } from './helpers';

const ROOT = join(__dirname, '..', '..');
const OUT = freshFolder('openapi-cli');
const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'scripts', 'n8n-rills.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
const fixture = (name: string) => `test/openapi/fixtures/${name}`;

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

it('generate <spec> --package --out writes the named package', () => {
	const run = cli('generate', fixture('shop.yaml'), '--package', 'n8n-nodes-shop-cli', '--out', join(OUT, 'shop'));
	expect(run.status).toBe(0);
	expect(run.stderr).toContain('wrote n8n-nodes-shop-cli (3 resources, 10 operations');
	expect(JSON.parse(readFileSync(join(OUT, 'shop', 'package.json'), 'utf8')).name).toBe('n8n-nodes-shop-cli');
	expect(existsSync(join(OUT, 'shop', 'nodes', 'Shop', 'Shop.node.ts'))).toBe(true);
});

it('generate <overlay> reads the spec it names and the icon beside it', () => {
	const run = cli('generate', fixture('shop.integration.yaml'), '--out', join(OUT, 'overlay'), '--json');
	expect(run.status).toBe(0);
	expect(JSON.parse(run.stdout)).toMatchObject({ package: 'n8n-nodes-pet-shop', operations: 6 });
	expect(readFileSync(join(OUT, 'overlay', 'nodes', 'PetShop', 'shop.svg'), 'utf8')).toBe(readFileSync(join(ROOT, fixture('shop.svg')), 'utf8'));
});

it('generate <spec> --overlay <definition> applies the overlay to that spec', () => {
	const run = cli('generate', fixture('shop.yaml'), '--overlay', fixture('shop.integration.yaml'), '--out', join(OUT, 'overlay2'), '--json');
	expect(JSON.parse(run.stdout).operations).toBe(6);
});

it('refuses a package name n8n would not list as a community package', () => {
	const run = cli('generate', fixture('shop.yaml'), '--package', 'shop-nodes', '--out', join(OUT, 'bad'));
	expect(run.status).toBe(2);
	expect(run.stderr).toContain('n8n-nodes-<name>');
	expect(existsSync(join(OUT, 'bad'))).toBe(false);
});

it('a refused spec prints its findings and the reason, and exits 1', () => {
	const run = cli('generate', fixture('bad/no-paths.yaml'), '--out', join(OUT, 'none'));
	expect(run.status).toBe(1);
	expect(run.stderr).toContain('error [no-operations] /paths');
	expect(run.stderr).toContain('not generated: no-operations');
});

it('lint <spec> lists findings with pointer and fix, and exits 1 on errors only', () => {
	const broken = cli('lint', fixture('broken.yaml'));
	expect(broken.status).toBe(1);
	expect(broken.stderr).toContain('test/openapi/fixtures/broken.yaml error [schema] /paths/~1items~1{id}/delete/bogus: unknown key "bogus"');
	expect(broken.stderr).toContain('fix: write the path as /items');
	expect(broken.stderr).toMatch(/1 error\(s\), 9 warning\(s\)/);
	const clean = cli('lint', fixture('multi/main.yaml'), fixture('petstore-swagger2.json'));
	expect(clean.status).toBe(0);
	expect(clean.stderr).toContain('0 error(s)');
});
