// The Paging Lab's hooks (nodes/shared/hooks.ts), copied beside its node by the generator: a header
// the service wants computed from the URL, and a field added to each item. Only `item:hooked` uses them.
import { createHash } from 'node:crypto';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

interface HookContext {
	operation: string;
}

export const hooks = {
	request(request: IHttpRequestOptions, { operation }: HookContext): IHttpRequestOptions {
		if (operation !== 'item:hooked') return request;
		const checksum = createHash('sha256').update(request.url).digest('hex');
		return { ...request, headers: { ...request.headers, 'X-Lab-Checksum': checksum } };
	},
	items(items: IDataObject[], { operation }: HookContext): IDataObject[] {
		return operation === 'item:hooked' ? items.map((item) => ({ ...item, label: `Item ${item.id}` })) : items;
	},
};
