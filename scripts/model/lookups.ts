import type { RawDefinition, RawLookup } from './definition';
import { propertyName, withPaginationDefaults } from './build';
import type { Lookup, Operation, Pagination, Parameter, Resource } from './types';

/**
 * Gives every field whose definition says where its choices come from its lookup: the list request
 * (a list operation's, or the lookup's own), and the node method that reads it.
 */
export function resolveLookups(raw: RawDefinition, resources: Resource[], defaultPagination: Pagination): void {
	for (const resource of resources) {
		const rawOperations = raw.resources[resource.name].operations;
		for (const op of resource.operations) {
			const rawOp = rawOperations[op.name];
			const rawParameters = [...(rawOp.parameters ?? []), ...(rawOp.body?.fields ?? [])];
			rawParameters.forEach((rawParameter, i) => {
				if (!rawParameter.lookup) return;
				const lookup = buildLookup(rawParameter.lookup, op.parameters, resources, defaultPagination);
				op.parameters[i] = { ...op.parameters[i], lookup };
			});
			// Dependencies name the fields as they end up, lookups included (a board locator's `.value`).
			for (const p of op.parameters)
				for (const [name, d] of Object.entries(p.lookup?.parameters ?? {}))
					p.lookup!.parameters[name] = op.parameters.find((sibling) => sibling.name === d.name)!;
		}
	}
	nameLookups(resources);
}

/**
 * Names the node methods of every lookup after its field: equal lookups share one, different ones under the same
 * name get a number. Run once all lookups are known (an overlay may add some to a spec's).
 */
export function nameLookups(resources: Resource[]): void {
	const methods = new Map<string, string>();
	for (const resource of resources)
		for (const op of resource.operations)
			for (const p of op.parameters) {
				if (!p.lookup) continue;
				const { method: _, ...lookup } = p.lookup;
				const parameters = Object.fromEntries(Object.entries(lookup.parameters).map(([k, d]) => [k, d.name]));
				const key = JSON.stringify({ ...lookup, parameters });
				const base = propertyName(p);
				let method = methods.get(key);
				for (let n = 1; !method; n++) {
					const candidate = n === 1 ? base : `${base}${n}`;
					if (![...methods.values()].includes(candidate)) methods.set(key, (method = candidate));
				}
				p.lookup.method = method;
			}
}

/** The request of a list operation, as a lookup makes it. */
export function listRequest(list: Operation): Pick<Lookup, 'request' | 'query'> {
	const fixed = list.parameters.filter((p) => p.in === 'query' && p.const !== undefined);
	return {
		request: {
			method: list.method,
			path: list.path,
			output: list.output,
			pagination: list.pagination,
			rateLimits: list.rateLimits,
			requiredScopes: list.requiredScopes.length ? list.requiredScopes : undefined,
			baseUrl: list.baseUrl,
			graphql: list.graphql,
		},
		...(fixed.length ? { query: Object.fromEntries(fixed.map((p) => [p.name, p.const as string | number])) } : {}),
	};
}

/** A field's lookup as a definition (or an overlay) writes it; named by nameLookups. */
export function buildLookup(
	raw: RawLookup,
	siblings: Parameter[],
	resources: Resource[],
	defaultPagination: Pagination,
): Lookup {
	const parameters: Lookup['parameters'] = {};
	for (const [name, field] of Object.entries(raw.parameters ?? {})) {
		const sibling = siblings.find((p) => p.name === field);
		if (!sibling)
			throw new Error(`lookup parameter "${name}" names "${field}", which is not a field of the operation`);
		parameters[name] = sibling;
	}
	const common = {
		method: '',
		label: raw.label,
		value: raw.value ?? 'id',
		as: raw.as ?? 'locator',
		...(raw.search ? { search: raw.search } : {}),
		...(raw.url ? { url: raw.url } : {}),
		...(raw.urlPattern ? { urlPattern: raw.urlPattern } : {}),
		...(raw.idPattern ? { idPattern: raw.idPattern } : {}),
		...(raw.when ? { when: raw.when } : {}),
		parameters,
	};
	if (raw.request) {
		const { path, query, body, output, pagination, baseUrl, graphql } = raw.request;
		const method = raw.request.method ?? (graphql ? 'POST' : 'GET');
		return {
			...common,
			request: {
				method,
				path,
				...(output ? { output } : {}),
				...(baseUrl ? { baseUrl } : {}),
				...(graphql ? { graphql } : {}),
				pagination: pagination ? withPaginationDefaults(pagination) : defaultPagination,
			},
			...(query ? { query } : {}),
			...(body ? { body } : {}),
		};
	}
	const [resourceName, operationName] = String(raw.operation).split('.');
	const list = resources.find((r) => r.name === resourceName)?.operations.find((o) => o.name === operationName);
	if (!list?.list) throw new Error(`lookup operation "${String(raw.operation)}" is not a list operation`);
	return { ...common, ...listRequest(list) };
}
