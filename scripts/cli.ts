import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { planProject, projectDefinitions, writePlan } from './generate';
import { loadDefinition } from './load/definition';
import { generateFromSpec, isSpecInput, lintSpecInput } from './openapi/cli';
import { formatFinding, hasErrors, type Finding } from './validate/finding';

const USAGE = `usage:
  n8n-rills generate [definition…] [--json]   regenerate nodes and credentials (no input: every nodes/*/*.integration.yaml)
  n8n-rills generate <spec|overlay> [--overlay def.yaml] [--package n8n-nodes-<name>] [--out dir] [--json]
      [--author "Name <email>"] [--repository git-url] [--license spdx] [--homepage url]
                                              an OpenAPI 3.x / Swagger 2.0 file (JSON or YAML) as a complete community package
  n8n-rills lint <definition|spec|folder>… [--json]   list findings; exits 1 when any is an error
  n8n-rills new <service>                      a catalog service to start from: definition, icons, fake and n8n test`;

function report(findings: Finding[], json: boolean): void {
	if (json) process.stdout.write(JSON.stringify({ findings }, null, 2) + '\n');
	else for (const f of findings) process.stderr.write(formatFinding(f) + '\n');
}

/** A file as it is; a service folder (`nodes/Slack`) as its definitions; a project or its `nodes/` as all of them. */
function definitionsOf(inputs: string[]): string[] {
	return inputs.flatMap((input) => {
		if (!statSync(input).isDirectory()) return [input];
		const own = readdirSync(input)
			.filter((f) => /\.integration\.ya?ml$/.test(f))
			.map((f) => join(input, f));
		return own.length ? own : projectDefinitions(input.replace(/\/nodes\/?$/, ''));
	});
}

/** A number, or a promise of one for specs (bundling and conversion are asynchronous). */
export function main(argv: string[]): number | Promise<number> {
	const json = argv.includes('--json');
	const [command, ...inputs] = argv.filter((a) => a !== '--json');
	const root = process.cwd();
	switch (command) {
		case 'generate': {
			// A spec, or an overlay given with package options, becomes a package of its own.
			if (
				inputs[0] &&
				isSpecInput(inputs[0]) &&
				(!/\.integration\.ya?ml$/.test(inputs[0]) || inputs.some((a) => /^--(out|package|overlay)$/.test(a)))
			)
				return generateFromSpec(inputs[0], inputs.slice(1), json);
			return planProject(root, inputs).then((plan) => {
				report(plan.findings, json);
				if (hasErrors(plan.findings)) return 1;
				const changed = writePlan(root, plan);
				if (!json)
					process.stderr.write(
						changed.length
							? `updated ${changed.length} file(s):\n${changed.map((c) => `  ${c}`).join('\n')}\n`
							: 'generated files are up to date\n',
					);
				return 0;
			});
		}
		case 'new': {
			if (inputs.length !== 1) break;
			// Loaded only here: most runs generate.
			const { scaffoldService } = require('./scaffold') as typeof import('./scaffold');
			try {
				for (const file of scaffoldService(root, inputs[0])) process.stderr.write(`wrote ${file}\n`);
				return 0;
			} catch (error) {
				process.stderr.write(`${(error as Error).message}\n`);
				return 1;
			}
		}
		case 'lint': {
			if (!inputs.length) break;
			return (async () => {
				const findings: Finding[] = [];
				for (const file of definitionsOf(inputs))
					findings.push(
						...(isSpecInput(file) ? await lintSpecInput(file) : loadDefinition(file, root).findings),
					);
				report(findings, json);
				if (!json)
					process.stderr.write(
						`${findings.filter((f) => f.severity === 'error').length} error(s), ${findings.filter((f) => f.severity === 'warning').length} warning(s)\n`,
					);
				return hasErrors(findings) ? 1 : 0;
			})();
		}
	}
	process.stderr.write(USAGE + '\n');
	return 2;
}

/**
 * Runs this process's command line; scripts/n8n-rills.js calls it so that the bin npm packs (and n8n's scan lints) uses
 * no `process`.
 */
export function runCommandLine(): void {
	// A run is over in about a second, before TurboFan's optimized code pays back compiling it: the official-schema
	// validator alone is 280 kB of generated code. Without TurboFan a whole `generate` on GitHub's REST spec took
	// 1.63 instead of 2.34 s (median wall time, 5 alternating processes at a load of 4; 1.46 vs 1.96 s of CPU). Only
	// this process's command line sets it: tests and other callers of `main` keep V8's defaults.
	setFlagsFromString('--no-opt');
	void Promise.resolve(main(process.argv.slice(2))).then((code) => (process.exitCode = code));
}

if (require.main === module) runCommandLine();
