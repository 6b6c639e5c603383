// General lint for hand-written code (`npm run lint:code`); n8n's community rules run on the pack
// and generated packages separately (`npm run lint:community`). Generated classes are not linted
// here: they are n8n's lint's business, and the generator, not a person, decides their layout.
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		ignores: [
			'**/node_modules/**',
			'dist/**',
			'.test-output/**',
			'scripts/package/lib/**',
			'credentials/**',
			'nodes/*/*.node.ts',
			'test/generator/golden/**',
		],
	},
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		plugins: { 'import-x': importX },
		rules: {
			'import-x/no-cycle': 'error',
			'no-eval': 'error',
			// require() is deliberate here: heavy modules load on first use (generator start-up) and n8n's own
			// copies of packages are loaded from its install.
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
			// Long string literals stay whole so a message can be found with grep.
			'max-len': [
				'error',
				{
					code: 120,
					tabWidth: 4,
					ignoreUrls: true,
					ignoreStrings: true,
					ignoreTemplateLiterals: true,
					ignoreRegExpLiterals: true,
				},
			],
		},
	},
	{
		files: ['**/*.js'],
		languageOptions: {
			sourceType: 'commonjs',
			globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' },
		},
	},
);
