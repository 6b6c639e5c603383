import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { rejectUnsigned } from './webhook';
import type { SignatureSpec } from './types';

export const SIGNING_SECRET_CREDENTIAL = 'rillsWebhookSigningSecretApi';
/** Shorter secrets are too easy to guess for an HMAC key. */
const MIN_SECRET_LENGTH = 16;

/** The user gives the URL to the sending service themselves, so activation has nothing to register. */
export const manualRegistration = {
	default: {
		checkExists: async () => true,
		create: async () => true,
		delete: async () => true,
	},
};

/** The credential's Test button: a signing secret can only be checked for being usable as a key. */
export async function testSigningSecret(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const secret = String(credential.data?.secret ?? '');
	return secret.length >= MIN_SECRET_LENGTH
		? { status: 'OK', message: 'The secret can sign and verify deliveries' }
		: {
				status: 'Error',
				message: `Use a secret of at least ${MIN_SECRET_LENGTH} characters, as the sending service shows it`,
			};
}

/**
 * The generic Custom Webhook trigger: any service that can post events starts the workflow; with
 * verification on, the node's settings describe the signature and the credential holds the secret.
 */
export async function receiveCustomEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (this.getNodeParameter('verification', 'none') === 'hmac') {
		const { secret } = await this.getCredentials<{ secret?: string }>(SIGNING_SECRET_CREDENTIAL);
		const rejected = rejectUnsigned.call(this, signatureSettings.call(this), secret || undefined);
		if (rejected) return rejected;
	}
	return { workflowData: [this.helpers.returnJsonArray(this.getBodyData())] };
}

function signatureSettings(this: IWebhookFunctions): SignatureSpec {
	const text = (name: string) => String(this.getNodeParameter(name, '')).trim() || undefined;
	const keyValue = this.getNodeParameter('headerFormat', 'plain') === 'keyValue';
	return {
		algorithm: this.getNodeParameter('algorithm', 'sha256') as SignatureSpec['algorithm'],
		encoding: this.getNodeParameter('encoding', 'hex') as SignatureSpec['encoding'],
		header: text('signatureHeader') ?? 'X-Signature',
		prefix: keyValue ? undefined : text('signaturePrefix'),
		payload: text('signedPayload') ?? '{body}',
		timestampHeader: keyValue ? undefined : text('timestampHeader'),
		signatureKey: keyValue ? (text('signatureKey') ?? 'v1') : undefined,
		timestampKey: keyValue ? (text('timestampKey') ?? 't') : undefined,
		toleranceSeconds: this.getNodeParameter('toleranceSeconds', 300) as number,
	};
}
