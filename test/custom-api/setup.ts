/**
 * What both Custom API n8n suites start from: the notes spec served by a mock that validates every
 * request against it, and an n8n with the pack installed as "Install community node" does (n8n finds
 * a node's credential test only in installed packages, not in custom extension folders).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installIntoUserFolder, pack } from '../../scripts/harness/community-install';
import { N8nInstance } from '../../scripts/harness/n8n';
import { importSpec } from '../../scripts/openapi/import';
import { startMock, type Mock } from '../../scripts/roundtrip/mock';

const ROOT = join(__dirname, '..', '..');
export const SPEC_FILE = join(__dirname, 'fixtures', 'notes.openapi.json');
/** The same API as a Swagger 2.0 YAML file. */
export const SWAGGER_FILE = join(__dirname, 'fixtures', 'notes.swagger.yaml');

/** The notes API, mocked from its spec (either form) under `/v1`. */
export async function startNotesMock(specFile = SPEC_FILE): Promise<Mock> {
	const { integration } = await importSpec(specFile);
	return await startMock(
		specFile,
		integration!.resources.flatMap((r) => r.operations),
		'/v1',
	);
}

/** A fresh n8n with the packed pack installed into its community-nodes folder. */
export async function n8nWithPackInstalled(): Promise<N8nInstance> {
	const packDir = mkdtempSync(join(tmpdir(), 'rills-custom-pack-'));
	try {
		const n8n = await N8nInstance.create({ extensions: [] });
		installIntoUserFolder(n8n.userFolder, [pack(ROOT, packDir)]);
		return n8n;
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}
