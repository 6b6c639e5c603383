import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
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
	const description = e.description ? redact(e.description, secrets) : undefined;
	const retryAt = retryAtOf(error);
	return {
		json: {
			error: message,
			...(description ? { description } : {}),
			...(retryAt ? { retryAt } : {}),
			...extra,
		},
		// n8n sends an item to the error output (On Error → Continue (using error output)) by this field, as it does
		// for its own declarative nodes; built from the redacted words only.
		error: new NodeOperationError(this.getNode(), message, { itemIndex: i, description }),
		pairedItem: { item: i },
	};
}
