import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { checkConnection } from './connection';
import { withScopesNamed } from './errors';
import { failedItem } from './failed-item';
import { isReconnect, recordHealth } from './health';
import { send, type Response, type Session } from './http';
import { fetchPages, type ReadOptions } from './pagination';
import { readPath } from './paths';
import { withFiles } from './files';
import type { HookContext, ServiceHooks } from './hooks';
import { buildRequest } from './request';
import { grantedScopes, missingScopes } from './scopes';
import { connect, onBase } from './session';
import type { IntegrationTable, OperationSpec } from './types';
import { atVersion } from './versions';
import { rateLimitStatus, type RateLimitStatus } from './rate-limit';
import { askedRateLimit, RATE_LIMIT_FIELD, withMaxWait, withRateLimit } from './rate-limit-options';

/** The `execute` of every generated action node: one request (or page run) per input item. */
export async function runOperations(
	this: IExecuteFunctions,
	table: IntegrationTable,
	hooks: ServiceHooks = {},
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const resource = this.getNodeParameter('resource', i) as string;
			const operation = this.getNodeParameter('operation', i) as string;
			const check = resource === 'connection' && operation === 'check';
			const results = check
				? [{ json: await checkConnection.call(this, table, i) }]
				: await runOperation.call(this, table, `${resource}:${operation}`, hooks, i);
			// Check reports the status itself.
			if (!check) withRateLimit(results, await askedRateLimit.call(this, table, i));
			// The items were made for this input item, so they are marked in place rather than copied: a Return All
			// may hand back 100,000 of them.
			for (const result of results) {
				result.pairedItem = { item: i };
				out.push(result);
			}
		} catch (error) {
			if (!this.continueOnFail()) {
				await warnNearRateLimit.call(this, table);
				throw asNodeError.call(this, error, i);
			}
			const secrets = await credentialSecrets.call(this, table, i);
			const status = await askedRateLimit.call(this, table, i).catch(() => undefined);
			out.push(
				failedItem.call(this, error, i, secrets, status === undefined ? {} : { [RATE_LIMIT_FIELD]: status }),
			);
		}
	}
	await warnNearRateLimit.call(this, table);
	return [out];
}

/** Share of a rate limit used from which the node warns in n8n's execution hints. */
const NEAR_LIMIT = 0.8;

/** An execution hint once the credential has used 80 % of its rate limit, so the user sees a pause coming. */
async function warnNearRateLimit(this: IExecuteFunctions, table: IntegrationTable): Promise<void> {
	let status: RateLimitStatus | undefined;
	try {
		const { session } = await connect.call(this, table, 0);
		status = rateLimitStatus(session.limiterKey, session.rateLimits);
	} catch {
		return;
	}
	if (!status || status.limit <= 0 || (status.limit - status.remaining) / status.limit < NEAR_LIMIT) return;
	this.addExecutionHints({
		message: `${table.displayName} rate limit nearly reached: ${status.remaining} of ${status.limit} requests left${status.resetAt ? ` until ${status.resetAt}` : ''}`,
		type: 'warning',
		location: 'outputPane',
	});
}

