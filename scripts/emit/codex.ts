import { pascalCase } from '../model/naming';
import type { Category, Integration } from '../model/types';
import type { EmittedFile } from './credentials';
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

/** The codex file n8n reads for the node's categories and documentation links. */
export function emitCodex(integration: Integration, packageName: string): EmittedFile {
	const docs = integration.documentationUrl ? [{ url: integration.documentationUrl }] : [];
	const codex = {
		node: `${packageName}.${integration.name}`,
		nodeVersion: '1.0',
		codexVersion: '1.0',
		categories: [CODEX_CATEGORY[integration.category]],
		resources: { primaryDocumentation: docs, credentialDocumentation: docs },
	};
	return { path: `nodes/${nodeFolder(integration)}/${pascalCase(integration.name)}.node.json`, content: JSON.stringify(codex, null, 2) + '\n' };
}
