import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EmittedFile } from './files';

const DEFINITION = /\.integration\.ya?ml$/;

/**
 * A definition's hand-written hooks (nodes/shared/hooks.ts): `<name>.hooks.ts` beside
 * `<name>.integration.yaml`, copied next to the node, which passes them to the runtime. Found by
 * the definition's file name, never by a name a spec chose: OpenAPI specs get no hooks.
 */
export function emitHooks(source: string, definitionFolder: string, nodeFolder: string): EmittedFile | undefined {
	if (!DEFINITION.test(source)) return undefined;
	const name = basename(source).replace(DEFINITION, '.hooks.ts');
	const file = join(definitionFolder, name);
	return existsSync(file) ? { path: `nodes/${nodeFolder}/${name}`, content: readFileSync(file, 'utf8') } : undefined;
}
