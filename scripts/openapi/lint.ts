import { toCamel } from './text';
import { pointerOf, segmentsOf, type Finding } from '../validate/finding';
import type { Json, LoadedSpec } from './document';
import { specParameters } from './parameters';
import { isObject, Refs } from './refs';
import { operationsOf, walkObjects, type SpecOperation } from './walk';

/**
 * The spec's problems, located by JSON pointer, each with what to do. Safe fixes are applied to
 * `loaded.document` (what the mapper reads) and reported as such; the file on disk is never
 * touched. `full` adds the checks generation does not need: regex patterns, `required` lists,
 * dangling and circular `$ref`s (`n8n-rills lint` and the Custom API credential's test run them).
 * The official schema is checked by the caller, on the original before these fixes: its validators
 * need ajv, which a node cannot import.
 */
export function lintSpec(loaded: LoadedSpec, shown: string, full = true): Finding[] {
	const doc = loaded.document;
	if (!doc || !loaded.original || !loaded.version) return [];
	const findings: Finding[] = [];
	const add = (pointer: string, severity: Finding['severity'], rule: string, message: string, fix: string) =>
		findings.push({ file: shown, pointer, severity, rule, message, fix });
	const info = isObject(doc.info) ? doc.info : (doc.info = {});

	if (typeof info.description !== 'string' || !info.description.trim()) {
		info.description =
			typeof info.title === 'string' && info.title.trim() ? info.title : 'An API imported from an OpenAPI file';
		add(
			'/info/description',
			'warning',
			'missing-description',
			'the API has no description; the node uses its title instead (fixed)',
			'add `description:` under `info`, one sentence on what the API does',
		);
	}

	trimTrailingSlashes(doc, add);
	const operations = operationsOf(doc);
	if (!operations.length && !isObject(doc.webhooks)) {
		add(
			'/paths',
			'error',
			'no-operations',
			'the spec has no operations (nothing under `paths`) and no webhooks',
			'add at least one path with an operation (get, post, …)',
		);
	}
	const ids = new Map<string, number>();
	const refs = new Refs(doc);
	for (const op of operations) {
		const { path, method, operation } = op;
		if (method === 'options' || method === 'trace') {
			add(
				op.pointer,
				'info',
				'unsupported-method',
				`${method.toUpperCase()} operations are not generated`,
				'nothing to do; n8n nodes send GET, POST, PUT, PATCH, DELETE and HEAD',
			);
			continue;
		}
		let id = typeof operation.operationId === 'string' ? operation.operationId.trim() : '';
		if (!id) {
			id = toCamel(`${method} ${path.replace(/\{([^}]*)\}/g, 'by $1')}`) || method;
			add(
				`${op.pointer}/operationId`,
				'warning',
				'missing-operation-id',
				`operationId is missing; derived "${id}" from the method and path (fixed)`,
				`add \`operationId: ${id}\` (unique in the spec) to the operation`,
			);
		}
		const count = ids.get(id) ?? 0;
		ids.set(id, count + 1);
		if (count) {
			const unique = `${id}_${count + 1}`;
			add(
				`${op.pointer}/operationId`,
				'warning',
				'duplicate-operation-id',
				`operationId "${id}" is used by another operation; this one became "${unique}" (fixed)`,
				'give every operation its own operationId',
			);
			id = unique;
		}
		operation.operationId = id;
		addMissingPathParameters(op, refs, add);
	}
	if (full) schemaFindings(doc, refs, add);
	return findings;
}

type Add = (pointer: string, severity: Finding['severity'], rule: string, message: string, fix: string) => void;

function trimTrailingSlashes(doc: Json, add: Add): void {
	const paths = isObject(doc.paths) ? doc.paths : undefined;
	if (!paths) return;
	for (const path of Object.keys(paths)) {
		if (path.length < 2 || !path.endsWith('/')) continue;
		const trimmed = path.replace(/\/+$/, '') || '/';
		if (paths[trimmed]) {
			add(
				pointerOf(['paths', path]),
				'warning',
				'path-trailing-slash',
				`path ${path} ends with a slash and ${trimmed} exists too (not fixed)`,
				`merge the two paths or drop the slash from ${path}`,
			);
			continue;
		}
		// Rebuild in order so the trimmed path keeps its place.
		const entries = Object.entries(paths).map(([k, v]): [string, unknown] => [k === path ? trimmed : k, v]);
		for (const k of Object.keys(paths)) delete paths[k];
		Object.assign(paths, Object.fromEntries(entries));
		add(
			pointerOf(['paths', path]),
			'warning',
			'path-trailing-slash',
			`path must not end with a slash; generated as ${trimmed} (fixed)`,
			`write the path as ${trimmed}`,
		);
	}
}

