import { pascalCase } from '../model/naming';
import type { Integration, PollingTrigger, TriggerFilterField, WebhookTrigger } from '../model/types';
import {
	CONNECTION_EVENT,
	FILTERS_PROPERTY,
	type PollTriggerSpec,
	type TriggerFilter,
	type WebhookTriggerSpec,
} from '../../nodes/shared/triggers/types';
import type { EmittedFile } from './files';
import { sortByLabel, sortedOptions } from './hints';
import { code, Expression, header, literal, n8nLiteral } from './literal';
import { labelled, nodeFolder, type Namespace } from './names';
import {
	eventLocationProperties,
	signatureProperties,
	signingCredentialFile,
	signingCredentialName,
} from './signature-properties';
import { authenticationProperty, credentials, field, isHidden } from './node';

type Property = Record<string, unknown>;

/**
 * The integration's trigger nodes: `<Service>Trigger` for webhook triggers, `<Service>PollingTrigger`
 * for polling ones and `<Service>ScheduledTrigger` for scheduled ones (n8n runs a node as a webhook,
 * a poller or a trigger with its own timer, so the kinds cannot share one). All are data over
 * nodes/shared/triggers.
 */
export function emitTriggers(
	integration: Integration,
	source: string,
	iconFiles: { light: string; dark: string },
	ns: Namespace,
): EmittedFile[] {
	const webhooks = integration.triggers.filter((t): t is WebhookTrigger => t.type === 'webhook');
	const polls = integration.triggers.filter((t): t is PollingTrigger => t.type === 'polling');
	const scheduled = integration.triggers.filter((t): t is PollingTrigger => t.type === 'scheduled');
	const signing = webhooks.some(userDescribed)
		? [signingCredentialFile(ns, `../nodes/${nodeFolder(integration)}`, iconFiles, source)]
		: [];
	return [
		...(webhooks.length ? [webhookNode(integration, source, { iconFiles, ns }, webhooks)] : []),
		...signing,
		...(polls.length || watchesConnection(integration)
			? [pollingNode(integration, source, { iconFiles, ns }, polls, 'polling')]
			: []),
		...(scheduled.length ? [pollingNode(integration, source, { iconFiles, ns }, scheduled, 'scheduled')] : []),
	];
}

/**
 * A service with a credential to lose: its polling trigger node also offers Connection Status
 * Changed (nodes/shared/triggers/connection-watch.ts), so it has one even without polling triggers.
 */
function watchesConnection(integration: Integration): boolean {
	return integration.auth.some((a) => a.type !== 'none');
}

/** The polling node's Connection Status Changed option. */
const CONNECTION_OPTION = {
	name: 'Connection Status Changed',
	value: CONNECTION_EVENT,
	description:
		"The credential's connection test starts failing (expired, error) or works again; the Poll Times are how often it runs",
};

/** Where a trigger node goes: its icons and the package's namespace. */
interface Target {
	iconFiles: { light: string; dark: string };
	ns: Namespace;
}

function common(
	integration: Integration,
	{ iconFiles, ns }: Target,
	displayName: string,
	name: string,
	description: string,
): Property {
	return {
		displayName: labelled(ns, displayName) + (integration.status === 'deprecated' ? ' (Deprecated)' : ''),
		name,
		icon: { light: `file:${iconFiles.light}`, dark: `file:${iconFiles.dark}` },
		group: ['trigger'],
		version: 1,
		description,
		defaults: { name: displayName },
		...(isHidden(integration) ? { hidden: true } : {}),
		inputs: [],
		outputs: [code('NodeConnectionTypes.Main')],
		credentials: credentials(integration, ns),
	};
}

/** What the webhook trigger node hands the runtime, keyed by the trigger's name. */
export function webhookSpecs(triggers: WebhookTrigger[], ns: Namespace): Record<string, WebhookTriggerSpec> {
	return Object.fromEntries(
		triggers.map((t) => [
			t.name,
			{
				displayName: t.displayName,
				events: t.events.map((e) => e.value),
				eventPath: t.eventPath,
				eventHeader: t.eventHeader,
				itemsPath: t.itemsPath,
				eventFilters: eventFilters(t),
				parameters: t.parameters.length
					? t.parameters.map((p) => ({ name: p.name, property: String(field(p, true).name) }))
					: undefined,
				subscribe: t.subscribe,
				signature: t.signature,
				challenge: t.challenge,
				userDescribed: userDescribed(t)
					? { credential: signingCredentialName(ns), eventLocation: needsEventLocation(t) }
					: undefined,
				filters: filterSpecs(t.filters),
			},
		]),
	);
}

