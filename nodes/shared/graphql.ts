import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import type { FailedResponse } from './errors';

/**
 * GraphQL over HTTP: every call is `POST { query, variables }`, and a service answers failures in
 * an `errors` list — often with status 200 — whose `extensions.code` says what went wrong. These
 * codes become the HTTP statuses the rest of the runtime already acts on (401 reconnect, 403
 * scope, 404 IDs, 429 wait and retry), so a GraphQL operation fails and retries like a REST one.
 */
const CODE_STATUS: Record<string, number> = {
	UNAUTHENTICATED: 401,
	AUTHENTICATION_ERROR: 401,
	FORBIDDEN: 403,
	INSUFFICIENT_SCOPE: 403,
	NOT_FOUND: 404,
	ENTITY_NOT_FOUND: 404,
	RATELIMITED: 429,
	RATE_LIMITED: 429,
};

/** The request body of a GraphQL call. */
export function graphqlBody(query: string, variables: IDataObject): IDataObject {
	return { query, variables };
}

/** Puts `values` into the call's variables (GraphQL) or its query string (REST). */
export function withParameters(
	request: IHttpRequestOptions,
	values: IDataObject,
	graphql: boolean,
): IHttpRequestOptions {
	if (!graphql) return { ...request, qs: { ...request.qs, ...values } };
	const body = (request.body ?? {}) as IDataObject;
	return { ...request, body: { ...body, variables: { ...((body.variables as IDataObject) ?? {}), ...values } } };
}

/**
 * The failure a GraphQL answer reports, or undefined when it has no `errors`. The status comes
 * from the first error's `extensions.code` (or `extensions.statusCode`), else the HTTP status,
 * else 400; a 200 with errors is never a success.
 */
export function graphqlFailure(
	status: number | undefined,
	headers: Record<string, string>,
	body: unknown,
	message = 'GraphQL error',
): FailedResponse | undefined {
	const errors = (body as { errors?: unknown } | undefined)?.errors;
	if (!Array.isArray(errors) || errors.length === 0) return undefined;
	const extensions = ((errors[0] as { extensions?: { code?: unknown; statusCode?: unknown } }).extensions ?? {}) as {
		code?: unknown;
		statusCode?: unknown;
	};
	const code = typeof extensions.code === 'string' ? extensions.code.toUpperCase() : undefined;
	const said = String((errors[0] as { message?: unknown }).message ?? '');
	// Linear answers an unknown id with `Entity not found: <Type>` under a generic input-error code.
	const mapped =
		(code ? CODE_STATUS[code] : undefined) ??
		(/^entity not found/i.test(said) ? 404 : undefined) ??
		(typeof extensions.statusCode === 'number' ? extensions.statusCode : undefined);
	return { status: mapped ?? (status && status >= 400 ? status : 400), headers, body: { errors }, message };
}
