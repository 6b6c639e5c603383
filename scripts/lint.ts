/**
 * `npm run lint`: n8n's community lint (the rules `n8n-node lint` and n8n's verification run) over
 * the pack and over a package generated from a spec with every auth kind, and over the pack's
 * sources the verification scan's rules too (eslint-plugin-n8n-nodes-base's community, credentials
 * and nodes rules, which `n8n-node lint` also applies); exits 1 on any finding.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanSource } from './community-check';
import { communityLint } from './openapi/community-lint';
import { importSpec } from './openapi/import';
import { packageFiles, writeFiles } from './openapi/package';

const ROOT = join(__dirname, '..');
const SPEC = join(ROOT, 'test', 'openapi', 'fixtures', 'shop.yaml');

async function lintGenerated(): Promise<string[]> {
	const folder = mkdtempSync(join(tmpdir(), 'rills-lint-'));
	try {
		const { integration } = await importSpec(SPEC);
		type Manifest = { author: Record<'name' | 'email', string> };
		const pack = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
		const author = `${pack.author.name} <${pack.author.email}>`;
		writeFiles(folder, packageFiles(integration!, 'n8n-nodes-shop', 'shop.yaml', '.', { author }));
		return await communityLint(folder);
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

async function main(): Promise<number> {
	const pack = [...(await communityLint(ROOT)), ...(await scanSource(ROOT)).problems].map((p) => `pack: ${p}`);
	const problems = [...pack, ...(await lintGenerated()).map((p) => `generated: ${p}`)];
	for (const p of problems) process.stderr.write(p + '\n');
	process.stdout.write(`n8n community lint: ${problems.length} finding(s) in the pack and a generated package\n`);
	return problems.length ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));
