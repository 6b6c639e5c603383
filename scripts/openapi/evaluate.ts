import type { INodeTypeDescription } from 'n8n-workflow';
import ts from 'typescript';

/**
 * Runs an emitted module in memory (transpiled, with the real n8n-workflow and stand-ins for its
 * relative imports) and returns an instance of the class it exports: what n8n would construct,
 * for the benchmark and the tests to inspect without a build.
 */
export function evaluateModule<T>(source: string): T {
	const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021 } }).outputText;
	const module = { exports: {} as Record<string, unknown> };
	const load = (name: string) => (name === 'n8n-workflow' ? require('n8n-workflow') : {});
	new Function('module', 'exports', 'require', js)(module, module.exports, load);
	const Class = Object.values(module.exports).find((v): v is new () => T => typeof v === 'function');
	if (!Class) throw new Error('the module exports no class');
	return new Class();
}

export function evaluateNode(source: string): INodeTypeDescription {
	return evaluateModule<{ description: INodeTypeDescription }>(source).description;
}
