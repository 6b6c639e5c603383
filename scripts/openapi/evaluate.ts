import type { INodeTypeDescription } from 'n8n-workflow';
import ts from 'typescript';

/** An import of the shared runtime from a generated node (`../shared/x`, `../shared/triggers/x`) or credential. */
const SHARED_RUNTIME = /^\.\.\/(?:nodes\/)?shared\/((?:triggers\/)?[\w-]+)$/;

/**
 * Runs an emitted module in memory (transpiled, with the real n8n-workflow and the real shared
 * runtime, other relative imports as empty stand-ins) and returns what it exports.
 */
export function evaluateExports(source: string): Record<string, unknown> {
	const js = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021 },
	}).outputText;
	const module = { exports: {} as Record<string, unknown> };
	const load = (name: string): unknown => {
		if (name === 'n8n-workflow') return require('n8n-workflow');
		const shared = SHARED_RUNTIME.exec(name);
		return shared ? require(`../../nodes/shared/${shared[1]}`) : {};
	};
	new Function('module', 'exports', 'require', js)(module, module.exports, load);
	return module.exports;
}

/**
 * An instance of the class an emitted module exports: what n8n would construct, for the benchmark and the tests to
 * inspect without a build.
 */
export function evaluateModule<T>(source: string): T {
	const Class = Object.values(evaluateExports(source)).find((v): v is new () => T => typeof v === 'function');
	if (!Class) throw new Error('the module exports no class');
	return new Class();
}

export function evaluateNode(source: string): INodeTypeDescription {
	return evaluateModule<{ description: INodeTypeDescription }>(source).description;
}
