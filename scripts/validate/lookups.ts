import { placeholders, type RawDefinition } from '../model/definition';
import { pointerOf, type Finding } from './finding';

type Located = Omit<Finding, 'file' | 'line' | 'column'>;

/**
 * Checks the lookups of a definition's fields: the list operation exists, the fields they depend on
 * are the operation's, every path placeholder of their request is filled, and their patterns are
 * regular expressions (a URL pattern with the one capture group n8n reads the ID from).
 */
export function lookupFindings(raw: RawDefinition): Located[] {
	const findings: Located[] = [];
	const error = (path: Array<string | number>, rule: string, message: string, fix: string) =>
		findings.push({ pointer: pointerOf(path), severity: 'error', rule, message, fix });
	const lists = Object.entries(raw.resources).flatMap(([resource, r]) =>
		Object.entries(r.operations)
			.filter(([name, op]) => op.list ?? name === 'getAll')
			.map(([name]) => `${resource}.${name}`),
	);
	for (const [resource, r] of Object.entries(raw.resources)) {
		for (const [operation, op] of Object.entries(r.operations)) {
			const fields = [
				...(op.parameters ?? []).map((p, i) => ({ p, at: ['parameters', i] })),
				...(op.body?.fields ?? []).map((p, i) => ({ p, at: ['body', 'fields', i] })),
			];
			for (const { p, at } of fields) {
				const lookup = p.lookup;
				if (!lookup) continue;
				const here = ['resources', resource, 'operations', operation, ...at, 'lookup'];
				if (lookup.operation && !lists.includes(lookup.operation))
					error(
						[...here, 'operation'],
						'undefined-operation',
						`"${lookup.operation}" is not a list operation of this integration`,
						`use one of: ${lists.join(', ') || '(no list operations yet)'}, or a \`request:\``,
					);
				for (const [name, field] of Object.entries(lookup.parameters ?? {}))
					if (!fields.some((f) => f.p.name === field))
						error(
							[...here, 'parameters', name],
							'undefined-field',
							`"${field}" is not a field of this operation`,
							`use one of: ${fields.map((f) => f.p.name).join(', ')}`,
						);
				if (lookup.request?.body && (lookup.request.method ?? 'GET') === 'GET')
					error(
						[...here, 'request', 'body'],
						'body-on-get',
						'a GET request sends no body',
						'add `method: POST` (the method the service lists with), or send the values as `query:`',
					);
				for (const name of placeholders(lookup.request?.path ?? ''))
					if (!lookup.parameters?.[name])
						error(
							[...here, 'request', 'path'],
							'undefined-path-parameter',
							`"{${name}}" in the lookup's path is filled by no field`,
							`add \`parameters: { ${name}: <field> }\` to the lookup`,
						);
				const urlGroups = lookup.urlPattern === undefined ? 1 : captureGroups(lookup.urlPattern);
				if (urlGroups !== undefined && urlGroups !== 1)
					error(
						[...here, 'urlPattern'],
						'url-pattern-group',
						`the URL pattern has ${urlGroups} capture groups; n8n reads the ID from exactly one`,
						'capture the ID alone, e.g. `^https://example\\.com/items/([^/]+)`, and make other groups `(?:…)`',
					);
				for (const key of ['urlPattern', 'idPattern'] as const)
					if (lookup[key] !== undefined && captureGroups(lookup[key]!) === undefined)
						error(
							[...here, key],
							'invalid-pattern',
							`"${lookup[key]}" is not a regular expression`,
							'write a JavaScript regular expression (without slashes around it)',
						);
			}
		}
	}
	(raw.triggers ?? []).forEach((t, i) => {
		if (t.type !== 'webhook') return;
		(t.parameters ?? []).forEach((p, j) => {
			if (p.lookup)
				error(
					['triggers', i, 'parameters', j, 'lookup'],
					'lookup-on-trigger',
					'trigger fields cannot look up their choices yet',
					'remove `lookup:`; the field stays a text field',
				);
		});
	});
	return findings;
}

/** How many capture groups a pattern has, or undefined when it is not a regular expression. */
function captureGroups(pattern: string): number | undefined {
	try {
		// An alternative that matches the empty string shows every group, each undefined.
		return new RegExp(`${pattern}|`).exec('')!.length - 1;
	} catch {
		return undefined;
	}
}
