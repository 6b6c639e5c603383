import { pointerOf } from '../validate/finding';
import type { Json } from './document';
import { isObject } from './refs';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface SpecOperation {
	path: string;
	method: (typeof METHODS)[number];
	operation: Json;
	/** The path item, for its shared `parameters`. */
	pathItem: Json;
	pointer: string;
}

/** The pointer is made when a finding asks for it: most operations never need one. */
class Located implements SpecOperation {
	constructor(
		readonly path: string,
		readonly method: SpecOperation['method'],
		readonly operation: Json,
		readonly pathItem: Json,
	) {}

	get pointer(): string {
		return pointerOf(['paths', this.path, this.method]);
	}
}

/**
 * Every operation under `paths`, in document order. Listed once per document: the linter, the
 * mapper and the webhook mapper all ask, and the linter trims paths before it asks.
 */
export function operationsOf(doc: Json): SpecOperation[] {
	let out = listed.get(doc);
	if (!out) listed.set(doc, (out = listOperations(doc)));
	return out;
}

const listed = new WeakMap<Json, SpecOperation[]>();

function listOperations(doc: Json): SpecOperation[] {
	const out: SpecOperation[] = [];
	const paths = isObject(doc.paths) ? doc.paths : {};
	for (const path in paths) {
		const item = paths[path];
		if (!isObject(item)) continue;
		for (let m = 0; m < METHODS.length; m++) {
			const method = METHODS[m];
			const operation = item[method];
			if (isObject(operation)) out.push(new Located(path, method, operation, item));
		}
	}
	return out;
}

/** Keys under which values are data (examples, defaults), not schemas or spec objects. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const']);
/** Objects whose keys are names chosen by the author (a property may be called `example`). */
const NAME_MAPS = new Set([
	'properties',
	'patternProperties',
	'schemas',
	'definitions',
	'paths',
	'responses',
	'parameters',
	'requestBodies',
	'headers',
	'securitySchemes',
	'callbacks',
	'webhooks',
]);

interface Node {
	value: unknown;
	key: string | undefined;
	parent: Node | undefined;
}

/** Where a walk starts in the document, and what it leaves out. */
export interface WalkFrom {
	/** The segments of the walk's root in the document (none: the root is the document). */
	segments?: string[];
	/** An object under the root that is not entered, left to a walk of its own. */
	skip?: unknown;
}

/**
 * Calls `visit` on every object of the document that is spec structure rather than example data.
 * `segments()` gives its location; it is built only when asked for (large specs have millions of objects).
 */
export function walkObjects(
	root: unknown,
	visit: (value: Json, segments: () => string[], parentKey: string | undefined) => void,
	from: WalkFrom = {},
): void {
	const stack: Node[] = [{ value: root, key: undefined, parent: undefined }];
	while (stack.length) {
		const node = stack.pop()!;
		const value = node.value;
		if (!value || typeof value !== 'object' || value === from.skip) continue;
		if (Array.isArray(value)) {
			for (let i = 0; i < value.length; i++) stack.push({ value: value[i], key: String(i), parent: node });
			continue;
		}
		// Items of a list (allOf, parameters) report the list's key.
		const parentKey = node.parent && Array.isArray(node.parent.value) ? node.parent.key : node.key;
		visit(value as Json, () => segmentsTo(node, from.segments), parentKey);
		const isMap = NAME_MAPS.has(node.key ?? '');
		for (const k in value) {
			const child = (value as Json)[k];
			// Most values are text or numbers: the cheaper test first.
			if (!child || typeof child !== 'object' || (!isMap && (DATA_KEYS.has(k) || k.startsWith('x-')))) continue;
			stack.push({ value: child, key: k, parent: node });
		}
	}
}

function segmentsTo(node: Node, base: string[] = []): string[] {
	const out: string[] = [];
	for (let n: Node | undefined = node; n && n.key !== undefined; n = n.parent) out.push(n.key);
	return [...base, ...out.reverse()];
}
