import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { rejectUnverified } from './node-signature';

export { testSigningSecret } from './node-signature';

/** The user gives the URL to the sending service themselves, so activation has nothing to register. */
export const manualRegistration = {
	default: {
		checkExists: async () => true,
		create: async () => true,
		delete: async () => true,
	},
};

/**
 * The generic Custom Webhook trigger: any service that can post events starts the workflow; with
 * verification on, the node's settings describe the signature and credential `credentialType` holds the secret.
 */
export async function receiveCustomEvent(
	this: IWebhookFunctions,
	credentialType: string,
): Promise<IWebhookResponseData> {
	const rejected = await rejectUnverified.call(this, credentialType);
	if (rejected) return rejected;
	return { workflowData: [this.helpers.returnJsonArray(this.getBodyData())] };
}
