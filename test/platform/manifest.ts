import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The type names the pack's compiled classes give themselves, as n8n registers them: nodes as
 * `<package>.<description.name>`, credentials by `name`. Reads dist/, which `npm test` builds.
 */
export function manifestTypeNames(root: string): { packageName: string; nodes: string[]; credentials: string[] } {
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
		name: string;
		n8n: { nodes: string[]; credentials: string[] };
	};
	const names = (files: string[]) =>
		files.map((file) => {
			type Instance = { name?: string; description?: { name: string } };
			const Class = (require(join(root, file)) as Record<string, new () => Instance>)[
				basename(file).split('.')[0]
			];
			const instance = new Class();
			return instance.description?.name ?? instance.name!;
		});
	return {
		packageName: manifest.name,
		nodes: names(manifest.n8n.nodes).map((name) => `${manifest.name}.${name}`),
		credentials: names(manifest.n8n.credentials),
	};
}
