/**
 * What a catalog test must exercise: every operation and every trigger its definition declares.
 * A test marks each one after it has run inside a real n8n and the fake saw the right request,
 * and its last assertion is that nothing is left, so a new operation without a test fails CI.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface DefinitionShape {
	resources?: Record<string, { operations: Record<string, unknown> }>;
	triggers?: Array<{ name: string }>;
}

export class Coverage {
	private readonly declared: string[];
	private readonly exercised = new Set<string>();

	/** `definitionFile`: the service's `*.integration.yaml`. */
	constructor(definitionFile: string) {
		const definition = parse(readFileSync(definitionFile, 'utf8')) as DefinitionShape;
		const operations = Object.entries(definition.resources ?? {}).flatMap(([resource, { operations }]) =>
			Object.keys(operations).map((operation) => `${resource}:${operation}`),
		);
		const triggers = (definition.triggers ?? []).map((trigger) => `trigger:${trigger.name}`);
		this.declared = [...operations, ...triggers];
	}

	/** `resource:operation` or `trigger:<name>`; unknown keys throw so a typo cannot pass for coverage. */
	ran(key: string): void {
		if (!this.declared.includes(key))
			throw new Error(`${key} is not declared in the definition (declared: ${this.declared.join(', ')})`);
		this.exercised.add(key);
	}

	missing(): string[] {
		return this.declared.filter((key) => !this.exercised.has(key));
	}
}
