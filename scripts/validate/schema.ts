import type { Options, ValidateFunction } from 'ajv';
import schema from '../model/integration.schema.json';
import type { YamlSource } from '../load/yaml-source';
import { explain, isRootCause } from './ajv-errors';
import type { Finding } from './finding';

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
