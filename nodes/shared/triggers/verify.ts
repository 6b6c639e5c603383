import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { verifySignature, type SignedRequest } from './signature';
import type { SignatureSpec } from './types';

/** Delivery ids a trigger remembers to refuse replays of (schemes without a timestamp). */
const SEEN_DELIVERIES = 1000;

/**
 * A 401 response when the delivery's signature does not verify, is outside its timestamp window or
 * repeats a delivery id seen before, else undefined. Every webhook trigger refuses through here.
 */
export function rejectUnsigned(
	this: IWebhookFunctions,
	signature: SignatureSpec,
	secret: string | undefined,
): IWebhookResponseData | undefined {
	const incoming = this.getRequestObject() as unknown as {
		rawBody?: Buffer;
		method?: string;
		originalUrl?: string;
		url?: string;
	};
	const raw = incoming.rawBody ?? Buffer.alloc(0);
	const verdict = secret
		? verifySignature(
				signature,
				secret,
				raw,
				this.getHeaderData() as Record<string, string | string[] | undefined>,
				Date.now() / 1000,
				signedRequest.call(this, signature, incoming),
			)
		: {
				valid: false as const,
				reason: 'no signing secret is stored: deactivate and activate the workflow to subscribe again',
			};
	const { deliveryHeader } = signature;
	const reason = verdict.valid ? deliveryHeader && replayed.call(this, deliveryHeader) : verdict.reason;
	if (!reason) return undefined;
	return refuse.call(this, reason);
}

/** Answers 401 with the reason; nothing starts. */
export function refuse(this: IWebhookFunctions, reason: string): IWebhookResponseData {
	this.getResponseObject().status(401).json({ error: 'Unauthorized', reason });
	return { noWebhookResponse: true };
}

export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** Why a verified delivery is a replay (its id was seen before, or it has none), else undefined; remembers the id. */
function replayed(this: IWebhookFunctions, header: string): string | undefined {
	const id = headerValue(this.getHeaderData() as Record<string, unknown>, header);
	if (!id) return `missing ${header} header`;
	const stored = this.getWorkflowStaticData('node') as { deliveries?: string[] };
	const seen = stored.deliveries ?? [];
	if (seen.includes(id)) return 'this delivery was received before';
	stored.deliveries = [...seen.slice(1 - SEEN_DELIVERIES), id];
	return undefined;
}

/** Method and public URL (n8n's webhook URL plus the query string that arrived) for signatures that cover them. */
function signedRequest(
	this: IWebhookFunctions,
	signature: SignatureSpec,
	incoming: { method?: string; originalUrl?: string; url?: string },
): SignedRequest | undefined {
	if (!/\{(method|url)\}/.test(signature.payload)) return undefined;
	const path = incoming.originalUrl ?? incoming.url ?? '';
	const query = path.includes('?') ? path.slice(path.indexOf('?')) : '';
	return {
		method: (incoming.method ?? 'POST').toUpperCase(),
		url: (this.getNodeWebhookUrl('default') ?? '') + query,
	};
}
