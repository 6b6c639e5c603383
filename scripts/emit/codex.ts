import { pascalCase } from '../model/naming';
import type { Category, Integration } from '../model/types';
import type { EmittedFile } from './files';
import { nodeFolder } from './names';

const CODEX_CATEGORY: Record<Category, string> = {
	communication: 'Communication',
	projectManagement: 'Productivity',
	crm: 'Sales',
	calendar: 'Productivity',
	cloudStorage: 'Data & Storage',
	developerTools: 'Development',
	marketing: 'Marketing',
	finance: 'Finance & Accounting',
	productivity: 'Productivity',
	analytics: 'Analytics',
	other: 'Miscellaneous',
};

/**
 * The codex files n8n reads for each node's categories and documentation links: one beside every
 * node class of the integration (the action node and its triggers), named as the class file.
 */
export function emitCodex(integration: Integration, packageName: string, nodeFiles: EmittedFile[]): EmittedFile[] {
	const docs = integration.documentationUrl ? [{ url: integration.documentationUrl }] : [];
	const folder = `nodes/${nodeFolder(integration)}/`;
	const className = pascalCase(integration.name);
	return nodeFiles
		.filter((f) => f.path.startsWith(folder) && f.path.endsWith('.node.ts'))
		.map((f) => {
			// SlackTrigger.node.ts → slackTrigger: the class name with the integration's own name in front.
			const suffix = f.path.slice(folder.length + className.length, -'.node.ts'.length);
			const codex = {
				node: `${packageName}.${integration.name}${suffix}`,
				nodeVersion: '1.0',
				codexVersion: '1.0',
				categories: [CODEX_CATEGORY[integration.category]],
				resources: { primaryDocumentation: docs, credentialDocumentation: docs },
			};
			return { path: f.path.replace(/\.ts$/, '.json'), content: JSON.stringify(codex, null, 2) + '\n' };
		});
}
