/**
 * A node context for attack tests that need no running n8n: requests go through n8n's own request
 * function (axios with n8n's redirect policy, from @n8n/backend-network), authenticated the way
 * n8n's httpRequestWithAuthentication does it (the credential's authenticate, then that function).
 * Webhook calls get an Express-like response that records what n8n would send.
 */
import { dirname, join } from 'node:path';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { credentialAuthentication, type CredentialAuthentication } from '../../nodes/shared/credential-auth';
import type { IntegrationTable } from '../../nodes/shared/types';

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;
// Not exported by the package; its file is what n8n's helpers.httpRequest runs.
const requestModule = join(dirname(require.resolve('@n8n/backend-network')), 'http/axios/request');
export const n8nHttpRequest = (require(requestModule) as { httpRequest: HttpRequest }).httpRequest;

export interface Sent {
	status?: number;
	headers: Record<string, string>;
	body?: unknown;
}

export interface Delivery {
	body?: unknown;
	headers?: Record<string, string>;
	rawBody?: Buffer;
	webhookName?: string;
}

interface Options {
	parameters?: Record<string, unknown>;
	staticData?: Record<string, unknown>;
	credentials?: ICredentialDataDecryptedObject;
	auth?: CredentialAuthentication;
	webhookUrl?: string;
	delivery?: Delivery;
	continueOnFail?: boolean;
}

/** One context serving as execute, hook and webhook functions; `sent` is what a webhook answered by itself. */
export function nodeContext<T>(options: Options) {
	const { parameters = {}, staticData = {}, credentials = {}, auth = {}, webhookUrl, delivery } = options;
	const sent: Sent = { headers: {} };
	const response = {
		status: (code: number) => ((sent.status = code), response),
		set: (name: string, value: string) => ((sent.headers[name.toLowerCase()] = value), response),
		type: (type: string) => response.set('content-type', type),
		send: (body: unknown) => ((sent.body = body), response),
		json: (body: unknown) => (response.type('application/json'), (sent.body = body), response),
		end: () => response,
	};
	const authenticate = credentialAuthentication(auth);
	const context = {
		// Execute functions pass an item index before the fallback; hook and webhook functions pass none.
		getNodeParameter: (name: string, ...rest: unknown[]) => (name in parameters ? parameters[name] : rest.at(-1)),
		getWorkflowStaticData: () => staticData,
		getMode: () => 'trigger',
		getWorkflow: () => ({ id: 'wf', name: 'wf', active: true }),
		getNode: () => ({
			...{ id: 'node', name: 'Node', type: 'CUSTOM.test', typeVersion: 1, position: [0, 0], parameters: {} },
			credentials: { testApi: { id: 'c', name: 'Test key' } },
		}),
		getNodeWebhookUrl: () => webhookUrl,
		getCredentials: async () => credentials,
		getInputData: () => [{ json: {} }],
		continueOnFail: () => options.continueOnFail ?? false,
		getWebhookName: () => delivery?.webhookName ?? 'default',
		getBodyData: () => delivery?.body ?? {},
		getHeaderData: () => lowerKeys(delivery?.headers ?? {}),
		getRequestObject: () => ({
			rawBody: delivery?.rawBody ?? Buffer.from(JSON.stringify(delivery?.body ?? {})),
			method: 'POST',
			originalUrl: '/webhook/x',
		}),
		getResponseObject: () => response,
		logger: { warn: () => undefined },
		helpers: {
			httpRequest: n8nHttpRequest,
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) =>
				n8nHttpRequest(await authenticate(credentials, request)),
			returnJsonArray: (items: object | object[]) =>
				(Array.isArray(items) ? items : [items]).map((json) => ({ json })),
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => ({
				data: data.toString('base64'),
				fileName,
				mimeType,
			}),
		},
	};
	return { context: context as unknown as T, sent, staticData };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The smallest integration table the runtime reads: one API-key variant, no retries. */
export function table(baseUrl: string, extra: Partial<IntegrationTable> = {}): IntegrationTable {
	return {
		name: 'test',
		displayName: 'Test',
		baseUrl,
		configDefaults: {},
		auth: [{ credentialType: 'testApi', kind: 'apiKey' }],
		rateLimits: [],
		retry: { maxRetries: 0, maxWaitSeconds: 0, backoffSeconds: 0 },
		operations: {},
		...extra,
	};
}
