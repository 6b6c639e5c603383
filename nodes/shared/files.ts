import { randomBytes } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import type { OperationSpec } from './types';

interface File {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * Turns the body buildRequest laid out into what multipart and binary operations send: binary
 * parameters name a binary property of the input item, whose file is read through n8n (memory or
 * filesystem storage alike). Other operations pass through unchanged.
 */
export async function withFiles(
	this: IExecuteFunctions,
	request: IHttpRequestOptions,
	spec: OperationSpec,
	itemIndex: number,
): Promise<IHttpRequestOptions> {
	if (spec.bodyType !== 'multipart' && spec.bodyType !== 'binary') return request;
	const body = (request.body ?? {}) as IDataObject;
	const file = async (property: unknown): Promise<File> => {
		const name = String(property);
		const meta = this.helpers.assertBinaryData(itemIndex, name);
		return {
			data: await this.helpers.getBinaryDataBuffer(itemIndex, name),
			fileName: meta.fileName ?? name,
			mimeType: meta.mimeType || 'application/octet-stream',
		};
	};
	const headers = { ...request.headers };
	if (spec.bodyType === 'binary') {
		const param = spec.parameters.find((p) => p.binary && p.in === 'body');
		const source = param && (param.name === '' ? (request.body as unknown) : body[param.name]);
		if (source === undefined || source === null || source === '') return { ...request, body: undefined };
		const f = await file(source);
		if (spec.argsHeader) {
			// Dropbox content endpoints: the arguments travel as JSON in a header, the file is the body.
			const args = Object.fromEntries(Object.entries(body).filter(([key]) => key !== param?.name));
			headers[spec.argsHeader] = headerSafeJson(args);
		}
		return { ...request, headers: { ...headers, 'Content-Type': spec.contentType ?? f.mimeType }, body: f.data };
	}
	const boundary = `n8nRills${randomBytes(12).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [key, value] of Object.entries(body)) {
		if (value === undefined || value === null) continue;
		const isFile = spec.parameters.some((p) => p.binary && p.in === 'body' && p.name === key);
		const f = isFile ? await file(value) : undefined;
		const disposition = `Content-Disposition: form-data; name="${quoted(key)}"${f ? `; filename="${quoted(f.fileName)}"` : ''}`;
		const type = f ? `\r\nContent-Type: ${f.mimeType}` : '';
		const content = f ? f.data : Buffer.from(typeof value === 'object' ? JSON.stringify(value) : String(value));
		parts.push(Buffer.from(`--${boundary}\r\n${disposition}${type}\r\n\r\n`), content, Buffer.from('\r\n'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return {
		...request,
		headers: { ...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
		body: Buffer.concat(parts),
	};
}

/** JSON that fits in an HTTP header: characters outside ASCII are written as \\u escapes (Dropbox-API-Arg). */
export function headerSafeJson(value: unknown): string {
	return JSON.stringify(value).replace(
		/[\u007f-\uffff]/g,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

/** Quotes and line breaks would end the header value early. */
function quoted(value: string): string {
	return value.replace(/["\r\n]/g, (c) => encodeURIComponent(c));
}
