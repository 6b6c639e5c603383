import { yaml } from './libraries';

/**
 * Largest YAML text parsed: the parser needs about a second and 30 times the memory per 3 MB, so a
 * huge file (or one huge string) is refused before it is read as YAML. JSON has no such limit.
 */
export const MAX_YAML_BYTES = 16 * 1024 * 1024;
/** Aliases a YAML file may expand (weighted by their size): more is an alias bomb. */
export const MAX_ALIAS_COUNT = 1000;

/** Why a YAML text is too large to parse, or undefined. */
export function yamlTooLarge(bytes: number): string | undefined {
	if (bytes <= MAX_YAML_BYTES) return undefined;
	return `the YAML file is ${(bytes / 2 ** 20).toFixed(0)} MB, more than the ${MAX_YAML_BYTES / 2 ** 20} MB a YAML file may have`;
}

/**
 * A spec's YAML text as a value (duplicate keys allowed, as specs in the wild have them); throws
 * when it is not YAML or is too large.
 */
export function parseSpecYaml(text: string, bytes: number): unknown {
	const tooLarge = yamlTooLarge(bytes);
	if (tooLarge) throw new Error(tooLarge);
	return yaml().parse(text, { maxAliasCount: MAX_ALIAS_COUNT, uniqueKeys: false });
}
