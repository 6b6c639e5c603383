/**
 * Every action, poll (twice: the second asks for what changed since) and webhook subscription (made,
 * then removed) of a catalog definition, run through the shared runtime as the generated nodes run
 * them (operation table, trigger specs, credential authentication, n8n's request function), once
 * per credential type, configured the way a user fills them from the vendor's reference
 * (scripts/roundtrip/configure.ts). The "API" is a loopback server that maps each request back to
 * the vendor's host and checks it against the description.
 */
import set from 'lodash/set';
import type { IExecuteFunctions, IHookFunctions, IPollFunctions } from 'n8n-workflow';
import { runOperations } from '../../nodes/shared/execute';
import { pollItems } from '../../nodes/shared/triggers/poll';
import { subscriptionMethods } from '../../nodes/shared/triggers/webhook';
import { requestAuth } from '../../scripts/emit/credentials';
import { operationTable } from '../../scripts/emit/table';
import { pollSpecs, webhookSpecs } from '../../scripts/emit/trigger';
import { CATALOG } from '../../scripts/generate';
import type { AuthVariant, Integration, Operation, PollingTrigger, WebhookTrigger } from '../../scripts/model/types';
import { configure, NOT_IN_SPEC } from '../../scripts/roundtrip/configure';
import { startFake } from '../fakes/server';
import { nodeContext } from '../security/context';
import { Validator, type Captured, type Checked, type Description } from './description';

export interface CheckedRequest extends Checked {
	/** `resource:operation`. */
	operation: string;
	/** The credential type's display name. */
	credential: string;
	method: string;
	url: string;
}

/** Values any credential field gets: what matters is where the credential puts them. */
const SECRETS = {
	apiKey: 'conformance-api-key',
	token: 'conformance-token',
	username: 'conformance-user',
	password: 'conformance-password',
};
const ACCESS_TOKEN = 'conformance-access-token';

export async function checkActions(
	integration: Integration,
	description: Description,
): Promise<{ requests: CheckedRequest[]; notRun: string[] }> {
	const table = operationTable(integration, CATALOG);
	const specPrefix = prefixOf(integration, description);
	const validator = new Validator(description, integration.conformance?.server);
	const requests: CheckedRequest[] = [];
	const notRun: string[] = [];
	let current: { operation: string; credential: string; answer?: Record<string, unknown> } = {
		operation: '',
		credential: '',
	};
	const api = await startFake(async (req) => {
		const captured: Captured = { ...req, url: vendorUrl(integration, new URL(req.url)) };
		const checked = await validator.check(captured);
		const { answer: made, ...run } = current;
		requests.push({ ...run, method: req.method, url: captured.url.toString(), ...checked });
		const { status, headers, body } = checked.answer;
		// A subscription the service made has an id (and secret) where the trigger reads them, so its removal runs too.
		const answer = made ? Object.entries(made).reduce((o, [path, value]) => set(o, path, value), {}) : (body ?? {});
		return { status, headers: { ...headers, 'content-type': 'application/json' }, body: answer };
	});
	try {
		const config = loopbackConfig(integration, api.url);
		// Granted everything: the check is of the requests, not of the scopes.
		const scopes = integration.resources
			.flatMap((r) => r.operations.flatMap((o) => o.requiredScopes ?? []))
			.join(' ');
		const polls = integration.triggers.filter((t): t is PollingTrigger => t.type !== 'webhook');
		const runs = [
			...integration.resources.flatMap((resource) =>
				resource.operations.map((op) => ({
					label: `${resource.name}:${op.name}`,
					resource,
					op,
					poll: undefined,
				})),
			),
			...polls.map((poll) => {
				const [resourceName, opName] = poll.operation.split(':');
				const resource = integration.resources.find((r) => r.name === resourceName);
				const op = resource?.operations.find((o) => o.name === opName);
				if (!resource || !op) throw new Error(`${poll.name} polls an unknown operation ${poll.operation}`);
				return { label: `trigger:${poll.name}`, resource, op, poll };
			}),
		];
		const hooks = integration.triggers.filter((t): t is WebhookTrigger => t.type === 'webhook' && !!t.subscribe);
		const hookSpecs = webhookSpecs(hooks, CATALOG);
		for (const [index, auth] of integration.auth.entries()) {
			if (auth.type === 'oauth1') continue;
			const credential = auth.displayName ?? auth.type;
			const credentials = {
				...config,
				...SECRETS,
				oauthTokenData: { access_token: ACCESS_TOKEN, scope: scopes },
			};
			const signed = { credentials, auth: signer(auth, table.auth[index].oauth2?.tokenType) };
			for (const hook of hooks) {
				const create = hook.subscribe?.create;
				const answer = {
					...(create?.idPath ? { [create.idPath]: 1001 } : {}),
					...(create?.secretPath ? { [create.secretPath]: 'conformance-signing-secret' } : {}),
				};
				current = { operation: `trigger:${hook.name}`, credential, answer };
				const before = requests.length;
				const properties = (hookSpecs[hook.name].parameters ?? []).map((p) => [p.property, 'sample']);
				const { context } = nodeContext<IHookFunctions>({
					...signed,
					parameters: {
						trigger: hook.name,
						events: hook.events.map((e) => e.value),
						authentication: table.auth[index].option,
						...Object.fromEntries(properties),
					},
					webhookUrl: 'https://n8n.example.com/webhook/conformance',
				});
				const methods = subscriptionMethods(table, hookSpecs).default;
				const error = await methods.create
					.call(context)
					.then(() => methods.delete.call(context))
					.then(
						() => undefined,
						(e: Error) => e.message,
					);
				if (requests.length === before) notRun.push(`${current.operation}: sent no request (${error})`);
			}
			for (const { label, resource, op, poll } of runs) {
				current = { operation: label, credential };
				const path = `${specPrefix}${op.path}`;
				const asSpec: Operation = { ...op, path: validator.template(path) ?? path };
				const configured = configure(description.doc, resource.name, asSpec);
				// An operation the description lacks still runs: its request gets the validator's finding.
				if (configured.skip && configured.skip !== NOT_IN_SPEC) {
					notRun.push(`${label}: ${configured.skip}`);
					continue;
				}
				const before = requests.length;
				const { context } = nodeContext<IExecuteFunctions & IPollFunctions>({
					parameters: {
						...configured.parameters,
						...(op.list ? { returnAll: false, limit: 1 } : {}),
						...(poll ? { event: poll.name } : {}),
						authentication: table.auth[index].option,
					},
					...signed,
				});
				// A poll twice: the first finds where to start, the second asks for what changed since.
				const run = poll
					? async () => {
							await pollItems.call(context, table, pollSpecs(polls));
							await pollItems.call(context, table, pollSpecs(polls));
						}
					: () => runOperations.call(context, table);
				const error = await run().then(
					() => undefined,
					(e: Error) => e.message,
				);
				if (requests.length === before) notRun.push(`${label}: sent no request (${error})`);
			}
		}
	} finally {
		await api.close();
	}
	return { requests, notRun };
}

