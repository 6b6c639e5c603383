/**
 * Stand-ins for the contexts n8n hands a node (parameters, static data, HTTP with the Acme API
 * key), for runtime tests of what a real n8n cannot show on demand. Requests go over real HTTP;
 * failures are thrown in the shape n8n's request helper throws them (axios: `response.status`).
 */
import type { IHookFunctions, IPollFunctions } from 'n8n-workflow';
import type { AcmeEvents } from './acme-events';

interface Options {
	acme: AcmeEvents;
	parameters: Record<string, unknown>;
	staticData: Record<string, unknown>;
	workflowId: string;
	webhookUrl?: string;
	/** n8n's execution mode: `trigger` for active workflows, `manual` for the editor's test runs. */
	mode?: 'trigger' | 'manual';
}

export function acmeContext<T extends IPollFunctions | IHookFunctions>({
	acme,
	parameters,
	staticData,
	workflowId,
	webhookUrl,
	mode = 'trigger',
}: Options): T {
	const request = async (
		_type: string,
		options: {
			method?: string;
			url: string;
			qs?: Record<string, unknown>;
			headers?: Record<string, string>;
			body?: unknown;
		},
	) => {
		const url = new URL(options.url);
		for (const [k, v] of Object.entries(options.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
		const response = await fetch(url, {
			method: options.method ?? 'GET',
			headers: {
				...options.headers,
				Authorization: `Token ${acme.apiKey}`,
				'X-Acme-Client': 'n8n-rills',
				...(options.body ? { 'content-type': 'application/json' } : {}),
			},
			body: options.body ? JSON.stringify(options.body) : undefined,
		});
		const text = await response.text();
		const body: unknown = text ? JSON.parse(text) : '';
		const headers = Object.fromEntries(response.headers.entries());
		if (!response.ok)
			throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
				response: { status: response.status, headers, data: body },
			});
		return { statusCode: response.status, headers, body };
	};
	return {
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getWorkflowStaticData: () => staticData,
		getMode: () => mode,
		getWorkflow: () => ({ id: workflowId, name: workflowId, active: true }),
		getNode: () => ({
			id: 'node',
			name: 'Acme',
			type: 'CUSTOM.acmeTasks',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			credentials: { rillsAcmeTasksApi: { id: 'k', name: 'Acme key' } },
		}),
		getNodeWebhookUrl: () => webhookUrl,
		getCredentials: async () => ({ server: acme.url, apiKey: acme.apiKey }),
		helpers: {
			httpRequestWithAuthentication: request,
			returnJsonArray: (items: object[]) => items.map((json) => ({ json })),
		},
	} as unknown as T;
}
