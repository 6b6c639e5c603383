import type { OperationSpec, VersionRange } from './types';

/** Whether node version `version` has an operation or parameter. */
export function inVersion(range: VersionRange, version: number): boolean {
	return (
		(range.since === undefined || version >= range.since) && (range.until === undefined || version <= range.until)
	);
}

/**
 * The operation as a node of `version` sends it, or undefined when that version has no such operation: a workflow
 * saved with an older version keeps sending that version's parameters after the definition changes.
 */
export function atVersion(spec: OperationSpec, version: number): OperationSpec | undefined {
	if (!inVersion(spec, version)) return undefined;
	const parameters = spec.parameters.filter((p) => inVersion(p, version));
	return parameters.length === spec.parameters.length ? spec : { ...spec, parameters };
}
