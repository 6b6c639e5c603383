/**
 * The fast tier (`npm run test:unit`, `npm run test:watch`): generator, model, validation and the
 * runtime against loopback HTTP servers, with no n8n and no long sweeps. A test that starts n8n
 * lives in test/catalog, test/editor, test/n8n or test/platform, or is named `*.n8n.test.ts`;
 * samples of real-world specs live in test/corpus; the conformance tier (test/conformance) resolves
 * vendor descriptions for half a minute.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.config'),
	testPathIgnorePatterns: [
		'/node_modules/',
		'<rootDir>/test/(catalog|conformance|corpus|editor|n8n|platform)/',
		'\\.n8n\\.test\\.ts$',
	],
};
