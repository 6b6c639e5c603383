import { posix } from 'node:path';
import { pascalCase } from '../model/naming';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_PAGES } from '../model/build';
import { readsAhead } from '../../nodes/shared/read-ahead';
import type { Integration, Operation, Parameter, Resource } from '../model/types';
import { hint, sortByLabel, sortedOptions } from './hints';
import { lookupField } from './lookups';
import { code, Expression, header, jsonLiteral, n8nLiteral } from './literal';
import { authOption, credentialNames, credentialVariants, labelled, nodeFolder, type Namespace } from './names';
import type { EmittedFile } from './files';
import { nodeProperty, operationTable } from './table';
import { versionedProperties, versionKeys } from './versions';

type Property = Record<string, unknown>;

/** The action node: its description and operation table, over the shared runtime. */
export function emitNode(
	integration: Integration,
	source: string,
	iconFiles: { light: string; dark: string },
	ns: Namespace,
	/** The service's hooks file (emitHooks), when it has one. */
	hooksFile?: string,
): EmittedFile {
	const className = pascalCase(integration.name);
	const description = {
		displayName:
			labelled(ns, integration.displayName) + (integration.status === 'deprecated' ? ' (Deprecated)' : ''),
		name: integration.name,
		icon: { light: `file:${iconFiles.light}`, dark: `file:${iconFiles.dark}` },
		group: ['transform'],
		...versionKeys(integration),
		subtitle: new Expression('={{$parameter["operation"] + ": " + $parameter["resource"]}}'),
		description: integration.description,
		defaults: { name: integration.displayName },
		usableAsTool: true,
		...(isHidden(integration) ? { hidden: true } : {}),
		inputs: [code('NodeConnectionTypes.Main')],
		outputs: [code('NodeConnectionTypes.Main')],
		credentials: credentials(integration, ns),
		properties: versionedProperties(integration, properties) as unknown,
	};
	const chunks = propertyChunks(description.properties as Property[]);
	if (chunks.length > 1) description.properties = code(`[${chunks.map((_, i) => `...properties${i}`).join(', ')}]`);
	const types = [
		'IExecuteFunctions',
		'INodeExecutionData',
		...(chunks.length > 1 ? ['INodeProperties'] : []),
		'INodeType',
		'INodeTypeDescription',
	];
	const table = operationTable(integration, ns);
	const lookups = table.lookups !== undefined;
	const content = `${header(source)}import type { ${types.join(', ')} } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { runOperations } from '../shared/execute';
${lookups ? "import { lookupMethods } from '../shared/lookup';\n" : ''}import type { IntegrationTable } from '../shared/types';
${hooksFile ? `import { hooks } from './${posix.basename(hooksFile, '.ts')}';\n` : ''}
export const table: IntegrationTable = ${jsonLiteral(table)};
${chunks.length > 1 ? chunks.map((c, i) => `\nconst properties${i}: INodeProperties[] = ${n8nLiteral(c)};\n`).join('') : ''}
export class ${className} implements INodeType {
	description: INodeTypeDescription = ${n8nLiteral(description, '\t')};
${lookups ? '\n\tmethods = lookupMethods(table);\n' : ''}
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations.call(this, table${hooksFile ? ', hooks' : ''});
	}
}
`;
	return { path: `nodes/${nodeFolder(integration)}/${className}.node.ts`, content };
}

/**
 * Properties per declaration in very large nodes: one array literal of tens of thousands of objects is more than
 * TypeScript can type.
 */
const PROPERTIES_PER_CHUNK = 2000;

function propertyChunks(properties: Property[]): Property[][] {
	const chunks: Property[][] = [];
	for (let i = 0; i < properties.length; i += PROPERTIES_PER_CHUNK)
		chunks.push(properties.slice(i, i + PROPERTIES_PER_CHUNK));
	return chunks;
}

export function isHidden(integration: Integration): boolean {
	return integration.status === 'inactive' || integration.status === 'hidden';
}

