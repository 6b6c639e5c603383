import type { Integration, Lookup, Parameter } from '../model/types';
import type { LookupSpec } from '../../nodes/shared/types';
import { Expression } from './literal';

type Property = Record<string, unknown>;

/** What n8n's lint asks a field with loaded options to say. */
const DYNAMIC_OPTIONS_HINT =
	'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.';

/**
 * A looked-up field as n8n shows it: a resource locator (From List, By ID, By URL) or a drop-down of
 * loaded options. Patterns and links are data n8n reads; the one expression, the By ID link, is the
 * generator's own around a template whose only placeholder is `{value}` and that holds no braces else.
 */
export function lookupField(
	p: Parameter & { lookup: Lookup },
	base: Property,
	nodeProperty: (p: Parameter) => string,
): Property {
	const { lookup } = p;
	// The hint stays the last key: fields are told apart by their JSON without it (see withoutHint in node.ts).
	const { description, ...shown } = base;
	const dependsOn = Object.values(lookup.parameters).map((d) =>
		d.lookup?.as === 'locator' ? `${fieldPath(d, nodeProperty)}.value` : fieldPath(d, nodeProperty),
	);
	const typeOptions = dependsOn.length ? { loadOptionsDependsOn: dependsOn } : undefined;
	if (lookup.as === 'options')
		return {
			...shown,
			// n8n's lint: a drop-down of loaded options is named "<Entity> Name or ID".
			displayName: /Name or ID$/.test(String(shown.displayName))
				? shown.displayName
				: `${shown.displayName} Name or ID`,
			type: 'options',
			typeOptions: { loadOptionsMethod: lookup.method, ...typeOptions },
			default: p.default ?? '',
			description: description
				? `${String(description).replace(/\.?$/, '.')} ${DYNAMIC_OPTIONS_HINT}`
				: DYNAMIC_OPTIONS_HINT,
		};
	const label = String(base.displayName);
	const byId: Property = { displayName: 'By ID', name: 'id', type: 'string', placeholder: `${label} ID` };
	if (lookup.idPattern) byId.validation = [regexValidation(lookup.idPattern, `Not a valid ${label} ID`)];
	const link = idLink(lookup.url);
	if (link) byId.url = link;
	const modes: Property[] = [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: `Select a ${label}...`,
			typeOptions: { searchListMethod: lookup.method, searchable: true },
		},
		byId,
	];
	if (lookup.urlPattern)
		modes.push({
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: `${label} URL`,
			// n8n tests a URL against `^…$` of this but reads the ID with the pattern alone: whatever follows the
			// ID (a board, a query) is allowed, as a link copied from the browser carries it.
			validation: [regexValidation(`(?:${lookup.urlPattern}).*`, `Not a valid ${label} URL`)],
			extractValue: { type: 'regex', regex: lookup.urlPattern },
		});
	return {
		...shown,
		type: 'resourceLocator',
		// A workflow saved without the field relied on its default, which stays the value.
		default: { mode: 'list', value: p.default ?? '' },
		modes,
		typeOptions,
		description,
	};
}

/** Where a field's value is among the node's parameters: optional fields are in Additional Fields. */
function fieldPath(p: Parameter, nodeProperty: (p: Parameter) => string): string {
	return p.required ? nodeProperty(p) : `additionalFields.${nodeProperty(p)}`;
}

function regexValidation(regex: string, errorMessage: string): Property {
	return { type: 'regex', properties: { regex, errorMessage } };
}

/** `https://github.com/{value}` → the expression n8n evaluates for an ID typed by hand; other templates get none. */
function idLink(template: string | undefined): Expression | undefined {
	if (!template) return undefined;
	const parts = template.split('{value}');
	if (parts.length < 2 || parts.some((part) => /[{}\\]/.test(part))) return undefined;
	return new Expression(`=${parts.join('{{ $value }}')}`);
}

/** The node's lookup methods: each distinct lookup once, keyed by its method's name. */
export function lookupTable(
	integration: Integration,
	nodeProperty: (p: Parameter) => string,
): Record<string, LookupSpec> | undefined {
	const lookups: Record<string, LookupSpec> = {};
	for (const r of integration.resources)
		for (const op of r.operations)
			for (const p of op.parameters) {
				if (!p.lookup || lookups[p.lookup.method]) continue;
				const { method, as, urlPattern, idPattern, parameters, ...spec } = p.lookup;
				lookups[method] = {
					...spec,
					...(as === 'options' ? { options: true } : {}),
					...(Object.keys(parameters).length
						? {
								parameters: Object.fromEntries(
									Object.entries(parameters).map(([name, d]) => [name, fieldPath(d, nodeProperty)]),
								),
							}
						: {}),
				};
			}
	return Object.keys(lookups).length ? lookups : undefined;
}
