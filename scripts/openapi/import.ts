import { existsSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { Integration } from '../model/types';
import type { LoadedSpec } from './load';
import { lintBeside, loadAndLint, unprocessable } from './lint-beside';
import { mapDocument } from './map';
import { hasErrors, type Finding } from '../validate/finding';
import { applyOverlay, overlayFilter, readOverlay, triggerFindings, type Overlay } from './overlay';
import { forgetNames } from './text';

export interface ImportedSpec {
	integration?: Integration;
	findings: Finding[];
	/** Why no integration came out, when none did. */
	refusal?: string;
	/**
	 * With `lint: 'beside'` on a large spec: the import as `lint: true` gives it, once the checks this thread left to a
	 * worker have answered. Its findings and refusal replace these.
	 */
	linted?: Promise<ImportedSpec>;
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
	/**
	 * Run every check (`n8n-rills lint`), not only the fixes generation needs. `'beside'`: the same, but for a large
	 * spec in a worker thread while this one maps, with their findings in `linted` (see `lintBeside`).
	 */
	lint?: boolean | 'beside';
	progress?: (done: number, total: number) => void;
	/** The folder whose files a `$ref` may read; the spec's own folder when not given. */
	refRoot?: string;
}

export async function importSpec(file: string, options: ImportOptions = {}): Promise<ImportedSpec> {
	try {
		return await importUnguarded(file, options);
	} catch (e) {
		return unprocessable(e, options.shown ?? file);
	}
}

async function importUnguarded(file: string, options: ImportOptions): Promise<ImportedSpec> {
	const shown = options.shown ?? file;
	const beside = options.lint === 'beside' ? lintBeside({ file, shown, refRoot: options.refRoot }) : undefined;
	forgetNames();
	const full = options.lint === true || (options.lint === 'beside' && !beside);
	const { loaded, findings: linted } = await loadAndLint(file, shown, options.refRoot, full);
	const mapped = mapLinted(loaded, linted, file, shown, options.overlay, options.progress);
	const imported = { ...mapped, findings: [...linted, ...mapped.findings] };
	if (!beside) return imported;
	// The checks only lint runs never refuse (their errors are the official schema's, weighed by the caller), so the
	// refusal here stands, unless loading or linting threw in the worker.
	const all = beside.then((w): ImportedSpec =>
		w.refusal ? w : { ...mapped, findings: [...w.findings, ...mapped.findings] },
	);
	return { ...imported, linted: all };
}

/** The integration, and what mapping found, once loading and linting found `linted`. */
function mapLinted(
	loaded: LoadedSpec,
	linted: Finding[],
	file: string,
	shown: string,
	overlay?: Overlay,
	progress?: ImportOptions['progress'],
): ImportedSpec {
	const fatal = linted.find((f) => f.severity === 'error' && f.rule !== 'schema');
	if (!loaded.document || fatal)
		return { findings: [], refusal: fatal ? `${fatal.rule}: ${fatal.message}` : 'the spec could not be loaded' };
	const fallback = basename(file).replace(/\.(openapi|swagger)?\.?(json|ya?ml)$/i, '');
	const mapped = mapDocument(loaded.document, fallback, overlay && overlayFilter(overlay), progress);
	const findings: Finding[] = mapped.findings.map((f) => ({ file: shown, ...f }));
	if (overlay && !mapped.origins.length) {
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
	return { integration: overlay ? applyOverlay(mapped, overlay) : mapped.integration, findings };
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
	// The overlay's findings around the spec's, both for those found now and for those a worker gives later.
	const withOverlay = (spec: ImportedSpec): ImportedSpec => {
		const findings = [...read.findings, ...spec.findings];
		const wrong = spec.integration
			? triggerFindings(spec.integration).map((f) => ({ file: shown, ...read.source?.locate(f.pointer), ...f }))
			: [];
		if (wrong.length)
			return { findings: [...findings, ...wrong], refusal: `undefined-operation: ${wrong[0].message}` };
		return { ...spec, findings };
	};
	return { ...withOverlay(imported), linted: imported.linted?.then(withOverlay) };
}
