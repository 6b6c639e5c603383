import { listRequest, nameLookups } from '../model/lookups';
import type { Operation, Resource } from '../model/types';

/** Item keys a label is read from, most telling first. */
const LABELS = ['name', 'title', 'display_name', 'displayName', 'full_name', 'login', 'username', 'key', 'email'];

/**
 * Proposes a resource locator where a spec makes one evident: a path parameter right after a
 * collection (`/pets/{petId}`) that a list operation of the spec reads (`GET /pets`), whose items
 * have the value — a key named like the parameter, else `id` — and a label. Only top-level
 * collections: a list under another parameter would need to know which field fills it.
 */
export function proposeLookups(resources: Resource[], itemKeys: Map<Operation, string[]>): void {
	const lists = new Map<string, Operation>();
	for (const [list, keys] of itemKeys) if (list.method === 'GET' && keys.length) lists.set(list.path, list);
	for (const resource of resources)
		for (const op of resource.operations)
			op.parameters = op.parameters.map((p) => {
				const at = p.in === 'path' ? op.path.indexOf(`/{${p.name}}`) : -1;
				const list = at > 0 ? lists.get(op.path.slice(0, at)) : undefined;
				if (!list || list === op || list.path.includes('{')) return p;
				const keys = itemKeys.get(list)!;
				const value = keys.includes(p.name) ? p.name : keys.includes('id') ? 'id' : undefined;
				if (!value) return p;
				const label = LABELS.find((l) => keys.includes(l)) ?? value;
				return {
					...p,
					lookup: { ...listRequest(list), method: '', as: 'locator', label, value, parameters: {} },
				};
			});
	nameLookups(resources);
}
