import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { yaml } from '../load/libraries';
import { YamlSource } from '../load/yaml-source';
import { buildAuth, buildTrigger, DEFAULT_RETRY, withPaginationDefaults } from '../model/build';
import type { RawDefinition, RawLookup } from '../model/definition';
import { buildLookup, nameLookups } from '../model/lookups';
import type { Integration, Operation, Pagination } from '../model/types';
import integrationSchema from '../model/integration.schema.json';
import { explain, isRootCause } from '../validate/ajv-errors';
import { compiledWhenUsed } from '../validate/schema';
import type { Finding } from '../validate/finding';
import { distinctLabels, type Keep, type Mapped } from './map';
import { operationNames, resourceName, unique } from './names';
import overlaySchema from './overlay.schema.json';

type Selection = { tags?: string[]; paths?: string[]; operationIds?: string[] };
type OperationOverride = Partial<
	Pick<
		Integration['resources'][number]['operations'][number],
		'displayName' | 'action' | 'description' | 'output' | 'list' | 'requiredScopes' | 'deprecated'
	>
> & {
	resource?: string;
	pagination?: Pagination;
	/** Parameter name → its lookup, or false to drop the one the importer proposed. */
	lookups?: Record<string, RawLookup | false>;
};

/** Keys of a definition an overlay may give to override what the spec says (overlay.schema.json refers to them). */
type Overridable =
	| 'name'
	| 'displayName'
	| 'description'
	| 'category'
	| 'status'
	| 'icon'
	| 'documentationUrl'
	| 'baseUrl'
	| 'config'
	| 'auth'
	| 'rateLimits'
	| 'retry'
	| 'pagination'
	| 'connectionTest'
	| 'triggers';

/** An overlay definition as overlay.schema.json accepts it. */
export type Overlay = Partial<Pick<RawDefinition, Overridable>> & {
	spec: string;
	select?: Selection;
	exclude?: Selection;
	rename?: Array<{ match: string; replace: string; field?: 'displayName' | 'action' | 'description' }>;
	resources?: Record<string, { displayName?: string; description?: string }>;
	operations?: Record<string, OperationOverride>;
};

const overlayValidator = compiledWhenUsed(overlaySchema, { allErrors: true, strict: false, verbose: true }, [
	integrationSchema,
]);

/**
 * True when a definition file is an overlay (has a top-level `spec:`); unreadable files are left to the definition
 * loader.
 */
export function isOverlayFile(file: string): boolean {
	try {
		const value = yaml().parse(readFileSync(file, 'utf8')) as { spec?: unknown } | null;
		return typeof value?.spec === 'string';
	} catch {
		return false;
	}
}

/** Reads and checks an overlay; the spec path comes back absolute. */
export function readOverlay(
	file: string,
	shown = file,
): { overlay?: Overlay; specFile?: string; source?: YamlSource; findings: Finding[] } {
	const { source, findings } = YamlSource.read(file, shown);
	if (!source) return { findings };
	const validateOverlay = overlayValidator();
	if (!validateOverlay(source.value)) {
		for (const error of (validateOverlay.errors ?? []).filter(isRootCause)) {
			const { pointer, message, fix } = explain(error);
			findings.push({
				file: shown,
				pointer,
				...source.locate(pointer),
				severity: 'error',
				rule: 'schema',
				message,
				fix,
			});
		}
		return { findings };
	}
	const overlay = source.value as unknown as Overlay;
	for (const [i, rule] of (overlay.rename ?? []).entries()) {
		try {
			new RegExp(rule.match);
		} catch (e) {
			const pointer = `/rename/${i}/match`;
			findings.push({
				file: shown,
				pointer,
				...source.locate(pointer),
				severity: 'error',
				rule: 'invalid-pattern',
				message: `not a valid regular expression: ${(e as Error).message}`,
				fix: 'escape special characters with a backslash and check that groups are closed',
			});
		}
	}
	return { overlay, specFile: resolve(dirname(file), overlay.spec), source, findings };
}

/** The overlay's `select` and `exclude` as the mapper's filter. */
export function overlayFilter(overlay: Overlay): Keep {
	const matches = (s: Selection | undefined, id: string, tag: string, path: string) =>
		!!s &&
		(!!s.tags?.includes(tag) || !!s.operationIds?.includes(id) || !!s.paths?.some((p) => glob(p).test(path)));
	return (op, tag) => {
		const id = String(op.operation.operationId);
		return (
			(!overlay.select || matches(overlay.select, id, tag, op.path)) &&
			!matches(overlay.exclude, id, tag, op.path)
		);
	};
}

function glob(pattern: string): RegExp {
	return new RegExp(
		`^${pattern
			.split('*')
			.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
			.join('.*')}$`,
	);
}

/** The overlay's lookups on an operation's parameters (new objects: operations of a spec share theirs). */
function withLookups(operation: Operation, lookups: Record<string, RawLookup | false>, integration: Integration): void {
	operation.parameters = operation.parameters.map((p) => {
		const raw = lookups[p.name];
		if (raw === undefined) return p;
		const { lookup: _, ...plain } = p;
		if (raw === false) return plain;
		const { resources, pagination } = integration;
		return { ...plain, lookup: buildLookup(raw, operation.parameters, resources, pagination) };
	});
}

