import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { formatFinding, hasErrors, type Finding } from '../validate/finding';
import type { EmittedFile } from '../emit/files';
import type { Integration } from '../model/types';
import { importOverlay, importSpec, type ImportedSpec, type ImportOptions } from './import';
import { isOverlayFile } from './overlay';
import { packageFiles, writeFiles } from './package';

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?n8n-nodes-[a-z0-9][a-z0-9._~-]*$/;

/** True for an input the OpenAPI path handles: a spec, or a definition that overlays one. */
export function isSpecInput(file: string): boolean {
	return /\.integration\.ya?ml$/.test(file) ? isOverlayFile(file) : /\.(json|ya?ml)$/i.test(file);
}

function option(args: string[], name: string): string | undefined {
	const at = args.indexOf(name);
	return at === -1 ? undefined : args[at + 1];
}

/** The overlay definition the arguments name, if any. */
function overlayOf(input: string, args: string[]): string | undefined {
	return option(args, '--overlay') ?? (/\.integration\.ya?ml$/.test(input) ? input : undefined);
}

/** Where icons are read from: the overlay's folder, or the working folder. */
function iconFolder(input: string, args: string[]): string | undefined {
	const overlayPath = overlayOf(input, args);
	return overlayPath && dirname(resolve(overlayPath));
}

/** Imports a spec, or the spec an overlay names with the overlay applied; `folder` is where icons are read from. */
async function importInput(
	input: string,
	args: string[],
	lint: boolean,
	progress?: (done: number, total: number) => void,
	whileLinting?: ImportOptions['whileLinting'],
): Promise<ImportedSpec & { folder?: string }> {
	const root = process.cwd();
	const overlayFile = option(args, '--overlay');
	// $refs read the spec's folder tree; --ref-root widens (or narrows) it.
	const refFolder = option(args, '--ref-root');
	const refRoot = refFolder === undefined ? undefined : resolve(refFolder);
	const overlayPath = overlayOf(input, args);
	const options = { lint, progress, refRoot, whileLinting };
	if (!overlayPath) return importSpec(resolve(input), { shown: relative(root, resolve(input)), ...options });
	const imported = await importOverlay(resolve(overlayPath), {
		root,
		spec: overlayFile && resolve(input),
		...options,
	});
	return { ...imported, folder: iconFolder(input, args) };
}

function report(findings: Finding[], json: boolean, extra: Record<string, unknown> = {}): void {
	if (json) process.stdout.write(JSON.stringify({ ...extra, findings }, null, 2) + '\n');
	else for (const f of findings) process.stderr.write(formatFinding(f) + '\n');
}

/** A one-line bar on a terminal; nothing when output is piped. */
function progressBar(): ((done: number, total: number) => void) | undefined {
	if (!process.stderr.isTTY) return undefined;
	return (done, total) => {
		if (total < 200) return;
		const width = 30;
		const filled = Math.round((done / total) * width);
		process.stderr.write(
			`\r  mapping [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} operations${done === total ? '\n' : ''}`,
		);
	};
}

/**
 * `generate <spec|overlay> [--overlay def.yaml] [--package n8n-nodes-x] [--out dir] [--overwrite] [--ref-root dir]
 * [package metadata] [--force]`: a complete community package. Every lint check runs first: a spec with errors
 * is refused unless `--force`.
 */
export async function generateFromSpec(input: string, args: string[], json: boolean): Promise<number> {
	const author = option(args, '--author');
	const [homepage, repository, license] = ['--homepage', '--repository', '--license'].map((o) => option(args, o));
	const metadata = { author, homepage, repository, license };
	const packageName = (integration: Integration) =>
		option(args, '--package') ??
		`n8n-nodes-${integration.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
	// The spec's file name, not where it was on this machine.
	const emit = (integration: Integration) =>
		packageFiles(integration, packageName(integration), basename(input), iconFolder(input, args), metadata);
	// The package is emitted while the official schema check of a large spec still runs beside (see
	// official-schema-beside), and is thrown away if the check then refuses the spec. What emitting throws is thrown
	// where it would be without it, below.
	let early: { integration: Integration; files?: EmittedFile[]; error?: unknown } | undefined;
	const whileLinting = (integration: Integration) => {
		if (!PACKAGE_NAME.test(packageName(integration))) return;
		try {
			early = { integration, files: emit(integration) };
		} catch (error) {
			early = { integration, error };
		}
	};
	const imported = await importInput(input, args, true, json ? undefined : progressBar(), whileLinting);
	const integration = imported.integration;
	const refusal = imported.refusal ?? lintRefusal(imported.findings, args.includes('--force'));
	if (!integration || refusal) {
		report(imported.findings, json, { refusal });
		if (!json) process.stderr.write(`not generated: ${refusal}\n`);
		return 1;
	}
	const name = packageName(integration);
	if (!PACKAGE_NAME.test(name)) {
		process.stderr.write(
			`--package ${name}: community packages are named n8n-nodes-<name> (or @scope/n8n-nodes-<name>), lower case\n`,
		);
		return 2;
	}
	const out = resolve(option(args, '--out') ?? name.replace(/^@[^/]+\//, ''));
	if (!args.includes('--overwrite') && existsSync(out) && readdirSync(out).length) {
		process.stderr.write(
			`${out} is not empty: give an empty or new folder, or --overwrite to write over its files\n`,
		);
		return 2;
	}
	if (early?.integration === integration && early.error !== undefined) throw early.error;
	const files = early?.integration === integration && early.files ? early.files : emit(integration);
	writeFiles(out, files);
	const operations = integration.resources.reduce((n, r) => n + r.operations.length, 0);
	report(imported.findings, json, { package: name, out, operations });
	if (!json && !author)
		process.stderr.write('no --author "Name <email>": n8n\'s verification needs one to publish\n');
	if (!json)
		process.stderr.write(
			`wrote ${name} (${integration.resources.length} resources, ${operations} operations, ${files.length} files) to ${relative(process.cwd(), out) || '.'}\nnext: cd ${relative(process.cwd(), out) || '.'} && npm install && npm run build\n`,
		);
	return 0;
}

/** Why lint's errors stop generation, unless the user goes on with `--force`. */
export function lintRefusal(findings: Finding[], force: boolean): string | undefined {
	if (force || !hasErrors(findings)) return undefined;
	return 'lint found errors (listed above); fix them, or run again with --force to generate anyway';
}

/** Every finding of a spec or overlay: the official schema and all rules, fixes reported as such. */
export async function lintSpecInput(input: string): Promise<Finding[]> {
	return (await importInput(input, [], true)).findings;
}
