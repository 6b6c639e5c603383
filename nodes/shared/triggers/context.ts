import type {
	IExecuteFunctions,
	IHookFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

/**
 * The request runtime (connect, buildRequest, fetchPages, send) is typed for action nodes, but
 * uses only what every node context offers: getNode, getCredentials, helpers.httpRequest* and
 * getNodeParameter(name, second) — where poll, trigger, hook and webhook contexts read the second argument
 * as the fallback instead of the item index, which is the same for the parameters it reads.
 */
export function asRequestContext(
	context: IPollFunctions | ITriggerFunctions | IHookFunctions | IWebhookFunctions,
): IExecuteFunctions {
	return context as unknown as IExecuteFunctions;
}
