import type { FailedResponse } from './errors';
import { readPath } from './paths';
import type { BodyErrors } from './types';

/**
 * Services such as Slack answer every call with HTTP 200 and say in the body whether it worked
 * (`{ ok: false, error: "missing_scope", needed: "chat:write" }`). Such an answer becomes the
 * failure of the HTTP status its error code stands for, so it gets the same error that says what
 * to do (401 reconnect, 403 scope, 404 IDs) and a rate-limit code is retried like a 429.
 */
export function bodyFailure(
	spec: BodyErrors | undefined,
	status: number,
	headers: Record<string, string>,
	body: unknown,
): FailedResponse | undefined {
	if (!spec || !body || typeof body !== 'object' || readPath(body, spec.successPath) !== false) return undefined;
	const code = spec.codePath ? readPath(body, spec.codePath) : undefined;
	const detail = spec.detailPath ? readPath(body, spec.detailPath) : undefined;
	const said = [
		typeof code === 'string' ? code : 'request failed',
		detail !== undefined && detail !== null && detail !== '' ? `(${spec.detailPath}: ${String(detail)})` : '',
	]
		.filter(Boolean)
		.join(' ');
	const mapped = typeof code === 'string' ? spec.statuses?.[code] : undefined;
	return { status: mapped ?? (status >= 400 ? status : 400), headers, body: { message: said }, message: said };
}
