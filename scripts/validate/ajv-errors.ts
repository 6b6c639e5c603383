/**
 * Ajv's errors as findings say them: which errors are the mistake, where it is and what to write instead. Apart from
 * schema.ts, so that the official-schema check (and the worker that runs it) does not load the definition schema.
 */
import type { ErrorObject } from 'ajv';
import { pointerOf, segmentsOf } from './finding';

/** `if`/`oneOf` wrappers only repeat what their branches already said. */
export function isRootCause(error: ErrorObject): boolean {
	return error.keyword !== 'if' && error.keyword !== 'oneOf';
}

/** JSON Schema types as a YAML author knows them. */
const YAML_TYPES: Record<string, string> = {
	array: 'a list',
	object: 'a mapping (key: value lines)',
	string: 'a text',
	integer: 'a whole number',
	number: 'a number',
	boolean: 'true or false',
};

export function explain(error: ErrorObject): { pointer: string; message: string; fix?: string } {
	const at = error.instancePath;
	const p = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case 'additionalProperties': {
			const key = String(p.additionalProperty);
			const allowed = Object.keys((error.parentSchema?.properties as object) ?? {});
			const near = closest(key, allowed);
			return {
				pointer: pointerOf([...segmentsOf(at), key]),
				message: `unknown key "${key}"`,
				fix: near ? `did you mean "${near}"?` : `remove it; allowed here: ${allowed.join(', ')}`,
			};
		}
		case 'required':
			return {
				pointer: at,
				message: `"${String(p.missingProperty)}" is required here`,
				fix: `add "${String(p.missingProperty)}:"`,
			};
		case 'enum':
			return {
				pointer: at,
				message: `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`,
				fix: `write one of: ${(p.allowedValues as unknown[]).join(', ')}`,
			};
		case 'const':
			return {
				pointer: at,
				message: `must be ${JSON.stringify(p.allowedValue)}`,
				fix: String(error.parentSchema?.description ?? '') || undefined,
			};
		case 'pattern':
			return {
				pointer: at,
				message: `does not match ${String(p.pattern)}`,
				fix: p.pattern === '^/' ? 'start it with "/"' : `write a value matching ${String(p.pattern)}`,
			};
		case 'type': {
			const yamlType = YAML_TYPES[String(p.type)] ?? String(p.type);
			return { pointer: at, message: `must be ${yamlType}`, fix: `write ${yamlType}` };
		}
		default:
			return { pointer: at, message: error.message ?? error.keyword };
	}
}

function closest(word: string, candidates: string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
	for (const c of candidates) {
		const d = editDistance(word.toLowerCase(), c.toLowerCase());
		if (d < bestDistance) [best, bestDistance] = [c, d];
	}
	return best;
}

function editDistance(a: string, b: string): number {
	let row = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const next = [i];
		for (let j = 1; j <= b.length; j++) {
			next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		row = next;
	}
	return row[b.length];
}
