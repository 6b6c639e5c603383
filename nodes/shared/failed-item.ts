import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { redact, retryAtOf } from './errors';

/**
 * What a failed input item becomes when the node continues on fail: the error in words, and for a rate limit the
 * time it may be sent again (`retryAt`), which a Wait node behind the error output waits until.
 */
export function failedItem(
	this: IExecuteFunctions,
	error: unknown,
	i: number,
	secrets: string[],
	extra: IDataObject = {},
): INodeExecutionData {
	const e = error as { message?: string; description?: string };
	const message = redact(String(e.message), secrets);
	const retryAt = retryAtOf(error);
	const about: IDataObject = {
		...(e.description ? { description: redact(e.description, secrets) } : {}),
		...(retryAt ? { retryAt } : {}),
		...extra,
	};
	// n8n sends an item to the error output only when its fields are `error`, `message` and `details` (as HTTP
	// Request's are), and adds the input item's fields to it; the regular output keeps the shape it always had.
	const json =
		this.getNode().onError === 'continueErrorOutput'
			? { error: message, details: about }
			: { error: message, ...about };
	return { json, pairedItem: { item: i } };
}