function webhookNode(
	integration: Integration,
	source: string,
	target: Target,
	triggers: WebhookTrigger[],
): EmittedFile {
	const className = `${pascalCase(integration.name)}Trigger`;
	const specs = webhookSpecs(triggers, target.ns);
	const described = triggers.filter(userDescribed);
	const whenDescribed = (pick: (t: WebhookTrigger) => boolean): Record<string, string[]> =>
		triggers.length > 1 ? { trigger: triggers.filter(pick).map((t) => t.name) } : {};
	const show = (t: WebhookTrigger) =>
		triggers.length > 1 ? { displayOptions: { show: { trigger: [t.name] } } } : {};
	const description = {
		...common(
			integration,
			target,
			`${integration.displayName} Trigger`,
			`${integration.name}Trigger`,
			`Starts the workflow when ${integration.displayName} sends an event`,
		),
		...(described.length ? { credentials: [...credentials(integration, target.ns), signingCredential()] } : {}),
		subtitle: new Expression('={{"On " + [].concat($parameter["events"]).join(", ")}}'),
		webhooks: [
			// Trello checks the callback URL with a HEAD before it subscribes: n8n registers webhooks in this order and
			// subscribes while registering 'default', so the HEAD webhook must come first to be live by then.
			...(triggers.some((t) => t.challenge?.method === 'HEAD')
				? [{ name: 'setup', httpMethod: 'HEAD', responseMode: 'onReceived', path: 'webhook' }]
				: []),
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			...authenticationProperty(integration),
			...(triggers.length > 1
				? [
						{
							displayName: 'Trigger',
							name: 'trigger',
							type: 'options',
							noDataExpression: true,
							options: sortedOptions(
								triggers.map((t) => ({
									name: t.displayName,
									value: t.name,
									description: t.description,
								})),
							),
							default: triggers[0].name,
						},
					]
				: []),
			...triggers.flatMap((t) => t.parameters.map((p) => ({ ...field(p, true), ...show(t) }))),
			...triggers.map((t) => ({
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: sortedOptions(t.events.map((e) => ({ name: e.name, value: e.value }))),
				default: t.events.map((e) => e.value),
				description: 'Events that start the workflow',
				...show(t),
			})),
			...triggers.flatMap((t) => onlyWhenProperty(t.filters, show(t))),
			...(triggers.some(needsEventLocation) ? eventLocationProperties(whenDescribed(needsEventLocation)) : []),
			...(described.length ? signatureProperties(whenDescribed(userDescribed)) : []),
		],
	};
	function signingCredential() {
		const when = { verification: ['hmac'], ...whenDescribed(userDescribed) };
		const name = signingCredentialName(target.ns);
		return { name, required: true, testedBy: 'testSigningSecret', displayOptions: { show: when } };
	}
	const content = `${header(source)}import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import type { WebhookTriggerSpec } from '../shared/triggers/types';
import { receiveEvent, subscriptionMethods } from '../shared/triggers/webhook';
${described.length ? "import { testSigningSecret } from '../shared/triggers/node-signature';\n" : ''}${importTable(integration)}

const triggers: Record<string, WebhookTriggerSpec> = ${literal(specs)};

export class ${className} implements INodeType {
	description: INodeTypeDescription = ${n8nLiteral(description, '\t')};
${described.length ? '\n\tmethods = { credentialTest: { testSigningSecret } };\n' : ''}
	webhookMethods = subscriptionMethods(table, triggers);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveEvent.call(this, table, triggers);
	}
}
`;
	return { path: `nodes/${nodeFolder(integration)}/${className}.node.ts`, content };
}

/**
 * A trigger whose definition says neither how to subscribe nor how deliveries are signed (OpenAPI
 * `webhooks` and callbacks): the user registers the URL and describes the signature in the node.
 */
function userDescribed(trigger: WebhookTrigger): boolean {
	return !trigger.subscribe && !trigger.signature;
}

