import { dirname, relative } from 'node:path';
import { buildIntegration } from '../model/build';
import type { RawDefinition } from '../model/definition';
import type { Integration } from '../model/types';
import { breakingFindings } from '../validate/breaking';
import { hasErrors, type Finding } from '../validate/finding';
import { referenceFindings } from '../validate/references';
import { schemaFindings } from '../validate/schema';
import { YamlSource } from './yaml-source';

export interface LoadedDefinition {
	file: string;
	integration?: Integration;
	findings: Finding[];
}

/** Reads, validates and models one `*.integration.yaml`. No integration when any finding is an error. */
export function loadDefinition(file: string, cwd = process.cwd()): LoadedDefinition {
	const shown = relative(cwd, file) || file;
	const { source, findings } = YamlSource.read(file, shown);
	if (!source) return { file, findings };
	findings.push(...schemaFindings(source));
	if (hasErrors(findings)) return { file, findings };
	const raw = source.value as RawDefinition;
	for (const f of referenceFindings(raw, dirname(file)))
		findings.push({ file: shown, ...source.locate(f.pointer), ...f });
	if (hasErrors(findings)) return { file, findings };
	const integration = buildIntegration(raw);
	for (const f of breakingFindings(integration, dirname(file)))
		findings.push({ file: shown, ...source.locate(f.pointer), ...f });
	if (hasErrors(findings)) return { file, findings };
	return { file, integration, findings };
}
