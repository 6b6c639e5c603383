// Copies what tsc does not: node icons and codex files, into dist/ beside the compiled nodes.
const { existsSync, readFileSync, readdirSync, rmSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const { src, dest, task } = require('gulp');
const { bundleLibraries } = require('./scripts/bundle/libraries');

task('build:assets', () =>
	src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(dest('dist')),
);

/**
 * The Custom API node runs the generator's importer, so tsc compiles the part of scripts/ it imports
 * into dist/scripts/, and with it every file those import for types only (the model's TypeBox
 * declaration, the file loader): they would ship requires of packages n8n Cloud does not allow,
 * though nothing loads them. This removes every dist/scripts file no node or credential requires.
 */
task('build:prune', async () => {
	const { n8n } = JSON.parse(readFileSync('package.json', 'utf8'));
	const reached = new Set();
	const visit = (file) => {
		if (reached.has(file) || !existsSync(file)) return;
		reached.add(file);
		for (const [, path] of readFileSync(file, 'utf8').matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g))
			visit(resolve(dirname(file), path.endsWith('.js') ? path : `${path}.js`));
	};
	for (const entry of [...n8n.nodes, ...n8n.credentials]) visit(resolve(entry));
	const walk = (folder) =>
		readdirSync(folder, { withFileTypes: true }).flatMap((d) =>
			d.isDirectory() ? walk(join(folder, d.name)) : [join(folder, d.name)],
		);
	for (const file of existsSync('dist/scripts') ? walk(resolve('dist/scripts')) : []) {
		const module = file.replace(/\.(js\.map|d\.ts|js)$/, '.js');
		if (!reached.has(module)) rmSync(file);
	}
});

/** The parsing libraries the Custom API node loads, bundled into dist: n8n installs no dependencies. */
task('build:bundle', async () => {
	const module = 'dist/scripts/load/libraries';
	if (!existsSync(`${module}.js`)) return;
	await bundleLibraries(`${module}.js`);
	rmSync(`${module}.js.map`, { force: true });
});
