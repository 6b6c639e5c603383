/**
 * The pack installed the way users install it: `npm pack`, then the tarball npm-installed into a
 * fresh n8n's community-nodes folder (`<user folder>/.n8n/nodes`, as "Install community node"
 * does) with no custom extensions — on n8n 2.x and on the last 1.x release. Every node and
 * credential of the manifest loads as `n8n-nodes-rills.<name>` and a workflow runs against the
 * Acme Tasks fake.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installIntoUserFolder, pack } from '../../scripts/harness/community-install';
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startAcmeTasks, type AcmeTasksFake } from '../fakes/acme-tasks';
import { manifestTypeNames } from './manifest';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string };
const ours = manifestTypeNames(ROOT);

let packDir: string;
let tarball: string;
let acme: AcmeTasksFake;

beforeAll(async () => {
	packDir = mkdtempSync(join(tmpdir(), 'rills-pack-'));
	tarball = pack(ROOT, packDir);
	acme = await startAcmeTasks();
});

afterAll(async () => {
	rmSync(packDir, { recursive: true, force: true });
	await acme?.close();
});

describe.each([
	{ label: 'n8n (the harness default, 2.x)', version: undefined },
	{ label: 'n8n 1.123.81, the last 1.x', version: '1.123.81' },
])('$label', ({ version }) => {
	let n8n: N8nInstance;
	let nodesDir: string;

	// The first run installs that n8n into the cache (npm test installs only the default): minutes.
	beforeAll(async () => {
		n8n = await N8nInstance.create({ version, extensions: [] });
		nodesDir = installIntoUserFolder(n8n.userFolder, [tarball]);
	}, 20 * 60_000);
	afterAll(() => n8n?.dispose());

	it('installs with nothing but the pack in node_modules (no runtime dependencies)', () => {
		expect(readdirSync(join(nodesDir, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual([
			manifest.name,
		]);
		expect(JSON.parse(readFileSync(join(nodesDir, 'package.json'), 'utf8')).dependencies).toHaveProperty(
			manifest.name,
		);
	});

	it('runs a workflow of n8n-nodes-rills.acmeTasks: Return All over the Link-header pages', async () => {
		await n8n.importCredentials([
			{
				id: 'acmeKey',
				name: 'Acme key',
				type: 'rillsAcmeTasksApi',
				data: { server: acme.url, apiKey: acme.apiKey },
			},
		]);
		const execution = await n8n.run([
			{
				name: 'Acme',
				type: `${manifest.name}.acmeTasks`,
				parameters: { resource: 'task', operation: 'getAll', returnAll: true },
				credentials: { rillsAcmeTasksApi: { id: 'acmeKey', name: 'Acme key' } },
			},
		]);
		expect(execution.error).toBeUndefined();
		expect(execution.output.Acme.map((t) => t.id)).toEqual(acme.tasks.map((t) => t.id));
	});

	it('offers every node and credential of the manifest in the editor', async () => {
		const server = await N8nServer.start(n8n);
		try {
			expect(await server.types('nodes')).toEqual(expect.arrayContaining(ours.nodes));
			expect(await server.types('credentials')).toEqual(expect.arrayContaining(ours.credentials));
		} finally {
			await server.stop();
		}
	});
});
