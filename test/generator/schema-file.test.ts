import { readFileSync } from 'node:fs';
import { SCHEMA_FILE, schemaFileText } from '../../scripts/model/write-schema';

describe('integration.schema.json', () => {
	it('is what the declaration writes (run `npm run generate`)', () => {
		expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaFileText());
	});
});
