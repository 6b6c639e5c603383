import type { CronExpression, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IntegrationTable } from '../types';
import { chosenTrigger, collectNew, sample } from './poll';
import type { PollTriggerSpec } from './types';

/**
 * The `trigger` of every generated scheduled trigger: at each time of the node's cron schedule
 * (never at activation, unlike a poller), the items the cursor has not seen start one execution.
 * A failed run is saved as a failed execution and leaves the cursor, so the next one repeats it.
 * The cursor is saved with the executions it starts; one that only moved (a first run that emits
 * nothing) lives in memory until then.
 */
export async function scheduleItems(
	this: ITriggerFunctions,
	table: IntegrationTable,
	triggers: Record<string, PollTriggerSpec>,
): Promise<ITriggerResponse> {
	const { event, trigger } = chosenTrigger.call(this, table, triggers);
	if (this.getMode() === 'manual') {
		return {
			manualTriggerFunction: async () => {
				const items = await sample.call(this, table, trigger);
				if (!items.length)
					throw new NodeOperationError(this.getNode(), `${table.displayName} has no items to show yet`, {
						description: 'Create one in the service, then fetch a test event again.',
					});
				this.emit([this.helpers.returnJsonArray(items)]);
			},
		};
	}
	const run = async () => {
		try {
			const items = await collectNew.call(this, table, event, trigger);
			if (items?.length) this.emit([this.helpers.returnJsonArray(items)]);
		} catch (error) {
			this.saveFailedExecution(
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error),
			);
		}
	};
	const expression = cronExpression.call(this);
	try {
		this.helpers.registerCron({ expression }, () => void run());
	} catch (error) {
		throw invalidSchedule(this, expression, (error as Error).message);
	}
	return {};
}

/** The node's schedule as n8n's six-field cron (seconds first), or a clear error before anything is registered. */
function cronExpression(this: ITriggerFunctions): CronExpression {
	const given = String(this.getNodeParameter('schedule', '')).trim();
	const fields = given.split(/\s+/);
	if (!given || fields.length < 5 || fields.length > 6) throw invalidSchedule(this, given, 'it needs 5 or 6 fields');
	return (fields.length === 5 ? `0 ${fields.join(' ')}` : fields.join(' ')) as CronExpression;
}

function invalidSchedule(context: ITriggerFunctions, given: string, why: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Schedule (Cron) "${given}" is not a cron expression: ${why}`, {
		description:
			'Write minute hour day-of-month month day-of-week, e.g. "0 8 * * 1-5" for 8:00 on weekdays (a seconds field may come first).',
	});
}
