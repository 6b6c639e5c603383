import { randomBytes } from 'node:crypto';
import set from 'lodash/set';
import type { IDataObject } from 'n8n-workflow';

/** Body fields that make up the message when an operation composes an email (`body.email`). */
export const EMAIL_FIELDS = ['from', 'to', 'cc', 'bcc', 'replyTo', 'subject', 'text', 'html'] as const;

export type EmailParts = Partial<Record<(typeof EMAIL_FIELDS)[number], unknown>>;

const HEADERS: Array<[keyof EmailParts, string]> = [
	['from', 'From'],
	['to', 'To'],
	['cc', 'Cc'],
	['bcc', 'Bcc'],
	['replyTo', 'Reply-To'],
	['subject', 'Subject'],
];

/**
 * Moves the email fields out of a JSON body and puts the RFC 2822 message they make at `path`,
 * base64url-encoded (Gmail's `raw`, or `message.raw` for drafts). Other fields stay as they are.
 */
export function withEmail(body: IDataObject, path: string): IDataObject {
	const rest: IDataObject = { ...body };
	const parts: EmailParts = {};
	for (const field of EMAIL_FIELDS) {
		if (field in rest) {
			parts[field] = rest[field];
			delete rest[field];
		}
	}
	set(rest, path, Buffer.from(composeEmail(parts)).toString('base64url'));
	return rest;
}

/**
 * An RFC 2822 / MIME message: UTF-8 text and HTML bodies base64-encoded (both make a
 * multipart/alternative message), non-ASCII subjects as RFC 2047 encoded words, and no line
 * breaks inside header values, so a field's content cannot add headers.
 */
export function composeEmail(parts: EmailParts, boundary = `rills${randomBytes(12).toString('hex')}`): string {
	const lines: string[] = [];
	for (const [field, name] of HEADERS) {
		const value = headerValue(parts[field]);
		if (!value) continue;
		lines.push(`${name}: ${field === 'subject' ? encodeWord(value) : value}`);
	}
	lines.push('MIME-Version: 1.0');
	const text = bodyText(parts.text);
	const html = bodyText(parts.html);
	if (text !== undefined && html !== undefined) {
		lines.push(`Content-Type: multipart/alternative; boundary="${boundary}"`, '');
		for (const [type, content] of [
			['text/plain', text],
			['text/html', html],
		])
			lines.push(`--${boundary}`, ...section(type, content), '');
		lines.push(`--${boundary}--`, '');
	} else {
		lines.push(...section(html !== undefined ? 'text/html' : 'text/plain', html ?? text ?? ''));
	}
	return lines.join('\r\n');
}

function section(type: string, content: string): string[] {
	const encoded = Buffer.from(content, 'utf8').toString('base64');
	return [
		`Content-Type: ${type}; charset="UTF-8"`,
		'Content-Transfer-Encoding: base64',
		'',
		...(encoded.match(/.{1,76}/g) ?? ['']),
	];
}

/** Lists (arrays or comma-separated text) joined with ", "; CR and LF removed. */
function headerValue(value: unknown): string {
	if (value === undefined || value === null) return '';
	const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	return text.replace(/[\r\n]+/g, ' ').trim();
}

function bodyText(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** RFC 2047: non-ASCII header text as `=?UTF-8?B?…?=`. */
function encodeWord(value: string): string {
	return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
