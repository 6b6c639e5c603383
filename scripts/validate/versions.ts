import { inVersion } from '../../nodes/shared/versions';
import type { VersionRange } from '../../nodes/shared/types';
import { placeholders, type RawDefinition, type RawParameter } from '../model/definition';
import { pointerOf, type Finding } from './finding';

type Located = Omit<Finding, 'file' | 'line' | 'column'>;
type Path = Array<string | number>;

/**
 * What the schema cannot check about `version`, `since` and `until`: every marker names a version the node has,
 * every range holds a version, and each version of an operation can still fill its path.
 */
export function versionFindings(raw: RawDefinition): Located[] {
	const findings: Located[] = [];
	const error = (path: Path, rule: string, message: string, fix: string) =>
		findings.push({ pointer: pointerOf(path), severity: 'error', rule, message, fix });
	const current = raw.version ?? 1;
	let marked = false;

	/** Checks one range against the node's versions and the range it lies in; false when it is inconsistent. */
	const checkRange = (range: VersionRange, at: Path, within: VersionRange = {}): boolean => {
		if (range.since === undefined && range.until === undefined) return true;
		marked = true;
		const before = findings.length;
		if (range.since !== undefined && range.since > current)
			error(
				[...at, 'since'],
				'unknown-version',
				`since: ${range.since} names a version the node does not have (its version is ${current})`,
				`raise \`version:\` to ${range.since} at the top of the definition, or lower \`since\``,
			);
		if (range.until !== undefined && range.until >= current)
			error(
				[...at, 'until'],
				'unknown-version',
				`until: ${range.until} does not end anything: version ${current} is the newest`,
				`raise \`version:\` to ${range.until + 1} to end it there, or remove \`until\``,
			);
		if (findings.length > before) return false;
		const first = Math.max(range.since ?? 1, within.since ?? 1);
		const last = Math.min(range.until ?? current, within.until ?? current);
		if (first > last) {
			error(
				at,
				'empty-version-range',
				`no node version has this: it starts at version ${first} and ends at version ${last}` +
					(within.since !== undefined || within.until !== undefined ? ' (within its operation)' : ''),
				'make `since` at most `until`, inside the versions of its operation',
			);
			return false;
		}
		return true;
	};

	for (const [resource, r] of Object.entries(raw.resources)) {
		for (const [operation, op] of Object.entries(r.operations)) {
			const at = ['resources', resource, 'operations', operation];
			if (!checkRange(op, at)) continue;
			const params: Array<{ p: RawParameter; at: Path }> = [
				...(op.parameters ?? []).map((p, i) => ({ p, at: [...at, 'parameters', i] })),
				...(op.body?.fields ?? []).map((p, i) => ({ p, at: [...at, 'body', 'fields', i] })),
			];
			for (const { p, at: where } of params) checkRange(p, where, op);
			for (let version = op.since ?? 1; version <= Math.min(op.until ?? current, current); version++) {
				const inPath = params
					.filter(({ p }) => p.in === 'path' && inVersion(p, version))
					.map(({ p }) => p.name);
				// A placeholder no path parameter fills at all is references.ts's finding.
				for (const name of placeholders(op.path))
					if (!inPath.includes(name) && params.some(({ p }) => p.in === 'path' && p.name === name))
						error(
							[...at, 'path'],
							'undefined-path-parameter',
							`version ${version} has no path parameter "{${name}}": its markers leave it out`,
							`give one \`- { name: ${name}, in: path }\` a range that includes version ${version}`,
						);
			}
		}
	}
	(raw.triggers ?? []).forEach((t, i) => {
		const parameters = t.type === 'webhook' ? (t.parameters ?? []) : [];
		parameters.forEach((p, j) => {
			if (p.since !== undefined || p.until !== undefined)
				error(
					['triggers', i, 'parameters', j],
					'versioned-trigger-parameter',
					'trigger parameters have no versions: only the action node is versioned',
					'remove `since`/`until` from this parameter',
				);
		});
	});
	if (current > 1 && !marked)
		findings.push({
			pointer: pointerOf(['version']),
			severity: 'warning',
			rule: 'unused-version',
			message: `version ${current} changes nothing: no operation or parameter says \`since\` or \`until\``,
			fix: 'mark the old form `until: <old version>` and the new one `since: <new version>`, or lower `version`',
		});
	return findings;
}

/** Whether some node version has both: two parameters sent under one name must not. */
export function overlap(a: VersionRange, b: VersionRange): boolean {
	return Math.max(a.since ?? 1, b.since ?? 1) <= Math.min(a.until ?? Infinity, b.until ?? Infinity);
}
