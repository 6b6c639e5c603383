import set from 'lodash/set';
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { withEmail } from './email';
import { graphqlBody } from './graphql';
import type { OperationSpec, ParameterSpec } from './types';

/** Reads the operation's parameters for one item and lays them out as an HTTP request. */
export function buildRequest(
	this: IExecuteFunctions,
	baseUrl: string,
	spec: OperationSpec,
	itemIndex: number,
): IHttpRequestOptions {
	const additional = spec.parameters.some((p) => !p.required)
		? (this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject)
		: {};
	const qs: IDataObject = {};
	const headers: Record<string, string> = spec.accept ? { Accept: spec.accept } : {};
	const cookies: string[] = [];
	let body: IDataObject = {};
	/** Whether the user filled any body field: an empty object they typed is still a body to send. */
	let bodyFilled = false;
	let path = spec.path;
	for (const param of spec.parameters) {
		const given =
			param.const !== undefined
				? param.const
				: param.required
					? this.getNodeParameter(param.property, itemIndex)
					: additional[param.property];
		const raw = param.locator ? locatorValue.call(this, param, given, itemIndex) : given;
		if (isEmpty(raw)) {
			if (param.required)
				throw new NodeOperationError(this.getNode(), `"${param.property}" is required`, {
					itemIndex,
					description: `Fill in the ${param.property} field.`,
				});
			continue;
		}
		const coerced = coerce.call(this, param, raw, itemIndex);
		if (coerced === undefined) continue;
		const value =
			param.template !== undefined && typeof coerced !== 'object'
				? param.template.split('{value}').join(String(coerced))
				: coerced;
		switch (param.in) {
			case 'path':
				path = path.split(`{${param.name}}`).join(pathValue.call(this, param, value, itemIndex));
				break;
			case 'query':
				qs[param.name] =
					Array.isArray(value) && param.arrayFormat === 'csv'
						? value.join(',')
						: (value as IDataObject[string]);
				break;
			case 'header':
				headers[param.name] = Array.isArray(value) ? value.join(',') : String(value);
				break;
			case 'cookie':
				cookies.push(`${param.name}=${encodeURIComponent(String(value))}`);
				break;
			case 'body':
				bodyFilled = true;
				// An empty name is the whole body (raw JSON), listed before the fields set into it.
				if (param.name === '')
					body =
						value && typeof value === 'object' && !Array.isArray(value)
							? { ...(value as IDataObject) }
							: (value as IDataObject);
				else set(body, param.name, value);
				break;
		}
	}
	if (spec.email) body = withEmail(body, spec.email.path);
	if (cookies.length) headers.Cookie = cookies.join('; ');
	const request: IHttpRequestOptions = {
		method: spec.method,
		url: baseUrl + path,
		qs,
		headers,
		arrayFormat: 'repeat',
		json: true,
	};
	if (spec.graphql) {
		// The fields are the document's variables.
		request.body = graphqlBody(spec.graphql, body);
	} else if (spec.bodyType === 'form') {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
		request.body = encodeForm(body, spec.formStyle);
	} else if (spec.bodyType === 'text') {
		if (typeof body === 'string') {
			headers['Content-Type'] = spec.contentType ?? 'text/plain';
			request.body = body;
		}
	} else if (
		spec.bodyType === 'json' &&
		(body === null || typeof body !== 'object' || isEmptyObject(body, bodyFilled))
	) {
		// A JSON string, number or boolean: n8n would send a string as it is and without a type; `{}` not at all.
		headers['Content-Type'] = 'application/json';
		request.body = JSON.stringify(body);
	} else if (spec.bodyType) {
		// json as it is; multipart and binary bodies get their files in withFiles().
		request.body = body;
	}
	return request;
}

/**
 * A path value as OpenAPI's styles write it (RFC 6570): lists and objects as `a,b` and `k,v,k2,v2`
 * (`k=v,…` exploded), `label` with a leading `.`, `matrix` as `;name=…`. Each part is escaped.
 */
function pathValue(this: IExecuteFunctions, param: ParameterSpec, value: unknown, itemIndex: number): string {
	const { name, style, explode } = param;
	const escape = (v: unknown) => encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v));
	const object = value !== null && typeof value === 'object' && !Array.isArray(value);
	const parts = Array.isArray(value)
		? value.map(escape)
		: object
			? Object.entries(value).map(([k, v]) => `${escape(k)}${explode ? '=' : ','}${escape(v)}`)
			: [escape(value)];
	let text = parts.join(',');
	if (style === 'label') text = `.${parts.join(explode ? '.' : ',')}`;
	if (style === 'matrix')
		text =
			explode && (object || Array.isArray(value))
				? parts.map((p) => `;${object ? p : `${escape(name)}=${p}`}`).join('')
				: `;${escape(name)}=${text}`;
	return checkedSegment.call(this, text, param.property, itemIndex);
}

