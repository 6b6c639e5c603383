/** Community packages installed the way users install them: packed, then npm-installed into n8n's user folder. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function sh(cmd: string, args: string[], cwd: string): string {
	const result = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
	return result.stdout;
}

/** `npm pack` of a package folder into `destination`; returns the tarball's path. */
export function pack(folder: string, destination: string): string {
	const output = sh('npm', ['pack', '--json', '--pack-destination', destination], folder);
	const packed = JSON.parse(output) as Array<{ filename: string }>;
	return join(destination, packed[0].filename);
}

/**
 * What "Install community node" leaves behind: the packages and a package.json naming them under
 * `<user folder>/.n8n/nodes`. Returns that folder.
 */
export function installIntoUserFolder(userFolder: string, tarballs: string[]): string {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const manifest = { name: 'installed-nodes', private: true, dependencies: {} };
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify(manifest));
	// n8n provides its peer dependency (n8n-workflow); like n8n's installer, don't fetch it.
	sh('npm', ['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', ...tarballs], nodesDir);
	return nodesDir;
}