async function runOperation(
	this: IExecuteFunctions,
	table: IntegrationTable,
	key: string,
	hooks: ServiceHooks,
	i: number,
): Promise<INodeExecutionData[]> {
	const listed: OperationSpec | undefined = table.operations[key];
	if (!listed)
		throw new NodeOperationError(this.getNode(), `Unknown operation "${key.split(':')[1]}"`, { itemIndex: i });
	const { typeVersion } = this.getNode();
	const spec = atVersion(listed, typeVersion);
	if (!spec)
		throw new NodeOperationError(
			this.getNode(),
			`Operation "${key.split(':')[1]}" is not in version ${typeVersion} of this node`,
			{
				itemIndex: i,
				description: 'Pick an operation from the list, or add a new node to get its newest version.',
			},
		);
	const connection = onBase(await connect.call(this, table, i), table, spec.baseUrl);
	const { baseUrl, credentials } = connection;
	const session = withMaxWait.call(this, connection.session, i);
	// Held per credential and endpoint, like the services' per-method limits.
	if (spec.rateLimits?.length)
		session.operationLimits = { key: `${spec.method} ${spec.path}`, limits: spec.rateLimits };
	// A spec's scopes may be legacy or guessed: only a curated definition's refuse a request before it is sent.
	const fromSpec = session.variant.scopesFromSpec === true;
	if (session.variant.kind === 'oauth2' && credentials && spec.requiredScopes?.length && !fromSpec) {
		const missing = missingScopes(spec.requiredScopes, grantedScopes(credentials), session.variant.scopeIncludes);
		if (missing.length) {
			const credential = session.errors.credentialName ? `"${session.errors.credentialName}"` : 'The credential';
			throw new NodeOperationError(
				this.getNode(),
				`${credential} was not granted the scope ${missing.join(', ')} that this operation needs`,
				{
					itemIndex: i,
					description: `Add ${missing.join(' ')} to the credential's Scope field, reconnect it and grant access. Operations that need only granted scopes keep working.`,
				},
			);
		}
	}
	try {
		const results = await sendOperation.call(this, session, baseUrl, spec, hooks, { operation: key, itemIndex: i });
		recordHealth.call(this, session);
		return results;
	} catch (error) {
		// Only what the service answered (or failed to) says something about the connection.
		if (error instanceof NodeApiError || isReconnect(error)) recordHealth.call(this, session, error);
		throw fromSpec && credentials ? withScopesNamed(error, spec.requiredScopes, credentials) : error;
	}
}

async function sendOperation(
	this: IExecuteFunctions,
	session: Session,
	baseUrl: string,
	spec: OperationSpec,
	hooks: ServiceHooks,
	context: HookContext,
): Promise<INodeExecutionData[]> {
	const i = context.itemIndex;
	const built = await withFiles.call(this, buildRequest.call(this, baseUrl, spec, i), spec, i);
	const request = hooks.request ? hooks.request(built, context) : built;
	const items = (values: unknown[]) => {
		const json = values.map(toJson);
		return (hooks.items ? hooks.items(json, context) : json).map((value) => ({ json: value }));
	};
	if (spec.list) {
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', i, 50) as number);
		const options = this.getNodeParameter('pagination', i, {}) as ReadOptions;
		return items(await fetchPages.call(this, session, request, spec, limit, i, options));
	}
	if (spec.binaryResponse)
		return [
			await fileItem.call(
				this,
				await send.call(this, session, { ...request, json: false, encoding: 'arraybuffer' }),
			),
		];
	const response = await send.call(this, session, request, spec.graphql !== undefined);
	const body = readPath(response.body, spec.output);
	if (body === undefined || body === null || body === '')
		return [{ json: { success: true, statusCode: response.statusCode, ...locations(response) } }];
	return items(Array.isArray(body) ? body : [body]);
}

/** An empty answer's pointers to what it made or started (Graph's 202 Location of a team being created). */
function locations(response: Response): IDataObject {
	const { location, 'content-location': contentLocation } = response.headers;
	return { ...(location ? { location } : {}), ...(contentLocation ? { contentLocation } : {}) };
}

/** A file response as n8n binary data, named from Content-Disposition when the service gives one. */
async function fileItem(this: IExecuteFunctions, response: Response): Promise<INodeExecutionData> {
	const mimeType = (response.headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim();
	const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers['content-disposition'] ?? '')?.[1];
	const data = Buffer.from(response.body as ArrayBuffer);
	const binary = await this.helpers.prepareBinaryData(data, fileName && decodedName(fileName), mimeType);
	return {
		json: { statusCode: response.statusCode, mimeType, fileName: binary.fileName ?? null, fileSize: data.length },
		binary: { data: binary },
	};
}

/** A `filename*` is percent-encoded; a plain `filename` may hold a `%` that is just a character. */
function decodedName(name: string): string {
	try {
		return decodeURIComponent(name);
	} catch {
		return name;
	}
}

/** Errors the runtime built pass as they are; anything else is wrapped so n8n shows it against the node and item. */
function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

export function toJson(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: { value: value as IDataObject[string] };
}

async function credentialSecrets(this: IExecuteFunctions, table: IntegrationTable, i: number): Promise<string[]> {
	try {
		return (await connect.call(this, table, i)).session.errors.secrets;
	} catch {
		return [];
	}
}
