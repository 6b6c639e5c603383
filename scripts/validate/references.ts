import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { authList, placeholders, type RawDefinition } from '../model/definition';
import { pointerOf, type Finding } from './finding';
import { lookupFindings } from './lookups';
import { triggerFindings } from './triggers';
import { overlap, versionFindings } from './versions';

type Located = Omit<Finding, 'file' | 'line' | 'column'>;

/** Checks what the schema cannot: every name a definition uses is defined somewhere. */
export function referenceFindings(raw: RawDefinition, folder: string): Located[] {
	const findings: Located[] = [];
	const error = (path: Array<string | number>, rule: string, message: string, fix: string) =>
		findings.push({ pointer: pointerOf(path), severity: 'error', rule, message, fix });
	const warn = (path: Array<string | number>, rule: string, message: string, fix: string) =>
		findings.push({ pointer: pointerOf(path), severity: 'warning', rule, message, fix });

	const configNames = new Set((raw.config ?? []).map((c) => c.name));
	const templated: Array<[Array<string | number>, string]> = [[['baseUrl'], raw.baseUrl]];
	const auths = authList(raw);
	auths.forEach((a, i) => {
		const at = Array.isArray(raw.auth) ? ['auth', i] : ['auth'];
		const urls: Record<string, unknown> = a;
		for (const key of ['tokenUrl', 'authorizationUrl', 'requestTokenUrl', 'accessTokenUrl']) {
			if (typeof urls[key] === 'string') templated.push([[...at, key], urls[key]]);
		}
	});
	for (const [path, template] of templated) {
		for (const name of placeholders(template)) {
			if (!configNames.has(name)) {
				error(
					path,
					'undefined-config-field',
					`"{${name}}" is not a config field`,
					`add \`config: [{ name: ${name} }]\` or fix the placeholder`,
				);
			}
		}
	}

	const variants = auths.map((a) => a.type);
	if (new Set(variants).size !== variants.length && !auths.every((a) => a.type === 'oauth2')) {
		error(
			['auth'],
			'duplicate-auth',
			'the same auth type is listed twice',
			'keep one variant per auth type (OAuth2 may repeat with different grant types)',
		);
	}
	const grants = auths.filter((a) => a.type === 'oauth2').map((a) => (a.grantType as string) ?? 'authorizationCode');
	if (new Set(grants).size !== grants.length) {
		error(
			['auth'],
			'duplicate-auth',
			'two OAuth2 variants use the same grant type',
			'give each OAuth2 variant a different grantType',
		);
	}
	auths.forEach((a, i) => {
		if (a.type === 'oauth2' && a.grantType !== 'clientCredentials' && !a.authorizationUrl) {
			error(
				Array.isArray(raw.auth) ? ['auth', i] : ['auth'],
				'missing-authorization-url',
				`grant type ${String(a.grantType ?? 'authorizationCode')} needs an authorization URL`,
				'add `authorizationUrl:` (the consent page)',
			);
		}
	});

	const declaredScopes = new Set(
		auths.flatMap((a) => (a.type === 'oauth2' ? Object.keys((a.scopes as object) ?? {}) : [])),
	);
	auths.forEach((a, i) => {
		if (a.type !== 'oauth2') return;
		for (const [broad, narrower] of Object.entries((a.scopeIncludes as Record<string, string[]>) ?? {})) {
			for (const scope of [broad, ...narrower]) {
				if (!declaredScopes.has(scope))
					error(
						[...(Array.isArray(raw.auth) ? ['auth', i] : ['auth']), 'scopeIncludes', broad],
						'undefined-scope',
						`scope "${scope}" is not declared in the OAuth2 auth's scopes`,
						`add \`${scope}: <what it allows>\` under auth.scopes`,
					);
			}
		}
	});
	const hasOAuth2 = auths.some((a) => a.type === 'oauth2');
	if (!raw.connectionTest && auths.some((a) => a.type !== 'none')) {
		warn(
			[],
			'no-connection-test',
			"no connectionTest: the credential's Test button and Connection → Check cannot verify access",
			'add `connectionTest: { path: /me }` (any cheap authenticated GET)',
		);
	}

	const listOps = new Set<string>();
	for (const [resource, r] of Object.entries(raw.resources)) {
		for (const [operation, op] of Object.entries(r.operations)) {
			const at = ['resources', resource, 'operations', operation];
			const params = [
				...(op.parameters ?? []).map((p) => ({ ...p, in: p.in ?? 'query' })),
				...(op.body?.fields ?? []).map((p) => ({ ...p, in: 'body' as const })),
			];
			const pathParams = new Set(params.filter((p) => p.in === 'path').map((p) => p.name));
			for (const name of placeholders(op.path)) {
				if (!pathParams.has(name))
					error(
						[...at, 'path'],
						'undefined-path-parameter',
						`path parameter "{${name}}" has no definition`,
						`add \`- { name: ${name}, in: path }\` to parameters`,
					);
			}
			for (const name of pathParams) {
				if (!placeholders(op.path).includes(name))
					error(
						[...at, 'parameters'],
						'unused-path-parameter',
						`path parameter "${name}" does not appear in the path ${op.path}`,
						`put {${name}} in the path or change its \`in\``,
					);
			}
			params.forEach((p, i) => {
				if (params.slice(0, i).some((q) => q.in === p.in && q.name === p.name && overlap(p, q)))
					error(
						[...at, 'parameters'],
						'duplicate-parameter',
						`parameter "${p.name}" in ${p.in} is declared twice`,
						'remove one of them, or end the old one with `until` and start the new one with `since`',
					);
			});
			if (op.body && ['GET', 'HEAD', 'DELETE'].includes(op.method)) {
				warn(
					[...at, 'body'],
					'body-on-get',
					`${op.method} requests rarely carry a body`,
					'move the fields to query parameters unless the API documents a body',
				);
			}
			if (op.path.length > 1 && op.path.endsWith('/')) {
				error(
					[...at, 'path'],
					'path-trailing-slash',
					'path must not end with a slash',
					`write ${op.path.replace(/\/+$/, '')}`,
				);
			}
			(op.requiredScopes ?? []).forEach((scope, i) => {
				if (!hasOAuth2)
					warn(
						[...at, 'requiredScopes', i],
						'scope-without-oauth2',
						`scope "${scope}" is required but no auth variant is OAuth2`,
						'add an oauth2 auth variant or remove requiredScopes',
					);
				else if (!declaredScopes.has(scope))
					error(
						[...at, 'requiredScopes', i],
						'undefined-scope',
						`scope "${scope}" is not declared in the OAuth2 auth's scopes`,
						`add \`${scope}: <what it allows>\` under auth.scopes`,
					);
			});
			const list = op.list ?? operation === 'getAll';
			if (list) listOps.add(`${resource}:${operation}`);
			if (!list && op.pagination)
				warn(
					[...at, 'pagination'],
					'pagination-on-single',
					'pagination is set on an operation that is not a list',
					'set `list: true` or remove pagination',
				);
		}
	}

	(raw.triggers ?? []).forEach((t, i) => {
		if (t.type !== 'webhook' && t.operation && !listOps.has(t.operation)) {
			error(
				['triggers', i, 'operation'],
				'undefined-operation',
				`"${t.operation}" is not a list operation of this integration`,
				`use one of: ${[...listOps].join(', ') || '(no list operations yet)'}`,
			);
		}
	});

	findings.push(...triggerFindings(raw), ...versionFindings(raw), ...lookupFindings(raw));

	const icons = typeof raw.icon === 'string' ? { light: raw.icon } : raw.icon;
	for (const [key, file] of Object.entries(icons ?? {})) {
		if (file && !existsSync(join(folder, file)))
			error(
				['icon', ...(typeof raw.icon === 'string' ? [] : [key])],
				'missing-icon',
				`icon file ${file} does not exist next to the definition`,
				`add ${file} or remove the icon key to get a generated one`,
			);
	}
	return findings;
}