const PATH_PARAMETER = /\{([^}]+)\}/g;

function addMissingPathParameters(op: SpecOperation, refs: Refs, add: Add): void {
	const { path, operation, pathItem } = op;
	if (!path.includes('{')) return;
	const declared = specParameters(refs, pathItem, operation);
	// exec on one pattern and a plain loop: this runs for nearly every operation, and matchAll copies the pattern and
	// allocates per step.
	PATH_PARAMETER.lastIndex = 0;
	for (let match = PATH_PARAMETER.exec(path); match; match = PATH_PARAMETER.exec(path)) {
		const name = match[1];
		if (isDeclaredPathParameter(declared, name)) continue;
		const added = { name, in: 'path', required: true, schema: { type: 'string' } };
		operation.parameters = [...(Array.isArray(operation.parameters) ? operation.parameters : []), added];
		declared.push(added);
		add(
			`${op.pointer}/parameters`,
			'warning',
			'undefined-path-parameter',
			`path parameter {${name}} is not declared; added as a required string (fixed)`,
			`add \`- { name: ${name}, in: path, required: true, schema: { type: string } }\` to the parameters`,
		);
	}
}

function isDeclaredPathParameter(declared: Json[], name: string): boolean {
	for (let i = 0; i < declared.length; i++) if (declared[i].in === 'path' && declared[i].name === name) return true;
	return false;
}

/**
 * Schema-level findings: invalid regex patterns, `required` naming undefined properties, dangling and circular `$ref`s.
 */
function schemaFindings(doc: Json, refs: Refs, add: Add): void {
	// Whether each local $ref points at something, by its text: large specs repeat the same few thousand.
	const resolves = new Map<string, boolean>();
	const resolved = (ref: string) => {
		let found = resolves.get(ref);
		if (found === undefined) resolves.set(ref, (found = refs.at(decodeURIComponent(ref.slice(1))) !== undefined));
		return found;
	};
	const check = (value: Json, segments: () => string[], parentKey: string | undefined) => {
		const at = () => pointerOf(segments());
		if (typeof value.$ref === 'string' && value.$ref.startsWith('#') && !resolved(value.$ref)) {
			add(
				`${at()}/$ref`,
				'warning',
				'unresolved-ref',
				`$ref ${value.$ref} points at nothing; treated as any value`,
				'fix the reference or define what it points at',
			);
		}
		if (typeof value.pattern === 'string' && parentKey !== 'properties') {
			const problem = regexProblem(value.pattern);
			if (problem)
				add(
					`${at()}/pattern`,
					'warning',
					'invalid-pattern',
					`the regex pattern is not valid: ${problem}`,
					'correct the pattern (check character ranges are in order and escape / and other special characters with a backslash); the node does not use it',
				);
		}
		if (Array.isArray(value.required) && isObject(value.properties) && parentKey !== 'allOf' && !value.allOf) {
			const props = value.properties;
			value.required.forEach((name, i) => {
				if (typeof name !== 'string' || name in props) return;
				add(
					`${at()}/required/${i}`,
					'warning',
					'required-not-defined',
					`required property "${name}" is not defined in properties; the node offers it as a JSON field`,
					`define "${name}" under properties (with its type) or remove it from required`,
				);
			});
		}
	};
	// The named schemas are walked one by one, each walk checking them and listing the schemas they refer to for the
	// cycle search: one pass over them, where a walk of their own for the search made a second. Their findings come
	// first, as when one walk of the document reached them before the paths.
	const schemas = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
	const edges = new Map<string, string[]>();
	for (const name of Object.keys(schemas)) {
		const targets: string[] = [];
		const visit = (value: Json, segments: () => string[], parentKey: string | undefined) => {
			check(value, segments, parentKey);
			if (typeof value.$ref === 'string' && value.$ref.startsWith(SCHEMA_REF))
				targets.push(segmentsOf(value.$ref.slice(1))[2]);
		};
		walkObjects(schemas[name], visit, { segments: ['components', 'schemas', name] });
		edges.set(name, targets);
	}
	walkObjects(doc, check, { skip: schemas });
	for (const cycle of schemaCycles(edges, refs)) {
		add(
			cycle.pointer,
			'info',
			'circular-ref',
			`schema refers back to itself (${cycle.path.join(' → ')}); nested input becomes a JSON field at the cycle`,
			'nothing to do: circular schemas are supported',
		);
	}
}

