/**
 * The RFC 2822 composer behind `body.email` (Gmail's raw messages), read back with a real MIME
 * parser (mailparser, from n8n's own dependencies): what a user types arrives as typed, and a line
 * break in a field cannot add a header.
 */
import { join } from 'node:path';
import { installN8n } from '../../scripts/harness/n8n';
import { composeEmail, withEmail } from '../../nodes/shared/email';

type Parsed = {
	subject?: string;
	text?: string;
	html?: string | false;
	to?: { text: string };
	bcc?: { text: string };
	headers: Map<string, unknown>;
};
let parse: (raw: string) => Promise<Parsed>;

beforeAll(async () => {
	const install = await installN8n();
	const { simpleParser } = require(join(install.n8n, '..', 'mailparser')) as {
		simpleParser: (source: Buffer) => Promise<Parsed>;
	};
	parse = (raw) => simpleParser(Buffer.from(raw));
});

it('keeps non-ASCII subjects and bodies intact and makes text + HTML an alternative', async () => {
	const mail = await parse(
		composeEmail({
			to: ['a@example.com', 'B <b@example.com>'],
			subject: 'Ünïcødé ✓ 日本',
			text: 'Zeile 1\nZeile 2 — ok',
			html: '<p>Grüße</p>',
		}),
	);
	expect(mail.subject).toBe('Ünïcødé ✓ 日本');
	expect(mail.to?.text).toBe('a@example.com, "B" <b@example.com>');
	expect(mail.text).toBe('Zeile 1\nZeile 2 — ok');
	expect(mail.html).toBe('<p>Grüße</p>');
	expect((mail.headers.get('content-type') as { value: string }).value).toBe('multipart/alternative');
});

it('a line break inside a field cannot add a header', async () => {
	const mail = await parse(
		composeEmail({ to: 'a@example.com\r\nBcc: spy@evil.example', subject: 'Hi\nX-Injected: yes', text: 'body' }),
	);
	expect(mail.bcc).toBeUndefined();
	expect(mail.headers.has('x-injected')).toBe(false);
	expect(mail.subject).toBe('Hi X-Injected: yes');
});

it('withEmail moves the email fields into the base64url message at the path and keeps the others', async () => {
	const body = withEmail({ to: 'a@example.com', subject: 'S', text: 'T', threadId: 't1' }, 'message.raw');
	expect(Object.keys(body).sort()).toEqual(['message', 'threadId']);
	const raw = (body.message as { raw: string }).raw;
	expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
	const mail = await parse(Buffer.from(raw, 'base64url').toString());
	expect([mail.subject, mail.text]).toEqual(['S', 'T']);
});