/**
 * The ID a resource locator holds, as n8n reads it from its mode (a URL through the mode's pattern). A plain value,
 * as workflows saved before the field was a locator hold, is the ID itself.
 */
function locatorValue(this: IExecuteFunctions, param: ParameterSpec, given: unknown, itemIndex: number): unknown {
	if (!given || typeof given !== 'object') return given;
	if (isEmpty((given as IDataObject).value)) return '';
	const path = param.required ? param.property : `additionalFields.${param.property}`;
	return this.getNodeParameter(path, itemIndex, undefined, { extractValue: true });
}

/**
 * A value as one path segment: `/`, `?` and `#` are escaped, and `.` or `..` — which URLs resolve
 * as moves up the path however they are escaped — are refused.
 */
export function pathSegment(this: Pick<IExecuteFunctions, 'getNode'>, value: string, field: string, itemIndex = 0) {
	return encodeURIComponent(checkedSegment.call(this, value, field, itemIndex));
}

function checkedSegment(this: Pick<IExecuteFunctions, 'getNode'>, value: string, field: string, itemIndex: number) {
	if (value === '.' || value === '..') {
		throw new NodeOperationError(this.getNode(), `"${field}" cannot be "${value}"`, {
			itemIndex,
			description: `"${value}" would change the request's path; use the item's own ID or name.`,
		});
	}
	return value;
}

/**
 * A form body. Objects and lists are JSON text in one field, or with `brackets` spelled out the way
 * Stripe and Rails read them: `metadata[plan]=pro`, `items[0][price]=p_1`, `enabled_events[]=a`.
 */
export function encodeForm(body: IDataObject, style?: 'brackets'): string {
	if (style !== 'brackets')
		return new URLSearchParams(
			Object.entries(body).map(([k, v]): [string, string] => [
				k,
				typeof v === 'object' ? JSON.stringify(v) : String(v),
			]),
		).toString();
	const pairs: Array<[string, string]> = [];
	const walk = (key: string, value: unknown): void => {
		if (value === undefined || value === null) return;
		if (Array.isArray(value))
			value.forEach((v, i) => walk(v !== null && typeof v === 'object' ? `${key}[${i}]` : `${key}[]`, v));
		else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(`${key}[${k}]`, v);
		else pairs.push([key, String(value)]);
	};
	for (const [k, v] of Object.entries(body)) walk(k, v);
	return new URLSearchParams(pairs).toString();
}

function isEmptyObject(body: IDataObject, filled: boolean): boolean {
	return filled && !Array.isArray(body) && Object.keys(body).length === 0;
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function coerce(this: IExecuteFunctions, param: ParameterSpec, value: unknown, itemIndex: number): unknown {
	if (param.format === 'adf') return adf(value);
	switch (param.type) {
		case 'number':
			return Number(value);
		case 'boolean':
			return value === true || value === 'true';
		case 'json':
			if (typeof value !== 'string') return value;
			try {
				return JSON.parse(value);
			} catch {
				throw new NodeOperationError(this.getNode(), `"${param.property}" is not valid JSON`, {
					itemIndex,
					description: 'Write a JSON value, e.g. {"key": "value"} or [1, 2].',
				});
			}
		case 'fixedCollection': {
			// n8n shows every field of an entry; the ones left empty are not sent, unless the API requires them.
			const entries = (value as { entries?: IDataObject[] }).entries ?? [];
			const keep = new Set(param.requiredEntries);
			const filled = entries.map((e) =>
				Object.fromEntries(
					Object.entries(e).filter(([k, v]) => v !== undefined && v !== null && (v !== '' || keep.has(k))),
				),
			);
			return filled.length ? filled : undefined;
		}
		default:
			return value;
	}
}

/**
 * Atlassian Document Format for plain text: one paragraph per line (an empty line is an empty
 * paragraph). A document already in ADF — an object or its JSON with `type: doc` — is kept.
 */
export function adf(value: unknown): unknown {
	if (value && typeof value === 'object') return value;
	const text = String(value);
	if (text.trimStart().startsWith('{')) {
		try {
			const parsed = JSON.parse(text) as { type?: unknown };
			if (parsed && parsed.type === 'doc') return parsed;
		} catch {
			// Plain text that starts with a brace.
		}
	}
	const paragraphs = text
		.split(/\r?\n/)
		.map((line) => ({ type: 'paragraph', ...(line ? { content: [{ type: 'text', text: line }] } : {}) }));
	return { type: 'doc', version: 1, content: paragraphs };
}
