import { statSync } from 'node:fs';
import { planProject, projectDefinitions, writePlan } from './generate';
import { loadDefinition } from './load/definition';
import { formatFinding, hasErrors, type Finding } from './validate/finding';

const USAGE = `usage:
  n8n-rills generate [definition…] [--json]   regenerate nodes and credentials (no input: every nodes/*/*.integration.yaml)
  n8n-rills lint <definition|folder>… [--json]   list findings; exits 1 when any is an error`;

function report(findings: Finding[], json: boolean): void {
	if (json) process.stdout.write(JSON.stringify({ findings }, null, 2) + '\n');
	else for (const f of findings) process.stderr.write(formatFinding(f) + '\n');
}

function definitionsOf(inputs: string[]): string[] {
	return inputs.flatMap((input) => (statSync(input).isDirectory() ? projectDefinitions(input.replace(/\/nodes\/?$/, '')) : [input]));
}

export function main(argv: string[]): number {
	const json = argv.includes('--json');
	const [command, ...inputs] = argv.filter((a) => a !== '--json');
	const root = process.cwd();
	switch (command) {
		case 'generate': {
			const plan = planProject(root, inputs);
			report(plan.findings, json);
			if (hasErrors(plan.findings)) return 1;
			const changed = writePlan(root, plan);
			if (!json) process.stderr.write(changed.length ? `updated ${changed.length} file(s):\n${changed.map((c) => `  ${c}`).join('\n')}\n` : 'generated files are up to date\n');
			return 0;
		}
		case 'lint': {
			if (!inputs.length) break;
			const findings = definitionsOf(inputs).flatMap((file) => loadDefinition(file, root).findings);
			report(findings, json);
			if (!json) process.stderr.write(`${findings.filter((f) => f.severity === 'error').length} error(s), ${findings.filter((f) => f.severity === 'warning').length} warning(s)\n`);
			return hasErrors(findings) ? 1 : 0;
		}
	}
	process.stderr.write(USAGE + '\n');
	return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
