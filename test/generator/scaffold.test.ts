/**
 * `n8n-rills new <service>` in an empty project: the definition it writes generates with no
 * error, the node and credential it becomes are the service's, and the fake it writes enforces
 * its API key and pages through every item. The scaffolded n8n test is the contributor's to run.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateModule, evaluateNode } from '../../scripts/openapi/evaluate';
import { planProject } from '../../scripts/generate';
import { scaffoldService } from '../../scripts/scaffold';

let root: string;
beforeAll(() => {
	root = mkdtempSync(join(tmpdir(), 'rills-scaffold-'));
	// The project's fake server, which every fake builds on.
	cpSync(join(__dirname, '..', 'fakes', 'server.ts'), join(root, 'test', 'fakes', 'server.ts'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('writes a definition, icons, a fake and a test, and refuses to overwrite them', () => {
	expect(scaffoldService(root, 'pet-shop')).toEqual([
		'nodes/PetShop/petShop.integration.yaml',
		'nodes/PetShop/petShop.svg',
		'nodes/PetShop/petShop.dark.svg',
		'test/fakes/pet-shop.ts',
		'test/catalog/pet-shop.test.ts',
	]);
	expect(readFileSync(join(root, 'nodes/PetShop/petShop.integration.yaml'), 'utf8')).toMatch(
		/^# yaml-language-server: \$schema=/,
	);
	expect(() => scaffoldService(root, 'petShop')).toThrow(/not overwriting/);
	expect(() => scaffoldService(root, '42')).toThrow(/no service name/);
});

it('the definition generates a node and a credential with no error', async () => {
	const plan = await planProject(root);
	expect(plan.findings.filter((f) => f.severity === 'error')).toEqual([]);
	const node = evaluateNode(plan.files.get('nodes/PetShop/PetShop.node.ts')!);
	expect(node).toMatchObject({ displayName: 'Rills Pet Shop', credentials: [{ name: 'rillsPetShopApi' }] });
	expect(evaluateModule<{ name: string }>(plan.files.get('credentials/RillsPetShopApi.credentials.ts')!).name).toBe(
		'rillsPetShopApi',
	);
});

it('the fake refuses a wrong key and pages through every item', async () => {
	type Fake = { url: string; apiKey: string; close(): Promise<void> };
	const { startPetShop } = (await import(join(root, 'test/fakes/pet-shop.ts'))) as {
		startPetShop(count: number): Promise<Fake>;
	};
	const fake = await startPetShop(150);
	try {
		expect((await fetch(`${fake.url}/items`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
		const get = async (query: string) =>
			(await (
				await fetch(`${fake.url}/items${query}`, { headers: { authorization: `Bearer ${fake.apiKey}` } })
			).json()) as { items: unknown[]; next_cursor: string | null };
		const first = await get('');
		expect(first.items).toHaveLength(100);
		expect(await get(`?cursor=${first.next_cursor}`)).toMatchObject({
			next_cursor: null,
			items: expect.arrayContaining([{ id: '150', name: 'Item 150' }]),
		});
	} finally {
		await fake.close();
	}
});
