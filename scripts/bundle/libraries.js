/**
 * scripts/load/libraries.ts as one self-contained file for dist: yaml and swagger2openapi with
 * everything they require, so the Custom API node reads YAML and Swagger 2.0 inside an n8n that
 * installs no dependencies (n8n Cloud). n8n's community scanner refuses a package whose code names
 * process, console, timers or modules other than a short list, so:
 * - Node modules the libraries need only to read files or URLs (resolving external $refs, which the
 *   node turns off) become stubs that throw when called;
 * - `url` is swagger2openapi's one `url.parse(...).format()`, which swaps a server URL's scheme;
 * - the globals come from ./globals.mjs, and swagger2openapi's own yaml 1.x is the yaml 2.x
 *   the importer uses (it only stringifies with it).
 * test/custom-api/bundle.test.ts runs the scanner's rules on the result.
 */
const { build } = require('esbuild');
const { join } = require('node:path');

const GLOBALS = join(__dirname, 'globals.mjs');
const UNAVAILABLE =
	/^(node:)?(fs|path|http|https|http2|net|tls|zlib|stream|events|util|buffer)$|^(node-fetch-h2|encoding)$/;

const URL_SHIM = `
exports.parse = (text) => {
	const [, scheme, rest] = /^([a-z][a-z0-9+.-]*:)?([\\s\\S]*)$/i.exec(text);
	return {
		protocol: scheme || null,
		format() {
			return (this.protocol ? this.protocol.replace(/:?$/, ':') : '') + rest;
		},
	};
};`;

const shims = {
	name: 'n8n-shims',
	setup(builder) {
		builder.onResolve({ filter: UNAVAILABLE }, (args) => ({ path: args.path, namespace: 'unavailable' }));
		builder.onLoad({ filter: /.*/, namespace: 'unavailable' }, (args) => ({
			contents: `const name = ${JSON.stringify(args.path)};
module.exports = new Proxy({}, { get: (_, key) => () => { throw new Error(name + '.' + String(key) + ' is not available inside n8n'); } });`,
			loader: 'js',
		}));
		builder.onResolve({ filter: /^(node:)?url$/ }, () => ({ path: 'url', namespace: 'url' }));
		builder.onLoad({ filter: /.*/, namespace: 'url' }, () => ({ contents: URL_SHIM, loader: 'js' }));
		// yaml 2.x imports node:process: the module is the process object itself.
		builder.onResolve({ filter: /^(node:)?process$/ }, () => ({ path: 'process', namespace: 'process' }));
		builder.onLoad({ filter: /.*/, namespace: 'process' }, () => ({
			contents: `module.exports = require(${JSON.stringify(GLOBALS)}).process;`,
			resolveDir: __dirname,
			loader: 'js',
		}));
		builder.onResolve({ filter: /^yaml$/ }, (args) =>
			args.importer.includes('node_modules') ? { path: require.resolve('yaml') } : undefined,
		);
	},
};

/** Writes the bundle to `outfile`. */
async function bundleLibraries(outfile) {
	await build({
		entryPoints: [join(__dirname, '..', 'load', 'libraries.ts')],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'es2021',
		inject: [GLOBALS],
		plugins: [shims],
		legalComments: 'inline',
		logLevel: 'error',
	});
}

module.exports = { bundleLibraries };
