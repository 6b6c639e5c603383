import { join, resolve } from 'node:path';
import { namespaceOf } from '../../scripts/emit/names';
import { freshFolder } from '../../scripts/harness/package-build';
import { emitNode } from '../../scripts/emit/node';
import { evaluateNode } from '../../scripts/openapi/evaluate';
import { importSpec, type ImportedSpec } from '../../scripts/openapi/import';
import type { Integration, Operation } from '../../scripts/model/types';

export const FIXTURES = join(__dirname, 'fixtures');

export { freshFolder };

export async function importFixture(
	name: string,
	options: Parameters<typeof importSpec>[1] = {},
): Promise<ImportedSpec & { integration: Integration }> {
	const imported = await importSpec(resolve(FIXTURES, name), { shown: name, ...options });
	if (!imported.integration) throw new Error(`${name} was refused: ${imported.refusal}`);
	return imported as ImportedSpec & { integration: Integration };
}

export function operation(integration: Integration, resource: string, name: string): Operation {
	const op = integration.resources.find((r) => r.name === resource)?.operations.find((o) => o.name === name);
	if (!op)
		throw new Error(
			`no operation ${resource}:${name}; have ${integration.resources.map((r) => `${r.name}:[${r.operations.map((o) => o.name).join(',')}]`).join(' ')}`,
		);
	return op;
}

/** The node description n8n would load for an integration. */
export function description(integration: Integration) {
	return evaluateNode(
		emitNode(integration, 'test.yaml', { light: 'x.svg', dark: 'x.svg' }, namespaceOf('n8n-nodes-test')).content,
	);
}
