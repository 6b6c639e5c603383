import type { IDataObject, INodeExecutionData, IPollFunctions, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { toJson } from '../execute';
import { fetchPages } from '../pagination';
import { hasValues } from '../paths';
import { buildRequest } from '../request';
import { connect, onBase } from '../session';
import type { IntegrationTable } from '../types';
import { watchConnection } from './connection-watch';
import { asRequestContext } from './context';
import { selectNew, type Cursor, type Selection } from './dedupe';
import { passesFilters } from './filters';
import { CONNECTION_EVENT, FILTERS_PROPERTY, type FirstRunPolicy, type PollTriggerSpec, type SinceSpec } from './types';

/** Items a manual "Fetch Test Event" looks at to pick its sample. */
const SAMPLE_SCAN = 100;

/** Polls in progress in this process, by workflow and node. */
const running = new Set<string>();

/**
 * The `poll` of every generated polling trigger: lists every page of the operation, emits the
 * items the cursor has not seen, and stores a cursor that covers exactly those. A failed request
 * throws before the cursor changes, so the next poll repeats the window instead of losing it.
 * n8n saves the node's static data with the execution it starts, so the cursor survives restarts.
 */
export async function pollItems(
	this: IPollFunctions,
	table: IntegrationTable,
	triggers: Record<string, PollTriggerSpec>,
): Promise<INodeExecutionData[][] | null> {
	if (this.getNodeParameter('event') === CONNECTION_EVENT) {
		const reports = await watchConnection.call(this, table);
		return reports.length ? [this.helpers.returnJsonArray(reports)] : null;
	}
	const { event, trigger } = chosenTrigger.call(this, table, triggers);
	const items =
		this.getMode() === 'trigger'
			? await collectNew.call(this, table, event, trigger)
			: await sample.call(this, table, trigger);
	return items?.length ? [this.helpers.returnJsonArray(items)] : null;
}

/** Contexts that read a list operation for a trigger: a poller, or a trigger with its own schedule. */
export type ListingContext = IPollFunctions | ITriggerFunctions;

export function chosenTrigger(
	this: ListingContext,
	table: IntegrationTable,
	triggers: Record<string, PollTriggerSpec>,
): { event: string; trigger: PollTriggerSpec } {
	const event = this.getNodeParameter('event') as string;
	const trigger = triggers[event];
	if (!trigger || !table.operations[trigger.operation])
		throw new NodeOperationError(this.getNode(), `Unknown trigger "${event}"`);
	return { event, trigger };
}

/** Fetch Test Event (or any run that is not a live one): the newest item as a sample; the cursor stays where it is. */
export async function sample(
	this: ListingContext,
	table: IntegrationTable,
	trigger: PollTriggerSpec,
): Promise<IDataObject[]> {
	const items = await listItems.call(this, table, trigger, undefined, SAMPLE_SCAN);
	return select.call(this, table, trigger, items, undefined, { emit: 'latest', count: 1 }).emit.map(toJson);
}

/**
 * The items the cursor has not seen, moving the cursor over exactly those; null when a run of the
 * same node is still in progress. A failed request throws before the cursor changes.
 */
export async function collectNew(
	this: ListingContext,
	table: IntegrationTable,
	event: string,
	trigger: PollTriggerSpec,
): Promise<IDataObject[] | null> {
	// n8n starts a poll at every tick even while the last one is still paging; two polls reading one
	// cursor would emit the same items twice, so a tick that finds a poll running skips.
	const key = `${this.getWorkflow().id}:${this.getNode().id}`;
	if (running.has(key)) return null;
	running.add(key);
	try {
		const state = this.getWorkflowStaticData('node');
		const cursor = state[event] as unknown as Cursor | undefined;
		const polledAt = Date.now();
		const items = await listItems.call(this, table, trigger, cursor, undefined);
		const selection = select.call(
			this,
			table,
			trigger,
			items,
			cursor,
			cursor ? trigger.firstRun : firstRunPolicy.call(this, trigger.firstRun),
		);
		if (trigger.since?.from === 'lastPoll') selection.cursor.polledAt = polledAt;
		state[event] = selection.cursor as unknown as IDataObject;
		return selection.emit.map(toJson);
	} finally {
		running.delete(key);
	}
}

/** Every page of the polled operation, asking only for changes since the watermark when the service can filter. */
async function listItems(
	this: ListingContext,
	table: IntegrationTable,
	trigger: PollTriggerSpec,
	cursor: Cursor | undefined,
	limit: number | undefined,
): Promise<unknown[]> {
	const spec = table.operations[trigger.operation];
	const context = asRequestContext(this);
	const { session, baseUrl } = onBase(await connect.call(context, table, 0), table, spec.baseUrl);
	const request = buildRequest.call(context, baseUrl, spec, 0);
	const { since } = trigger;
	const mark = since?.from === 'lastPoll' ? cursor?.polledAt : cursor?.watermark;
	if (since && mark !== undefined) {
		const value = sinceValue(mark - trigger.dedupe.lookbackSeconds * 1000, since.format);
		request.qs = {
			...request.qs,
			[since.param]: since.template ? since.template.split('{since}').join(String(value)) : value,
		};
	} else if (since?.template && since.initial !== undefined) {
		request.qs = { ...request.qs, [since.param]: since.initial };
	}
	const items = await fetchPages.call(context, session, request, spec, limit, 0);
	const set = this.getNodeParameter(FILTERS_PROPERTY, {}) as IDataObject;
	return items.filter((item) => hasValues(item, trigger.when) && passesFilters(trigger.filters, set, item));
}

function select(
	this: ListingContext,
	table: IntegrationTable,
	trigger: PollTriggerSpec,
	items: unknown[],
	cursor: Cursor | undefined,
	policy: FirstRunPolicy,
): Selection {
	try {
		return selectNew(items, trigger.dedupe, cursor, policy);
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			`Cannot tell new ${table.displayName} items apart: ${(error as Error).message}`,
			{
				description: 'Check the idPath and timestampPath of this trigger in the integration definition.',
			},
		);
	}
}

function firstRunPolicy(this: ListingContext, declared: FirstRunPolicy): FirstRunPolicy {
	const emit = this.getNodeParameter('firstPoll', declared.emit) as FirstRunPolicy['emit'];
	return { emit, count: emit === 'latest' ? (this.getNodeParameter('firstPollCount', declared.count) as number) : 0 };
}

function sinceValue(ms: number, format: SinceSpec['format']): string | number {
	if (format === 'unix') return Math.floor(ms / 1000);
	if (format === 'isoSeconds') return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
	if (format === 'unixMs') return Math.floor(ms);
	return new Date(ms).toISOString();
}
