import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/** Which operation a hook is called for, as `resource:operation`, and for which input item. */
export interface HookContext {
	operation: string;
	itemIndex: number;
}

/**
 * The one extension point for behaviour no declared mechanism covers, written by hand in
 * `nodes/<Service>/<name>.hooks.ts` beside the service's definition (exported as `hooks`); the
 * generator wires it into that service's node only. Hooks run inside the shared runtime's
 * guarantees: the request they return is still authenticated, rate-limited, retried and checked
 * against the API's origin like any other.
 */
export interface ServiceHooks {
	/** The request an operation is about to send, after its parameters and files are in place. */
	request?(request: IHttpRequestOptions, context: HookContext): IHttpRequestOptions;
	/** The items an operation returns (every page's, for a list), before n8n sees them. */
	items?(items: IDataObject[], context: HookContext): IDataObject[];
}
