// Google Docs' hook (nodes/shared/hooks.ts): the document Get Content returns carries its body as
// HTML too (documentHtml.ts), so a workflow publishes it with no Code node in between.
import type { IDataObject } from 'n8n-workflow';
import { documentHtml, type GoogleDocument } from './documentHtml';

interface HookContext {
	operation: string;
}

export const hooks = {
	items(items: IDataObject[], { operation }: HookContext): IDataObject[] {
		return operation === 'document:get'
			? items.map((item) => ({ ...item, html: documentHtml(item as GoogleDocument) }))
			: items;
	},
};