/** What the credential adds to a request; OAuth2 as n8n's signer does it with a stored token. */
function signer(auth: AuthVariant, tokenType = 'Bearer') {
	if (auth.type === 'oauth2') return { headers: { Authorization: `${tokenType} ${ACCESS_TOKEN}` } };
	return requestAuth(auth) ?? {};
}

/**
 * Config fields that hold a URL point at the loopback server, each under its own first path segment
 * (`/apiUrl/api`), so a request maps back to the field's default host; other fields keep their default.
 */
function loopbackConfig(integration: Integration, loopback: string): Record<string, string> {
	return Object.fromEntries(
		integration.config.map((field) => {
			const value = field.default ?? '';
			if (!/^https?:\/\//.test(value)) return [field.name, value];
			return [field.name, `${loopback}/${field.name}${new URL(value).pathname.replace(/\/$/, '')}`];
		}),
	);
}

function vendorUrl(integration: Integration, local: URL): URL {
	const [, field, ...rest] = local.pathname.split('/');
	const host = new URL(integration.config.find((c) => c.name === field)?.default ?? 'http://unmapped.invalid');
	return new URL(`${host.origin}/${rest.join('/')}${local.search}`);
}

/** The base URL's path beyond the description's server (Stripe: `/v1` under `https://api.stripe.com/`). */
function prefixOf(integration: Integration, description: Description): string {
	const base = integration.baseUrl.replace(/\{(\w+)\}/g, (_, name: string) => {
		return integration.config.find((c) => c.name === name)?.default ?? '';
	});
	const servers = [
		...((description.doc.servers ?? []) as Array<{ url: string }>).map((s) => s.url),
		...(integration.conformance?.server ? [integration.conformance.server] : []),
	];
	const server = servers.map((s) => s.replace(/\/+$/, '')).find((s) => base.startsWith(s));
	return server === undefined ? '' : base.slice(server.length);
}
