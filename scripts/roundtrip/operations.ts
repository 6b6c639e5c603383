/**
 * Which operations of a spec the round trip runs: a few that between them use every method and
 * every kind of field the spec has (path, query, header, cookie, lists, nested and form bodies,
 * Return All), then others spread over the rest, always the same ones for the same spec.
 */
import type { Integration, Operation } from '../model/types';
import { evenSample } from '../corpus/specs';

export interface Picked {
	resource: string;
	op: Operation;
}

const FEATURES: Array<(op: Operation) => boolean> = [
	...['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].map((m) => (op: Operation) => op.method === m),
	(op) => op.list && !!op.pagination && op.pagination.type !== 'none',
	(op) => op.list,
	...(['path', 'query', 'header', 'cookie'] as const).map(
		(where) => (op: Operation) => op.parameters.some((p) => p.in === where && p.const === undefined),
	),
	(op) => op.parameters.some((p) => p.type === 'json' && p.in !== 'body'),
	(op) => op.parameters.some((p) => p.type === 'multiOptions' || p.type === 'fixedCollection'),
	(op) => op.parameters.some((p) => p.in === 'body' && p.name.includes('.')),
	(op) => op.bodyType === 'form',
];

export function pickOperations(integration: Integration, max: number): Picked[] {
	const all: Picked[] = integration.resources.flatMap((r) => r.operations.map((op) => ({ resource: r.name, op })));
	const picked = new Set<Picked>();
	for (const has of FEATURES) {
		if (picked.size >= max) break;
		const first = all.find((p) => !picked.has(p) && has(p.op));
		if (first && ![...picked].some((p) => has(p.op))) picked.add(first);
	}
	for (const p of evenSample(
		all.filter((p) => !picked.has(p)),
		max - picked.size,
	))
		if (picked.size < max) picked.add(p);
	return all.filter((p) => picked.has(p));
}
