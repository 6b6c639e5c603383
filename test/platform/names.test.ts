/**
 * Never take a name n8n owns. n8n keeps credential types in one global table where the last one
 * loaded wins, so a credential of ours named like a built-in one would silently replace it for
 * every workflow of the user's n8n. n8n's community lint has no rule for this, so this test reads
 * every node and credential type name that n8n itself ships (n8n-nodes-base and the LangChain
 * nodes) from each n8n version we support, and fails on any collision: for the catalog (the
 * compiled pack that `npm test` builds) and for a package generated from a spec named like a
 * built-in service.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installN8n } from '../../scripts/harness/n8n';
import { evaluateModule } from '../../scripts/openapi/evaluate';
import { importSpec } from '../../scripts/openapi/import';
import { packageFiles } from '../../scripts/openapi/package';
import { manifestTypeNames } from './manifest';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'openapi', 'fixtures');
const BUILT_IN = ['n8n-nodes-base', '@n8n/n8n-nodes-langchain'];

interface TypeNames {
	/** Full node type names, `<package>.<node>`, as workflows store them. */
	nodes: string[];
	credentials: string[];
}

/** What one installed n8n ships, from the type lists its node packages publish for the editor. */
async function builtInNames(version: string): Promise<TypeNames> {
	const { n8n } = await installN8n(version);
	const names: TypeNames = { nodes: [], credentials: [] };
	for (const pkg of BUILT_IN) {
		const types = join(n8n, '..', ...pkg.split('/'), 'dist', 'types');
		const read = (file: string) =>
			(JSON.parse(readFileSync(join(types, file), 'utf8')) as Array<{ name: string }>).map((t) => t.name);
		names.nodes.push(...read('nodes.json').map((name) => `${pkg}.${name}`));
		names.credentials.push(...read('credentials.json'));
	}
	return names;
}

/**
 * A package generated from a spec titled "Slack" with API-key and OAuth2 security: unprefixed, its credentials were
 * `slackApi` and `slackOAuth2Api`.
 */
async function generatedFromSpec(): Promise<TypeNames> {
	const { integration } = await importSpec(join(FIXTURES, 'slack-like.yaml'));
	const packageName = 'n8n-nodes-slack-tools';
	const files = packageFiles(integration!, packageName, 'slack-like.yaml');
	const instances = (suffix: string) =>
		files
			.filter((f) => f.path.endsWith(suffix))
			.map((f) => evaluateModule<{ name?: string; description?: { name: string } }>(f.content));
	return {
		nodes: instances('.node.ts').map((n) => `${packageName}.${n.description!.name}`),
		credentials: instances('.credentials.ts').map((c) => c.name!),
	};
}

const ours: Array<{ label: string; names: () => Promise<TypeNames> }> = [
	{ label: 'the catalog', names: async () => manifestTypeNames(ROOT) },
	{ label: 'a package generated from a spec titled "Slack"', names: generatedFromSpec },
];

describe.each(['2.41.1', '1.123.81'])('n8n %s', (version) => {
	let builtIn: TypeNames;
	// The first run may install that n8n into the cache (npm test installs only the default): minutes.
	beforeAll(async () => {
		builtIn = await builtInNames(version);
	}, 20 * 60_000);

	it('ships the names this test compares against', () => {
		expect(builtIn.credentials).toEqual(
			expect.arrayContaining(['slackApi', 'slackOAuth2Api', 'stripeApi', 'oAuth2Api']),
		);
		expect(builtIn.nodes).toContain('n8n-nodes-base.slack');
	});

	it.each(ours)('$label takes no credential or node type name of n8n', async ({ names }) => {
		const { nodes, credentials } = await names();
		expect(credentials.length).toBeGreaterThan(0);
		expect(credentials.filter((name) => builtIn.credentials.includes(name))).toEqual([]);
		expect(nodes.filter((name) => builtIn.nodes.includes(name))).toEqual([]);
	});
});

it('every catalog credential type carries the catalog prefix, and so does a generated package', async () => {
	expect(manifestTypeNames(ROOT).credentials.filter((name) => !name.startsWith('rills'))).toEqual([]);
	expect((await generatedFromSpec()).credentials).toEqual(['slackToolsSlackApi', 'slackToolsSlackOAuth2Api']);
});