export function credentials(integration: Integration, ns: Namespace): unknown[] {
	const variants = credentialVariants(integration);
	return variants.map((auth) => {
		const { name } = credentialNames(integration, auth, ns);
		return {
			name,
			// Without auth a credential only holds settings: optional while each has a default (the spec's server).
			required: auth.type !== 'none' || integration.config.some((c) => !c.default),
			...(integration.auth.length > 1
				? { displayOptions: { show: { authentication: [authOption(auth).option] } } }
				: {}),
		};
	});
}

function properties(integration: Integration): Property[] {
	const props: Property[] = [];
	if (integration.status === 'deprecated') {
		props.push({
			displayName: `${integration.displayName} is deprecated and may be removed: move workflows to its replacement.`,
			name: 'deprecationNotice',
			type: 'notice',
			default: '',
		});
	}
	props.push(...authenticationProperty(integration));
	const resources = [
		...integration.resources.map((r) => ({ name: r.displayName, value: r.name })),
		{ name: 'Connection', value: 'connection' },
	];
	props.push({
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: sortedOptions(resources),
		default: resources[0].value,
	});
	for (const r of integration.resources) props.push(...resourceProperties(r));
	props.push({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['connection'] } },
		options: [
			{
				name: 'Check',
				value: 'check',
				action: 'Check the connection',
				description: 'Run the credential test and report status, latency and the service’s error',
			},
		],
		default: 'check',
	});
	// Only Connection → Check, which reports the status itself: nothing to set.
	if (integration.resources.length) props.push(nodeOptions(integration));
	return props;
}

/**
 * Options as n8n's own nodes place them, last: how a run meets the rate limit (nodes/shared/rate-limit-options.ts).
 * The status is off by default, so the items stay the API's own.
 */
function nodeOptions(integration: Integration): Property {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		// Check reports the rate-limit status anyway.
		displayOptions: { hide: { resource: ['connection'] } },
		options: [
			{
				displayName: 'Include Rate Limit Status',
				name: 'includeRateLimitStatus',
				type: 'boolean',
				default: false,
				description:
					"Whether to add the credential's rate-limit status (limit, remaining, resetAt, source) to each output item as rateLimit",
			},
			{
				displayName: 'Max Rate Limit Wait (Seconds)',
				name: 'maxRateLimitWait',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: integration.retry.maxWaitSeconds,
				description:
					'Longest wait for a rate limit to reset inside the node, holding the worker; a later reset fails the item with its retryAt, which a Wait node on the error output can wait until',
			},
		],
	};
}

/** The Authentication selector, when the integration offers several auth variants. */
export function authenticationProperty(integration: Integration): Property[] {
	if (integration.auth.length < 2) return [];
	return [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: integration.auth.map((a) => {
				const { label, option } = authOption(a);
				return { name: label, value: option };
			}),
			default: authOption(integration.auth[0]).option,
		},
	];
}

/**
 * An operation's description with the OAuth2 scopes it needs, so a user sees them when picking it; inside the last
 * sentence, so the description keeps n8n's final-period rule (none after one sentence).
 */
function withScopes(description: string | undefined, op: Operation): string | undefined {
	if (!op.requiredScopes.length) return description;
	const needs = `needs the OAuth2 scope${op.requiredScopes.length > 1 ? 's' : ''} ${op.requiredScopes.join(', ')}`;
	if (!description) return needs[0].toUpperCase() + needs.slice(1);
	return description.endsWith('.') ? `${description.slice(0, -1)} (${needs}).` : `${description} (${needs})`;
}

