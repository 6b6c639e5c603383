import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import type { SignatureSpec } from './types';
import { refuse, rejectUnsigned } from './verify';

/** Shorter secrets are too easy to guess for an HMAC key. */
const MIN_SECRET_LENGTH = 16;

/**
 * Verifies a delivery against the signature the user describes in the node (Verify Signature and
 * the settings below it) with the secret kept in the signing-secret credential `credentialType`:
 * the same checks, timestamp window and delivery-id replay refusal as the catalog's signatures.
 * A 401 response when it fails; undefined when it verifies or the user chose to accept unsigned
 * deliveries (`verification: none`, which the node panel warns about).
 */
export async function rejectUnverified(
	this: IWebhookFunctions,
	credentialType: string,
): Promise<IWebhookResponseData | undefined> {
	if (this.getNodeParameter('verification', 'hmac') === 'none') return undefined;
	const { secret } = await this.getCredentials<{ secret?: string }>(credentialType);
	if (!secret) return refuse.call(this, 'no signing secret is set in the credential');
	return rejectUnsigned.call(this, signatureSettings.call(this), secret);
}

/** The node's signature settings as the runtime's signature description. */
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
		deliveryHeader: text('deliveryHeader'),
	};
}

/** Where the user says a delivery carries its event type, for triggers whose definition does not say. */
export function eventLocation(this: IWebhookFunctions): { eventPath?: string; eventHeader?: string } {
	const name = String(this.getNodeParameter('eventName', '')).trim();
	return this.getNodeParameter('eventIn', 'body') === 'header' ? { eventHeader: name } : { eventPath: name };
}

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