/** Such a trigger with several events and no known event field: the user says where deliveries name their event. */
function needsEventLocation(trigger: WebhookTrigger): boolean {
	return userDescribed(trigger) && !trigger.eventPath && !trigger.eventHeader && trigger.events.length > 1;
}

/** Event options that stand for another service event or need body values, keyed by option value. */
function eventFilters(trigger: WebhookTrigger): WebhookTriggerSpec['eventFilters'] {
	const filters = trigger.events.filter(
		(e) => e.event !== undefined || e.when !== undefined || e.present !== undefined,
	);
	return filters.length
		? Object.fromEntries(filters.map((e) => [e.value, { event: e.event, when: e.when, present: e.present }]))
		: undefined;
}

/** What the polling trigger node hands the runtime, keyed by the trigger's name. */
export function pollSpecs(triggers: PollingTrigger[]): Record<string, PollTriggerSpec> {
	return Object.fromEntries(
		triggers.map((t) => [
			t.name,
			{
				displayName: t.displayName,
				operation: t.operation,
				dedupe: t.dedupe,
				since: t.since,
				firstRun: t.firstRun,
				when: t.when,
				filters: filterSpecs(t.filters),
			},
		]),
	);
}

function pollingNode(
	integration: Integration,
	source: string,
	target: Target,
	triggers: PollingTrigger[],
	kind: 'polling' | 'scheduled',
): EmittedFile {
	const scheduled = kind === 'scheduled';
	const className = `${pascalCase(integration.name)}${scheduled ? 'Scheduled' : 'Polling'}Trigger`;
	const specs = pollSpecs(triggers);
	const show = (t: PollingTrigger) => ({ displayOptions: { show: { event: [t.name] } } });
	const events = [
		...triggers.map((t) => ({ name: t.displayName, value: t.name, description: t.description })),
		...(!scheduled && watchesConnection(integration) ? [CONNECTION_OPTION] : []),
	];
	const watchOnly = !triggers.length;
	const description = {
		...common(
			integration,
			target,
			`${integration.displayName} ${scheduled ? 'Scheduled' : 'Polling'} Trigger`,
			`${integration.name}${scheduled ? 'Scheduled' : 'Polling'}Trigger`,
			scheduled
				? `Starts the workflow with what is new in ${integration.displayName}, at the fixed times of a schedule`
				: watchOnly
					? `Starts the workflow when the connection to ${integration.displayName} fails or works again, checked at the Poll Times`
					: `Starts the workflow when ${integration.displayName} has new items, checked at the Poll Times`,
		),
		subtitle: new Expression('={{"On " + $parameter["event"]}}'),
		...(scheduled ? {} : { polling: true }),
		properties: [
			...authenticationProperty(integration),
			{
				displayName: 'Trigger On',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: sortedOptions(events),
				default: events[0].value,
			},
			...(scheduled
				? triggers.map((t) => ({
						displayName: 'Schedule (Cron)',
						name: 'schedule',
						type: 'string',
						required: true,
						default: t.schedule,
						placeholder: '0 8 * * 1-5',
						description:
							"When to look for new items: minute hour day-of-month month day-of-week (an optional seconds field may come first), in the workflow's time zone. Nothing runs at activation.",
						...show(t),
					}))
				: []),
			...(watchOnly ? [] : firstRunProperties(triggers, scheduled, events.length > triggers.length)),
			...triggers.flatMap((t) => filterProperties(integration, t)),
			...triggers.flatMap((t) => onlyWhenProperty(t.filters, show(t))),
		],
	};
	// A polled operation's looked-up fields pick from the same lists as the action node's, over its table.
	const lookups = triggers.some((t) => polledOperation(integration, t)?.parameters.some((p) => p.lookup));
	const [context, method, runtime, result] = scheduled
		? ['ITriggerFunctions', 'trigger', 'scheduleItems', 'ITriggerResponse']
		: ['IPollFunctions', 'poll', 'pollItems', 'INodeExecutionData[][] | null'];
	const types = scheduled
		? 'INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse'
		: 'INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions';
	const content = `${header(source)}import type { ${types} } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
${lookups ? "import { lookupMethods } from '../shared/lookup';\n" : ''}import { ${runtime} } from '../shared/triggers/${scheduled ? 'schedule' : 'poll'}';
import type { PollTriggerSpec } from '../shared/triggers/types';
${importTable(integration)}

const triggers: Record<string, PollTriggerSpec> = ${literal(specs)};

export class ${className} implements INodeType {
	description: INodeTypeDescription = ${n8nLiteral(description, '\t')};
${lookups ? '\n\tmethods = lookupMethods(table);\n' : ''}
	async ${method}(this: ${context}): Promise<${result}> {
		return await ${runtime}.call(this, table, triggers);
	}
}
`;
	return { path: `nodes/${nodeFolder(integration)}/${className}.node.ts`, content };
}

