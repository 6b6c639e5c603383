import { existsSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { Integration } from '../model/types';
import { checkBeside } from './official-schema-beside';
import { loadSpec } from './load';
import { mapDocument } from './map';
import { officialFindings } from './official-schema';
import { hasErrors, type Finding } from '../validate/finding';
import { applyOverlay, overlayFilter, readOverlay, triggerFindings, type Overlay } from './overlay';
import { forgetNames } from './text';
import { lintSpec } from './lint';

export interface ImportedSpec {
	integration?: Integration;
	findings: Finding[];
	/** Why no integration came out, when none did. */
	refusal?: string;
}

/**
 * Spec file (and optional overlay) → integration model: load (bundle, convert), lint (the safe
 * fixes; every check with `lint: true`), map, overlay. Only a spec that cannot be read or has no operations is
 * refused; every
 * other problem is a finding.
 */
export interface ImportOptions {
	/** The file name findings show. */
	shown?: string;
	overlay?: Overlay;
	/** Run every check (`n8n-rills lint`), not only the fixes generation needs. */
	lint?: boolean;
	progress?: (done: number, total: number) => void;
	/** The folder whose files a `$ref` may read; the spec's own folder when not given. */
	refRoot?: string;
	/**
	 * Called with the integration as soon as it is mapped when the official schema is checked beside (see
	 * official-schema-beside), so that the caller can work on it while the check finishes; the import's findings may
	 * still refuse it.
	 */
	whileLinting?: (integration: Integration) => void;
}

export async function importSpec(file: string, options: ImportOptions = {}): Promise<ImportedSpec> {
	try {
		return await importUnguarded(file, options);
	} catch (e) {
		// Whatever the input, the answer is a finding: a bug of ours must not look like a crash of the user's run.
		const message =
			e instanceof RangeError
				? 'the spec is nested too deeply to process'
				: `the import failed: ${(e as Error).message}`;
		const finding: Finding = {
			file: options.shown ?? file,
			pointer: '',
			severity: 'error',
			rule: 'unprocessable',
			message,
			fix: 'flatten the deepest schemas with $ref to named components; if the spec is ordinary, report this with the file',
		};
		return { findings: [finding], refusal: `unprocessable: ${message}` };
	}
}

async function importUnguarded(file: string, options: ImportOptions): Promise<ImportedSpec> {
	const shown = options.shown ?? file;
	forgetNames();
	const full = options.lint ?? false;
	// Started before this thread loads the spec, so that the two load it at once.
	const beside = full ? checkBeside(file, shown, options.refRoot) : undefined;
	try {
		const loaded = await loadSpec(file, shown, options.refRoot);
		// Without the worker, the official schema checks this thread's copy before lintSpec's fixes change it.
		const official = full && !beside ? officialFindings(loaded, shown) : [];
		const own = lintSpec(loaded, shown, full);
		// The official schema's findings come first, as `n8n-rills lint` lists them.
		const lint = async (): Promise<Finding[]> => [
			...(beside && loaded.document
				? ((await beside.findings) ?? (await officialAgain(file, shown, options.refRoot)))
				: official),
			...own,
		];
		const fatal = [...loaded.findings, ...own].find((f) => f.severity === 'error' && f.rule !== 'schema');
		if (!loaded.document || fatal)
			return {
				findings: [...loaded.findings, ...(await lint())],
				refusal: fatal ? `${fatal.rule}: ${fatal.message}` : 'the spec could not be loaded',
			};
		const fallback = basename(file).replace(/\.(openapi|swagger)?\.?(json|ya?ml)$/i, '');
		const { overlay } = options;
		const mapped = mapDocument(loaded.document, fallback, overlay && overlayFilter(overlay), options.progress);
		const selected = !overlay || mapped.origins.length > 0;
		const integration = !selected ? undefined : overlay ? applyOverlay(mapped, overlay) : mapped.integration;
		if (integration && beside) options.whileLinting?.(integration);
		const findings = [
			...loaded.findings,
			...(await lint()),
			...mapped.findings.map((f) => ({ file: shown, ...f })),
		];
		if (!integration) {
			findings.push({
				file: shown,
				pointer: '/select',
				severity: 'error',
				rule: 'nothing-selected',
				message: 'the overlay selects no operation of the spec',
				fix: 'check the tags, paths and operationIds under `select` and `exclude`',
			});
			return { findings, refusal: 'nothing-selected: the overlay selects no operation' };
		}
		return { integration, findings };
	} finally {
		beside?.stop();
	}
}

/**
 * The official schema's findings when the worker could not give them: of a copy loaded again, since lintSpec has
 * applied its fixes to this thread's copy.
 */
async function officialAgain(file: string, shown: string, refRoot?: string): Promise<Finding[]> {
	return officialFindings(await loadSpec(file, shown, refRoot), shown);
}

/** An overlay definition: the spec it names (or `spec`, when given) imported with the overlay applied. */
export async function importOverlay(
	file: string,
	options: Omit<ImportOptions, 'overlay' | 'shown'> & { root: string; spec?: string },
): Promise<ImportedSpec> {
	const shown = relative(options.root, file);
	const read = readOverlay(file, shown);
	if (!read.overlay || hasErrors(read.findings))
		return { findings: read.findings, refusal: 'the overlay definition has errors' };
	const spec = options.spec ?? read.specFile!;
	if (!existsSync(spec)) {
		const missing: Finding = {
			file: shown,
			pointer: '/spec',
			severity: 'error',
			rule: 'missing-spec',
			message: `the spec ${spec} does not exist`,
			fix: 'give the path of the OpenAPI file relative to the definition',
		};
		return { findings: [...read.findings, missing], refusal: 'missing-spec' };
	}
	const imported = await importSpec(spec, { ...options, shown: relative(options.root, spec), overlay: read.overlay });
	const findings = [...read.findings, ...imported.findings];
	const wrong = imported.integration
		? triggerFindings(imported.integration).map((f) => ({ file: shown, ...read.source?.locate(f.pointer), ...f }))
		: [];
	if (wrong.length) return { findings: [...findings, ...wrong], refusal: `undefined-operation: ${wrong[0].message}` };
	return { ...imported, findings };
}