const SCHEMA_REF = '#/components/schemas/';

function regexProblem(pattern: string): string | undefined {
	try {
		new RegExp(pattern, 'u');
		return undefined;
	} catch {
		try {
			new RegExp(pattern);
			return undefined;
		} catch (e) {
			return (e as Error).message.replace(/^Invalid regular expression: /, '');
		}
	}
}

/**
 * Named schemas that reach themselves through `$ref`s, one finding per cycle entry point; `edges` lists the named
 * schemas each one refers to.
 */
function schemaCycles(edges: Map<string, string[]>, refs: Refs): Array<{ pointer: string; path: string[] }> {
	const found: Array<{ pointer: string; path: string[] }> = [];
	const done = new Set<string>();
	// A path back to `start` never leaves its component: searching only there took the search on GitHub's spec from
	// 216 ms (searching everything each schema reaches) to a few.
	const component = stronglyConnected(edges);
	for (const start of edges.keys()) {
		// Depth-first from each schema; a path back to `start` is a cycle through it.
		const stack: Array<{ name: string; path: string[] }> = [{ name: start, path: [start] }];
		const visited = new Set<string>();
		while (stack.length) {
			const { name, path } = stack.pop()!;
			for (const next of edges.get(name) ?? []) {
				if (next === start) {
					if (!path.some((p) => done.has(p)))
						found.push({ pointer: pointerOf(['components', 'schemas', start]), path: [...path, start] });
					stack.length = 0;
					break;
				}
				if (
					!visited.has(next) &&
					component.get(next) === component.get(start) &&
					refs.at(`/components/schemas/${next}`) !== undefined
				) {
					visited.add(next);
					stack.push({ name: next, path: [...path, next] });
				}
			}
		}
		done.add(start);
	}
	return found;
}

/**
 * Each schema's strongly connected component (Kosaraju): two schemas share one when each reaches the other, so a
 * schema reaches itself only through schemas of its own component.
 */
function stronglyConnected(edges: Map<string, string[]>): Map<string, number> {
	// Schemas in the order their depth-first search finishes.
	const finished: string[] = [];
	const seen = new Set<string>();
	for (const root of edges.keys()) {
		if (seen.has(root)) continue;
		seen.add(root);
		const stack: Array<{ name: string; next: number }> = [{ name: root, next: 0 }];
		while (stack.length) {
			const top = stack[stack.length - 1];
			const targets = edges.get(top.name)!;
			if (top.next === targets.length) {
				finished.push(top.name);
				stack.pop();
				continue;
			}
			const next = targets[top.next++];
			if (edges.has(next) && !seen.has(next)) {
				seen.add(next);
				stack.push({ name: next, next: 0 });
			}
		}
	}
	const referrers = new Map<string, string[]>();
	for (const [from, targets] of edges)
		for (const to of targets) {
			if (!edges.has(to)) continue;
			const list = referrers.get(to);
			if (list) list.push(from);
			else referrers.set(to, [from]);
		}
	// Last finished first, each schema not yet placed gathers every schema that reaches it.
	const component = new Map<string, number>();
	for (let i = finished.length - 1; i >= 0; i--) {
		if (component.has(finished[i])) continue;
		component.set(finished[i], i);
		const stack = [finished[i]];
		while (stack.length)
			for (const from of referrers.get(stack.pop()!) ?? [])
				if (!component.has(from)) {
					component.set(from, i);
					stack.push(from);
				}
	}
	return component;
}