/** On First Poll (Run) and its count; beside Connection Status Changed, shown only for the definition's triggers. */
function firstRunProperties(triggers: PollingTrigger[], scheduled: boolean, besideConnection: boolean): Property[] {
	const first = triggers[0].firstRun;
	const only = besideConnection ? { event: triggers.map((t) => t.name) } : {};
	return [
		{
			displayName: scheduled ? 'On First Run' : 'On First Poll',
			name: 'firstPoll',
			type: 'options',
			options: [
				{
					name: 'Emit Nothing, Start From Now',
					value: 'none',
					description: 'Remember what exists and emit only items that appear later',
				},
				{
					name: 'Emit the Newest Items',
					value: 'latest',
					description: 'Also emit the newest existing items once',
				},
			],
			default: first.emit,
			...(besideConnection ? { displayOptions: { show: only } } : {}),
		},
		{
			displayName: 'Number of Items',
			name: 'firstPollCount',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: first.count,
			displayOptions: { show: { ...only, firstPoll: ['latest'] } },
		},
	];
}

/** Triggers share the action node's table (auth, base URL, rate limits, the polled operations). */
function importTable(integration: Integration): string {
	return `import { table } from './${pascalCase(integration.name)}.node';\n`;
}

/** The operation a polling trigger reads (`resource:operation`). */
function polledOperation(integration: Integration, trigger: PollingTrigger) {
	const [resource, operation] = trigger.operation.split(':');
	return integration.resources.find((r) => r.name === resource)?.operations.find((o) => o.name === operation);
}

/** The polled operation's parameters: required ones as fields, optional ones under Filters. */
function filterProperties(integration: Integration, trigger: PollingTrigger): Property[] {
	const op = polledOperation(integration, trigger);
	if (!op) return [];
	const show = { displayOptions: { show: { event: [trigger.name] } } };
	// A parameter the trigger writes itself (a query-language `since.template`) gets no field.
	const params = trigger.since?.template
		? op.parameters.filter((p) => p.name !== trigger.since?.param)
		: op.parameters;
	const optional = params.filter((p) => !p.required);
	return [
		...params.filter((p) => p.required && p.const === undefined).map((p) => ({ ...field(p, true), ...show })),
		...(optional.length
			? [
					{
						displayName: 'Filters',
						name: 'additionalFields',
						type: 'collection',
						placeholder: 'Add Filter',
						default: {},
						...show,
						options: sortByLabel(
							optional.map((p) => field(p, false)),
							(o) => String(o.displayName),
						),
					},
				]
			: []),
	];
}

/** What the runtime needs of a trigger's filters (the node shows the rest). */
function filterSpecs(filters: TriggerFilterField[]): TriggerFilter[] | undefined {
	return filters.length ? filters.map(({ displayName: _shown, description: _about, ...spec }) => spec) : undefined;
}

/** The Only When collection: one comma-separated field per filter the definition declares. */
function onlyWhenProperty(filters: TriggerFilterField[], show: Property): Property[] {
	if (!filters.length) return [];
	return [
		{
			displayName: 'Only When',
			name: FILTERS_PROPERTY,
			type: 'collection',
			placeholder: 'Add Condition',
			default: {},
			description: 'Start the workflow only for items that meet these conditions',
			...show,
			options: sortByLabel(
				filters.map((f) => ({
					displayName: f.displayName,
					name: f.name,
					type: 'string',
					default: '',
					description:
						f.description ?? `${f.match === 'all' ? 'All' : 'Any'} of these values, comma-separated`,
				})),
				(o) => String(o.displayName),
			),
		},
	];
}
