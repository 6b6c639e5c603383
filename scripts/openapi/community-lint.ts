import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { ESLint } from 'eslint';

// Untyped on purpose: the parser's type declarations need node16 module resolution.
const tsParser: unknown = require('@typescript-eslint/parser');

/**
 * n8n's community-node lint (the rules `n8n-node lint` and n8n's verification run) over a generated
 * package: its nodes, credentials and package.json. Returns `file:line rule message` per problem.
 */
export async function communityLint(packageFolder: string): Promise<string[]> {
	const eslint = new ESLint({
		cwd: packageFolder,
		// A package of an API without auth has no credentials/.
		errorOnUnmatchedPattern: false,
		overrideConfigFile: true,
		overrideConfig: [
			// TypeScript's parser reads package.json as one object expression, which the package rules inspect.
			{
				files: ['**/*.ts', 'package.json'],
				languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
			},
			n8nCommunityNodesPlugin.configs.recommended,
		] as never,
	});
	const results = await eslint.lintFiles(['nodes/**/*.ts', 'credentials/*.ts', 'package.json']);
	return results.flatMap((r) =>
		r.messages.map(
			(m) => `${r.filePath.slice(packageFolder.length + 1)}:${m.line} ${m.ruleId ?? 'parse'} ${m.message}`,
		),
	);
}

// `tsx scripts/openapi/community-lint.ts <package>`: the problems as JSON (the plugin is an ES module, so tests run it
// apart).
if (require.main === module)
	void communityLint(process.argv[2]).then((problems) => process.stdout.write(JSON.stringify(problems) + '\n'));
