import type { INodeTypeDescription } from 'n8n-workflow';
import ts from 'typescript';

/**
 * Runs an emitted node module in memory (transpiled, with the real n8n-workflow and stand-ins for
 * its relative imports) and returns the description n8n would read: what the benchmark measures
 * and the tests inspect, without a build.
 */
export function evaluateNode(source: string): INodeTypeDescription {
	const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021 } }).outputText;
	const module = { exports: {} as Record<string, unknown> };
	const load = (name: string) => (name === 'n8n-workflow' ? require('n8n-workflow') : {});
	new Function('module', 'exports', 'require', js)(module, module.exports, load);
	const NodeClass = Object.values(module.exports).find((v): v is new () => { description: INodeTypeDescription } => typeof v === 'function');
	if (!NodeClass) throw new Error('the module exports no node class');
	return new NodeClass().description;
}
