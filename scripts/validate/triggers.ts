import type { RawDefinition } from '../model/definition';
import { CONNECTION_EVENT } from '../../nodes/shared/triggers/types';
import { pointerOf, type Finding } from './finding';

type Located = Omit<Finding, 'file' | 'line' | 'column'>;

/** What the schema cannot check about triggers: that a signature can actually be verified. */
export function triggerFindings(raw: RawDefinition): Located[] {
	const findings: Located[] = [];
	const add = (
		severity: Finding['severity'],
		path: Array<string | number>,
		rule: string,
		message: string,
		fix: string,
	) => findings.push({ pointer: pointerOf(path), severity, rule, message, fix });
	const names = new Set<string>();
	(raw.triggers ?? []).forEach((t, i) => {
		const at = ['triggers', i];
		if (names.has(t.name))
			add(
				'error',
				[...at, 'name'],
				'duplicate-trigger',
				`trigger "${t.name}" is declared twice`,
				'give each trigger its own name',
			);
		names.add(t.name);
		if (t.name === CONNECTION_EVENT)
			add(
				'error',
				[...at, 'name'],
				'reserved-trigger-name',
				`"${CONNECTION_EVENT}" is the polling node's own Connection Status Changed event`,
				'give the trigger another name',
			);
		if (t.type !== 'webhook' || !t.signature) return;
		const { signature, subscribe } = t;
		const source = signature.secret ?? 'generated';
		if (source === 'service' && !subscribe?.create?.secretPath) {
			add(
				'error',
				[...at, 'signature', 'secret'],
				'secret-path-missing',
				'the signing secret comes from the service, but subscribe.create.secretPath does not say where it is in the response',
				'add `secretPath:` to subscribe.create, or use `secret: credential`',
			);
		}
		if (source === 'generated' && !JSON.stringify(subscribe?.create?.body ?? '').includes('{secret}')) {
			add(
				'error',
				[...at, 'signature', 'secret'],
				'secret-not-sent',
				'a generated signing secret is never sent to the service, so it cannot sign with it',
				'put "{secret}" in subscribe.create.body, or use `secret: service` / `secret: credential`',
			);
		}
		const hasTimestamp =
			signature.timestampHeader !== undefined ||
			signature.timestampKey !== undefined ||
			signature.timestampPath !== undefined;
		if (source === 'handshake' && !t.challenge?.header) {
			add(
				'error',
				[...at, 'signature', 'secret'],
				'handshake-header-missing',
				'the signing secret comes from the handshake, but challenge.header does not say which header carries it',
				'add `challenge: { header: X-Hook-Secret }` (the header the service sends)',
			);
		}
		if ((signature.payload ?? '').includes('{timestamp}') && !hasTimestamp) {
			add(
				'error',
				[...at, 'signature', 'payload'],
				'timestamp-source-missing',
				'the signed payload has {timestamp} but nothing says where the timestamp is',
				'add `timestampHeader:` or, for t=…,v1=… headers, `timestampKey:`',
			);
		}
		if (signature.timestampKey !== undefined && signature.signatureKey === undefined) {
			add(
				'error',
				[...at, 'signature'],
				'key-value-signature',
				'timestampKey reads a t=…,v1=… header, which also needs signatureKey',
				'add `signatureKey:`, e.g. `timestampKey: t` and `signatureKey: v1`',
			);
		}
		if (!hasTimestamp && signature.deliveryHeader === undefined) {
			const message = 'deliveries carry no timestamp or id, so a captured delivery can be replayed';
			const fix = 'add `timestampHeader:` or `deliveryHeader:` if the service sends one';
			add('warning', [...at, 'signature'], 'no-replay-window', message, fix);
		}
	});
	return findings;
}