/** Applies everything but the selection (done while mapping) to a mapped spec. */
export function applyOverlay(mapped: Mapped, overlay: Overlay): Integration {
	const integration = mapped.integration;
	const scalar = [
		'name',
		'displayName',
		'description',
		'category',
		'status',
		'documentationUrl',
		'baseUrl',
		'rateLimits',
	] as const;
	for (const key of scalar) if (overlay[key] !== undefined) Object.assign(integration, { [key]: overlay[key] });
	// The credential's Base URL field holds the spec's server; an overlay's own base URL leaves it nothing to do.
	if (!integration.baseUrl.includes('{baseUrl}')) {
		integration.config = integration.config.filter((c) => c.name !== 'baseUrl');
	}
	if (overlay.icon) integration.icon = typeof overlay.icon === 'string' ? { light: overlay.icon } : overlay.icon;
	if (overlay.retry) integration.retry = { ...DEFAULT_RETRY, ...overlay.retry };
	if (overlay.auth) integration.auth = (Array.isArray(overlay.auth) ? overlay.auth : [overlay.auth]).map(buildAuth);
	if (overlay.connectionTest)
		integration.connectionTest = {
			method: overlay.connectionTest.method ?? 'GET',
			path: overlay.connectionTest.path,
		};
	for (const c of overlay.config ?? []) {
		const field = {
			name: c.name,
			displayName: c.displayName ?? c.name,
			description: c.description,
			default: c.default,
			required: c.required ?? true,
		};
		const at = integration.config.findIndex((f) => f.name === c.name);
		if (at === -1) integration.config.push(field);
		else
			integration.config[at] = {
				...integration.config[at],
				...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)),
			};
	}
	if (overlay.pagination) {
		const fallback = withPaginationDefaults(overlay.pagination);
		for (const r of integration.resources)
			for (const op of r.operations)
				if (op.list && (!op.pagination || op.pagination.type === 'none')) op.pagination = fallback;
	}
	for (const [key, r] of Object.entries(overlay.resources ?? {})) {
		const resource = integration.resources.find((x) => x.name === key || x.name === resourceName(key));
		if (resource) Object.assign(resource, r);
	}
	for (const origin of mapped.origins) {
		const change = overlay.operations?.[origin.operationId];
		if (!change) continue;
		const { resource: moveTo, pagination, lookups, ...rest } = change;
		Object.assign(origin.operation, rest);
		if (lookups) withLookups(origin.operation, lookups, integration);
		if (pagination) origin.operation.pagination = withPaginationDefaults(pagination);
		if (rest.list === true && !origin.operation.pagination) origin.operation.pagination = { type: 'none' };
		if (moveTo && resourceName(moveTo) !== origin.resource.name) move(integration, origin, moveTo);
	}
	for (const rule of overlay.rename ?? []) {
		const re = new RegExp(`^(?:${rule.match})$`);
		const field = rule.field ?? 'displayName';
		for (const r of integration.resources)
			for (const op of r.operations)
				if (typeof op[field] === 'string') op[field] = op[field]!.replace(re, rule.replace);
	}
	for (const r of integration.resources) distinctLabels(r.operations);
	integration.resources = integration.resources.filter((r) => r.operations.length);
	nameLookups(integration.resources);
	// The overlay's triggers join the spec's webhooks; one of the same name replaces it.
	const triggers = (overlay.triggers ?? []).map(buildTrigger);
	integration.triggers = [
		...integration.triggers.filter((t) => !triggers.some((o) => o.name === t.name)),
		...triggers,
	];
	return integration;
}

/** Polling triggers must name a list operation of what the overlay kept. */
export function triggerFindings(integration: Integration): Array<Omit<Finding, 'file'>> {
	const lists = integration.resources.flatMap((r) =>
		r.operations.filter((o) => o.list).map((o) => `${r.name}:${o.name}`),
	);
	return integration.triggers.flatMap((t, i) =>
		t.type !== 'webhook' && !lists.includes(t.operation)
			? [
					{
						pointer: `/triggers/${i}/operation`,
						severity: 'error' as const,
						rule: 'undefined-operation',
						message: `"${t.operation}" is not a list operation of this integration`,
						fix: `use one of: ${lists.join(', ') || '(no list operations)'}`,
					},
				]
			: [],
	);
}

function move(integration: Integration, origin: Mapped['origins'][number], tag: string): void {
	const name = resourceName(tag);
	let target = integration.resources.find((r) => r.name === name);
	if (!target) {
		target = { name, displayName: tag, operations: [] };
		integration.resources.push(target);
	}
	origin.resource.operations = origin.resource.operations.filter((o) => o !== origin.operation);
	const names = operationNames(origin.operationId, tag);
	origin.operation.name = unique(names.name, new Set(target.operations.map((o) => o.name)));
	target.operations.push(origin.operation);
	origin.resource = target;
}
