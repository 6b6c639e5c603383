import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { EmittedFile } from '../emit/files';
import { namespaceOf } from '../emit/names';
import { integrationFiles } from '../generate';
import { GENERATOR_ROOT as ROOT } from '../generator-root';
import type { Integration } from '../model/types';
// The generator package's manifest: its version, and the build tools it is built with, which a
// generated package's own `npm run build` installs too.
import generator from '../package/package.json';

// Compiled into the published package, the runtime sources and tsconfig sit at the same places.
const RUNTIME = join(ROOT, 'nodes', 'shared');

/** Where a generated package came from; the runtime is released with the generator, in the same version. */
const GENERATED_BY = {
	generator: `${generator.name}@${generator.version}`,
	runtime: `n8n-nodes-rills@${generator.version}`,
};

export interface PackageOptions {
	/** `Name <email>`; n8n's verification wants both. Left out when not given. */
	author?: string;
	homepage?: string;
	/** The git URL the package is published from (npm's provenance checks it). */
	repository?: string;
	/** An SPDX identifier; MIT when not given. */
	license?: string;
}

/**
 * Every file of a community package for one integration: nodes, credentials, icons, a copy of the
 * shared runtime, and package.json / tsconfig / README to build and publish it. The package has no
 * dependencies; n8n-workflow is a peer, as n8n's verification requires.
 */
export function packageFiles(
	integration: Integration,
	packageName: string,
	source: string,
	iconFolder = '.',
	options: PackageOptions = {},
): EmittedFile[] {
	const emitted = integrationFiles(integration, source, iconFolder, namespaceOf(packageName));
	const nodes = emitted
		.filter((f) => f.path.endsWith('.node.ts'))
		.map(dist)
		.sort();
	const credentials = emitted
		.filter((f) => f.path.endsWith('.credentials.ts'))
		.map(dist)
		.sort();
	const repository = options.repository && { type: 'git', url: options.repository };
	const npmPage = `https://www.npmjs.com/package/${packageName}`;
	const manifest = {
		name: packageName,
		version: '0.1.0',
		description: integration.description,
		keywords: ['n8n-community-node-package'],
		license: options.license ?? 'MIT',
		homepage: options.homepage ?? integration.documentationUrl ?? options.repository ?? npmPage,
		...(options.author && { author: author(options.author) }),
		...(repository && { repository }),
		generatedBy: GENERATED_BY,
		main: 'index.js',
		files: ['dist'],
		engines: generator.engines,
		scripts: { build: 'tsc -p tsconfig.json && node copy-assets.js' },
		n8n: { n8nNodesApiVersion: 1, strict: true, credentials, nodes },
		peerDependencies: { 'n8n-workflow': '*' },
		devDependencies: generator.devDependencies,
	};
	return [
		...emitted,
		...runtimeFiles(),
		{ path: 'package.json', content: JSON.stringify(manifest, null, 2) + '\n' },
		{ path: 'tsconfig.json', content: readFileSync(join(ROOT, 'tsconfig.json'), 'utf8') },
		{ path: 'copy-assets.js', content: COPY_ASSETS },
		{
			path: 'index.js',
			content: '// n8n loads the nodes and credentials listed in package.json; nothing to export.\n',
		},
		{ path: 'README.md', content: readme(integration, packageName, source) },
	];
}

export function writeFiles(out: string, files: EmittedFile[]): void {
	for (const f of files) {
		mkdirSync(dirname(join(out, f.path)), { recursive: true });
		writeFileSync(join(out, f.path), f.content);
	}
}

/** `Name <email>` as npm's author object; a bare name stays a name. */
function author(text: string): { name: string; email?: string } {
	const match = /^\s*([^<]+?)\s*<([^>]+)>\s*$/.exec(text);
	return match ? { name: match[1], email: match[2] } : { name: text.trim() };
}

function dist(f: EmittedFile): string {
	return 'dist/' + f.path.replace(/\.ts$/, '.js');
}

/** nodes/shared/**.ts as it is in this project: the runtime every generated class calls. */
function runtimeFiles(folder = RUNTIME): EmittedFile[] {
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) return runtimeFiles(path);
		return name.endsWith('.ts') && !name.endsWith('.test.ts')
			? [{ path: relative(ROOT, path).split('\\').join('/'), content: readFileSync(path, 'utf8') }]
			: [];
	});
}

// A package without credentials (a spec with no security scheme) has no credentials/ folder.
const COPY_ASSETS = `// Copies what tsc does not: node icons and codex files, into dist/ beside the compiled nodes.
const { cpSync, existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
function copy(folder) {
	for (const name of readdirSync(folder)) {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) copy(path);
		else if (/\\.(svg|png|json)$/.test(name)) cpSync(path, join('dist', path));
	}
}
for (const folder of ['nodes', 'credentials']) if (existsSync(folder)) copy(folder);
`;

function readme(integration: Integration, packageName: string, source: string): string {
	const operations = integration.resources.reduce((n, r) => n + r.operations.length, 0);
	const auth = integration.auth.map((a) => a.type).join(', ');
	const text = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[<>`*_[\]]/g, (c) => `\\${c}`);
	const by = `${GENERATED_BY.generator} (runtime ${GENERATED_BY.runtime})`;
	return `<!-- Generated by ${by} from ${text(source)} — do not edit. -->
# ${packageName}

An [n8n](https://n8n.io) community node for ${text(integration.displayName)}: ${text(integration.description)}

- ${integration.resources.length} resources, ${operations} operations
- Authentication: ${auth}

## Install

In n8n: **Settings → Community Nodes → Install**, and enter \`${packageName}\`.

## Build

\`\`\`
npm install
npm run build
\`\`\`

Generated by n8n-rills from an OpenAPI file; regenerate rather than edit.
`;
}
