/**
 * Node versions of the action node. A light node (one class, `version: [1, 2]`, parameters limited with
 * `displayOptions.show['@version']`, the runtime reading `typeVersion`) rather than n8n's VersionedNodeType (one class
 * per version): the versions of a generated node share one operation table and differ in a few fields, so one
 * description that shows each version its own properties keeps the file and the package small, as in n8n's own
 * nodes with small version steps.
 */
import { inVersion } from '../../nodes/shared/versions';
import type { Integration } from '../model/types';

type Property = Record<string, unknown>;

/** `version` and `defaultVersion` of the description: new nodes get the newest version. */
export function versionKeys(integration: Integration): { version: number | number[]; defaultVersion?: number } {
	if (integration.version === 1) return { version: 1 };
	return { version: versions(integration), defaultVersion: integration.version };
}

/**
 * The properties of every version in one list: those all versions share once, the others shown only to the versions
 * that have them. Each version's properties keep their order.
 */
export function versionedProperties(
	integration: Integration,
	propertiesOf: (integration: Integration) => Property[],
): Property[] {
	if (integration.version === 1) return propertiesOf(integration);
	const merged: Array<{ json: string; property: Property; versions: number[] }> = [];
	for (const version of versions(integration)) {
		let cursor = 0;
		for (const property of propertiesOf(integrationAt(integration, version))) {
			const json = JSON.stringify(property);
			let at = merged.findIndex((m, i) => i >= cursor && m.json === json);
			if (at < 0) merged.splice((at = cursor), 0, { json, property, versions: [] });
			merged[at].versions.push(version);
			cursor = at + 1;
		}
	}
	return merged.map(({ property, versions: only }) =>
		only.length === integration.version ? property : shownIn(property, only),
	);
}

function versions(integration: Integration): number[] {
	return Array.from({ length: integration.version }, (_, i) => i + 1);
}

/** The integration as one node version shows it: the operations and parameters that version has. */
function integrationAt(integration: Integration, version: number): Integration {
	const resources = integration.resources.map((r) => ({
		...r,
		operations: r.operations
			.filter((op) => inVersion(op, version))
			.map((op) => ({ ...op, parameters: op.parameters.filter((p) => inVersion(p, version)) })),
	}));
	return { ...integration, resources: resources.filter((r) => r.operations.length) };
}

function shownIn(property: Property, only: number[]): Property {
	const displayOptions = property.displayOptions as { show?: Property } | undefined;
	return { ...property, displayOptions: { ...displayOptions, show: { ...displayOptions?.show, '@version': only } } };
}
