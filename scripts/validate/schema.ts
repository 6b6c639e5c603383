import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import schema from '../model/integration.schema.json';
import type { YamlSource } from '../load/yaml-source';
import { pointerOf, segmentsOf, type Finding } from './finding';

/**
 * A validator for `schema` (with formats, and the schemas it refers to) made when first asked for:
 * loading ajv and compiling cost every start of the generator about 80 ms, and most runs need none.
 */
export function compiledWhenUsed(schema: object, options: Options, references: object[] = []): () => ValidateFunction {
	let validator: ValidateFunction | undefined;
	return () => {
		if (!validator) {
			const { default: Ajv } = require('ajv') as typeof import('ajv');
			const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
			const ajv = new Ajv(options);
			addFormats(ajv);
			for (const reference of references) ajv.addSchema(reference);
			validator = ajv.compile(schema);
		}
		return validator;
	};
}

const definitionValidator = compiledWhenUsed(schema, { allErrors: true, strict: false, useDefaults: false });

/** Checks a definition against integration.schema.json; one finding per real mistake. */
export function schemaFindings(source: YamlSource): Finding[] {
	const validateDefinition = definitionValidator();
	if (validateDefinition(source.value)) return [];
	const all = validateDefinition.errors ?? [];
	// A wrong type beside errors inside the same value is the other branch of a "this or a list of
	// these" choice (auth, events): the deeper errors are the mistake.
	const errors = all.filter(
		(e) =>
			isRootCause(e) &&
			!(e.keyword === 'type' && all.some((o) => o.instancePath.startsWith(e.instancePath + '/'))),
	);
	const seen = new Set<string>();
	const findings: Finding[] = [];
	for (const error of errors) {
		const { pointer, message, fix } = explain(error);
		const key = `${pointer}|${message}`;
		if (seen.has(key)) continue;
		seen.add(key);
		findings.push({
			file: source.file,
			pointer,
			...source.locate(pointer),
			severity: 'error',
			rule: 'schema',
			message,
			fix,
		});
	}
	return findings;
}

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