function resourceProperties(r: Resource): Property[] {
	const show = (ops: Operation[]) => ({ show: { resource: [r.name], operation: ops.map((o) => o.name) } });
	const props: Property[] = [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [r.name] } },
			options: sortByLabel([...r.operations], (op) => op.displayName).map((op) => ({
				name: op.displayName + (op.deprecated ? ' (Deprecated)' : ''),
				value: op.name,
				action: op.action,
				description: withScopes(hint(op.description), op),
			})),
			default: r.operations[0].name,
		},
	];
	for (const op of r.operations.filter((o) => o.deprecated)) {
		props.push({
			displayName: `${op.displayName} is deprecated by the service and may stop working.`,
			name: 'operationDeprecationNotice',
			type: 'notice',
			default: '',
			displayOptions: show([op]),
		});
	}
	// Required fields that are the same in several operations become one property shown for all of them.
	const shared: Array<{ keyed: KeyedField; property: Property; ops: Operation[] }> = [];
	const byName = new Map<string, typeof shared>();
	for (const op of r.operations) {
		for (const p of op.parameters) {
			if (!p.required || p.const !== undefined) continue;
			const keyed = keyedField(p, true);
			let named = byName.get(keyed.name);
			if (!named) byName.set(keyed.name, (named = []));
			const entry = named.find((e) => e.keyed.sameFieldAs(keyed));
			if (!entry) {
				const created = { keyed, property: keyed.property, ops: [op] };
				named.push(created);
				shared.push(created);
			} else {
				entry.property = sameHint(entry.property, keyed.property);
				entry.ops.push(op);
			}
		}
	}
	for (const { property, ops } of shared) props.push({ ...property, displayOptions: show(ops) });
	const lists = r.operations.filter((o) => o.list);
	if (lists.length) {
		props.push({
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show(lists),
		});
		props.push({
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show(lists).show, returnAll: [false] } },
		});
		for (const group of paginationGroups(lists)) props.push(paginationOptions(show(group.ops), group));
	}
	props.push(...additionalFields(r.operations, show));
	return props;
}

/** The Pagination options' defaults for some list operations: the definition's, so the user sees what applies. */
interface PaginationDefaults {
	ops: Operation[];
	maxPages: number;
	/** Undefined where the pages are read one after another anyway, or the API forbids parallel calls. */
	concurrency?: number;
}

/** The list operations grouped by the defaults their Pagination options show. */
function paginationGroups(lists: Operation[]): PaginationDefaults[] {
	const groups: PaginationDefaults[] = [];
	for (const op of lists) {
		const p = op.pagination ?? { type: 'none' };
		const maxPages = (p.type !== 'none' && p.maxPages) || DEFAULT_MAX_PAGES;
		const allowed = p.type !== 'none' ? (p.concurrency ?? DEFAULT_CONCURRENCY) : 1;
		const concurrency = readsAhead(p) && allowed > 1 ? allowed : undefined;
		const group = groups.find((g) => g.maxPages === maxPages && g.concurrency === concurrency);
		if (group) group.ops.push(op);
		else groups.push({ ops: [op], maxPages, concurrency });
	}
	return groups;
}

/**
 * How a list is read, for the user to change: the Return All cap and the pages fetched at once
 * (nodes/shared/pagination.ts).
 */
function paginationOptions(displayOptions: Property['displayOptions'], defaults: PaginationDefaults): Property {
	const concurrency: Property[] =
		defaults.concurrency === undefined
			? []
			: [
					{
						displayName: 'Concurrent Requests',
						name: 'concurrency',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 16 },
						default: defaults.concurrency,
						description:
							'Pages fetched at once where the API says how many there are; 1 fetches one page at a time',
					},
				];
	return {
		displayName: 'Pagination',
		name: 'pagination',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions,
		options: [
			...concurrency,
			{
				displayName: 'Max Pages',
				name: 'maxPages',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: defaults.maxPages,
				description: 'Return All stops with an error after this many pages if more are left',
			},
		],
	};
}

/**
 * Optional fields in as few Additional Fields collections as their names allow: each field once,
 * shown (through `/operation`) for the operations that have it, so the description grows with
 * distinct fields rather than with operations × fields.
 */
function additionalFields(operations: Operation[], show: (ops: Operation[]) => Property['displayOptions']): Property[] {
	const groups: FieldGroup[] = [];
	for (const op of operations) {
		const keyed: KeyedField[] = [];
		for (const p of op.parameters) if (!p.required) keyed.push(keyedField(p, false));
		if (!keyed.length) continue;
		let group = groups.find((g) => g.accepts(keyed));
		if (!group) groups.push((group = new FieldGroup()));
		group.add(op, keyed);
	}
	return groups.map((g) => ({
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(g.ops),
		options: g.options(),
	}));
}

/**
 * One Additional Fields collection: its operations and each of their optional fields once. Plain
 * loops, like the other per-operation steps: chains of callbacks make V8 compile large functions for
 * code that runs a few thousand times in all (measured on GitHub's spec, first run).
 */
