/**
 * Writes integration.schema.json from the declaration (`npm run generate` runs it first). The file
 * is what ajv validates definitions against and what editors read through each definition's
 * `# yaml-language-server: $schema=…` line; test/generator/schema-file.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integrationSchema } from './declaration';

export const SCHEMA_FILE = join(__dirname, 'integration.schema.json');

export function schemaFileText(): string {
	return JSON.stringify(integrationSchema, null, 2) + '\n';
}

if (require.main === module) writeFileSync(SCHEMA_FILE, schemaFileText());
