/**
 * The Custom API credential's Test: the spec's findings (each at its JSON pointer, with what to
 * do), the admin's settings, then one GET to the API with the credential to check the auth.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INodeCredentialTestResult } from 'n8n-workflow';
import type { Finding } from '../../scripts/validate/finding';
import { authenticateCustomApi, extraHeaders } from './authenticate';
import { compileCredentialSpec, fetchDownload } from './spec-source';
import { baseUrlOf, settingProblems, type SettingProblem } from './settings';

const TIMEOUT_MS = 15_000;
/** Findings the message lists; the count of the rest follows. */
const SHOWN = 8;

export async function testCustomApi(
	credentials: ICredentialDataDecryptedObject,
	oauth2 = false,
): Promise<INodeCredentialTestResult> {
	const compiled = await compileCredentialSpec(credentials, fetchDownload, true);
	const errors = compiled.findings.filter((f) => f.severity === 'error');
	if (!compiled.table || errors.length)
		return fail(`The spec cannot be used: ${listed(errors.length ? errors : compiled.findings)}`);
	const path = checkPath(credentials, compiled.table.connectionTest?.path);
	const problems = [...settingProblems(credentials, compiled.table), ...('message' in path ? [path] : [])];
	if (problems.length) return fail(problems.map((p) => `${p.message}: ${p.fix}`).join('; '));
	const url = baseUrlOf(credentials, compiled.table) + (path as { path: string }).path;
	const headers = oauth2
		? bearerHeaders(credentials)
		: await authenticatedHeaders(credentials, { url, headers: { Accept: 'application/json' } });
	// Before the admin connects there is no token to check: the spec and settings are.
	if (!headers)
		return {
			status: 'OK',
			message: `The spec and settings are usable; connect to sign in.${noteOf(compiled.findings)}`,
		};
	// A credential test gets only the deprecated `request` helper; fetch, not following redirects, keeps the
	// credential on the API's origin.
	let status: number;
	try {
		status = (await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) })).status;
	} catch (e) {
		return fail(`GET ${url} failed: ${(e as Error).message}. Check API Base URL and that n8n can reach the API.`);
	}
	if (status === 401 || status === 403)
		return fail(
			`The API refused the credential (GET ${url} answered ${status}): check the key or password and how it is sent (header name, preamble)`,
		);
	if (status >= 300)
		return fail(`GET ${url} answered ${status}: pick a Test Endpoint that answers GET without parameters`);
	return { status: 'OK', message: `Connection tested successfully.${noteOf(compiled.findings)}` };
}

function noteOf(findings: Finding[]): string {
	const warnings = findings.filter((f) => f.severity === 'warning');
	return warnings.length ? ` The spec has ${warnings.length} finding(s) to fix: ${listed(warnings)}` : '';
}

async function authenticatedHeaders(
	credentials: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
): Promise<Record<string, string>> {
	const authenticated = await authenticateCustomApi(credentials, request);
	const headers = { ...(authenticated.headers as Record<string, string>) };
	if (authenticated.auth) {
		const { username, password } = authenticated.auth;
		headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
	}
	return headers;
}

/** An OAuth2 credential's access token as n8n's signer sends it, once the admin has connected. */
function bearerHeaders(credentials: ICredentialDataDecryptedObject): Record<string, string> | undefined {
	const token = (credentials.oauthTokenData as { access_token?: unknown } | undefined)?.access_token;
	if (typeof token !== 'string' || !token) return undefined;
	return { ...extraHeaders(credentials), Accept: 'application/json', Authorization: `Bearer ${token}` };
}

/** The path the test calls: the admin's, else the spec's first safe GET. */
function checkPath(
	credentials: ICredentialDataDecryptedObject,
	fromSpec: string | undefined,
): { path: string } | SettingProblem {
	const given = String(credentials.testPath ?? '').trim();
	if (given && (!given.startsWith('/') || given.startsWith('//')))
		return { message: `the Test Endpoint "${given}" is not a path`, fix: 'write a path on the API, e.g. /me' };
	const path = given || fromSpec;
	return path
		? { path }
		: {
				message: 'the spec has no GET without required parameters to test with',
				fix: 'set Test Endpoint, e.g. /me',
			};
}

function listed(findings: Finding[]): string {
	const shown = findings.slice(0, SHOWN).map((f) => `${f.pointer || '/'}: ${f.message} (${f.fix})`);
	const more = findings.length > SHOWN ? `; and ${findings.length - SHOWN} more` : '';
	return shown.join('; ') + more;
}

function fail(message: string): INodeCredentialTestResult {
	return { status: 'Error', message };
}