class FieldGroup {
	readonly ops: Operation[] = [];
	private readonly fields = new Map<string, { keyed: KeyedField; property: Property; ops: Operation[] }>();

	/** Whether no field of the same name means something else here. */
	accepts(keyed: KeyedField[]): boolean {
		for (const f of keyed) {
			const entry = this.fields.get(f.name);
			if (entry && !entry.keyed.sameFieldAs(f)) return false;
		}
		return true;
	}

	add(op: Operation, keyed: KeyedField[]): void {
		this.ops.push(op);
		for (const f of keyed) {
			let entry = this.fields.get(f.name);
			if (!entry) this.fields.set(f.name, (entry = { keyed: f, property: f.property, ops: [] }));
			else entry.property = sameHint(entry.property, f.property);
			entry.ops.push(op);
		}
	}

	/** The fields, each shown for the operations that have it when not all of them do. */
	options(): Property[] {
		const options: Property[] = [];
		for (const { property, ops } of this.fields.values()) {
			options.push(
				ops.length === this.ops.length
					? property
					: { ...property, displayOptions: { show: { '/operation': ops.map((o) => o.name) } } },
			);
		}
		return sortByLabel(options, (o) => String(o.displayName));
	}
}

/** A parameter's field, and what tells it apart from another field of the same name. */
class KeyedField {
	private json?: string;

	constructor(readonly property: Property) {}

	get name(): string {
		return String(this.property.name);
	}

	/**
	 * Fields that differ only in their hint are the same field: one property for all their operations.
	 * Compared by their JSON without the hint, worked out only when two parameters share a name.
	 */
	sameFieldAs(other: KeyedField): boolean {
		return other === this || other.key === this.key;
	}

	private get key(): string {
		return (this.json ??= withoutHint(this.property));
	}
}

/** Worked out once per parameter object: operations of an imported spec share theirs. */
const keyedFields = new WeakMap<Parameter, { required?: KeyedField; optional?: KeyedField }>();

function keyedField(p: Parameter, required: boolean): KeyedField {
	let both = keyedFields.get(p);
	if (!both) keyedFields.set(p, (both = {}));
	const which = required ? 'required' : 'optional';
	return (both[which] ??= new KeyedField(field(p, required)));
}

/**
 * A field's JSON without its hint. `field` sets `description` last, so the hint is the text's last
 * `,"description":` (inside strings JSON escapes every quote): cut there instead of copying the field without it.
 */
function withoutHint(property: Property): string {
	const json = JSON.stringify(property);
	return property.description === undefined ? json : `${json.slice(0, json.lastIndexOf(',"description":'))}}`;
}

/**
 * The merged field keeps a hint only while every operation gives the same one: a filter's hint must not describe a
 * create field.
 */
function sameHint(kept: Property, other: Property): Property {
	return kept.description === other.description ? kept : { ...kept, description: undefined };
}

export function field(p: Parameter, required: boolean): Property {
	const type = p.type;
	// Built key by key, in the order the description shows them, rather than from spreads: this runs once per distinct
	// parameter.
	const property: Property = { displayName: p.displayName, name: nodeProperty(p), type };
	if (p.secret) property.typeOptions = { password: true };
	// n8n's lint asks every email field for the same placeholder.
	if (type === 'string' && /email/i.test(p.name)) property.placeholder = 'name@email.com';
	if (p.options) property.options = sortedOptions(p.options);
	if (p.entries) {
		property.typeOptions = { multipleValues: true };
		property.placeholder = 'Add Entry';
		property.options = [{ displayName: 'Entry', name: 'entries', values: p.entries.map((e) => field(e, false)) }];
	}
	property.default = p.default ?? emptyValue(p);
	if (required) property.required = true;
	property.description = hint(p.description);
	return p.lookup ? lookupField({ ...p, lookup: p.lookup }, property, nodeProperty) : property;
}

/** The value a field of this type starts with when the spec gives no default. */
function emptyValue(p: Parameter): unknown {
	switch (p.type) {
		case 'number':
			return 0;
		case 'boolean':
			return false;
		case 'options':
			return p.options?.[0]?.value ?? '';
		case 'multiOptions':
			return [];
		case 'fixedCollection':
			return {};
		default:
			return '';
	}
}
