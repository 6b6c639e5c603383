/**
 * The operation's parameters as n8n resource-mapper fields, and the mapper's values read back the
 * way the runtime reads a generated node's parameters (required ones by property, optional ones
 * from Additional Fields).
 */
import type { FieldType, IDataObject, IExecuteFunctions, ResourceMapperField, ResourceMapperValue } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Operation, Parameter } from '../../scripts/model/types';
import { nodeProperty } from '../../scripts/emit/table';

/** The raw JSON body has a node parameter of its own, beside the mapper. */
export const RAW_BODY = 'bodyJson';
/** List operations' values start with this, so Return All and Limit show for them alone. */
export const LIST_PREFIX = 'list:';

const TYPES: Partial<Record<Parameter['type'], FieldType>> = {
	number: 'number',
	boolean: 'boolean',
	options: 'options',
	multiOptions: 'array',
	dateTime: 'dateTime',
	fixedCollection: 'array',
};

/** What the user fills in: every parameter the request sends, required ones shown, optional ones to add. */
export function mapperFields(operation: Operation): ResourceMapperField[] {
	return operation.parameters
		.filter((p) => p.sent !== false && p.const === undefined && nodeProperty(p) !== RAW_BODY)
		.map((p) => ({
			id: nodeProperty(p),
			displayName: `${p.displayName} (${p.in}${p.type === 'json' ? ', JSON' : ''})`,
			required: p.required,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			removed: !p.required,
			type: TYPES[p.type] ?? 'string',
			...(p.options ? { options: p.options.map((o) => ({ name: o.name, value: o.value })) } : {}),
		}));
}

function isEmpty(body: string | IDataObject): boolean {
	return typeof body === 'string' ? !body.trim() : !body;
}

/**
 * The node as the runtime sees it: the operation's parameters read from the mapper (required ones
 * by property, the others as Additional Fields), everything else as n8n has it.
 */
export function withMappedParameters(
	context: IExecuteFunctions,
	operation: Operation,
	operationName: string,
): IExecuteFunctions {
	const byProperty = new Map(operation.parameters.map((p) => [nodeProperty(p), p]));
	const mapped = (i: number): IDataObject => {
		const fields = context.getNodeParameter('fields', i, {}) as ResourceMapperValue;
		const values: IDataObject = {};
		for (const [key, value] of Object.entries(fields.value ?? {})) {
			if (value === null || value === undefined || value === '') continue;
			// A list of objects reaches the runtime as a fixed collection's entries.
			values[key] =
				byProperty.get(key)?.type === 'fixedCollection' && Array.isArray(value)
					? { entries: value }
					: (value as IDataObject[string]);
		}
		const body = context.getNodeParameter(RAW_BODY, i, '') as string | IDataObject;
		const raw = byProperty.get(RAW_BODY);
		if (raw && isEmpty(body)) {
			// The spec requires a body and no field carries it: said here, not as the API's 400 or 422.
			const fieldSet = Object.keys(values).some((key) => byProperty.get(key)?.in === 'body');
			if (raw.required && !fieldSet)
				throw new NodeOperationError(context.getNode(), 'This action needs a request body', {
					itemIndex: i,
					description: 'Fill Body (JSON) with the body as the API expects it, e.g. {"name": "…"}.',
				});
			// The fields carry the required body: the runtime sets them into an empty one.
			if (raw.required) values[RAW_BODY] = '{}';
		} else if (raw) values[RAW_BODY] = body;
		return values;
	};
	const getNodeParameter = (name: string, i: number, fallback?: unknown, options?: object) => {
		if (name === 'operation') return operationName;
		if (name === 'additionalFields') {
			const values = mapped(i);
			return Object.fromEntries(Object.entries(values).filter(([key]) => !byProperty.get(key)?.required));
		}
		const parameter = byProperty.get(name);
		if (parameter) return mapped(i)[name] ?? fallback;
		return context.getNodeParameter(name, i, fallback as never, options);
	};
	// Methods stay bound to n8n's own context, whose fields a proxy as `this` would not reach.
	return new Proxy(context, {
		get: (target, key) => {
			if (key === 'getNodeParameter') return getNodeParameter;
			const value: unknown = Reflect.get(target, key);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
