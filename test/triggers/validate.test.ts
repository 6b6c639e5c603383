/** Trigger declarations that cannot work are findings with a pointer and a fix, not runtime surprises. */
import type { RawDefinition, RawTrigger } from '../../scripts/model/definition';
import { triggerFindings } from '../../scripts/validate/triggers';

const definition = (...triggers: RawTrigger[]) =>
	({
		name: 'x',
		displayName: 'X',
		description: 'X',
		baseUrl: 'https://x.example',
		auth: { type: 'none' },
		resources: {},
		triggers,
	}) as RawDefinition;
const webhook = (
	signature: Record<string, unknown>,
	body: Record<string, unknown> = { secret: '{secret}' },
	secretPath?: string,
): RawTrigger => ({
	type: 'webhook',
	name: 'hook',
	events: ['a'],
	subscribe: {
		create: { path: '/hooks', idPath: 'id', body, ...(secretPath ? { secretPath } : {}) },
		delete: { path: '/hooks/{id}' },
	},
	signature: { header: 'X-Sig', ...signature },
});
const rules = (raw: RawDefinition) => triggerFindings(raw).map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

it('accepts a generated secret sent as {secret}, with a timestamp header', () => {
	expect(rules(definition(webhook({ timestampHeader: 'X-Time', payload: '{timestamp}.{body}' })))).toEqual([]);
});

it('flags secrets the service never learns or that nobody reads', () => {
	expect(rules(definition(webhook({ timestampHeader: 'X-Time' }, { url: '{url}' })))).toEqual([
		'error secret-not-sent /triggers/0/signature/secret',
	]);
	expect(rules(definition(webhook({ secret: 'service', timestampHeader: 'X-Time' })))).toEqual([
		'error secret-path-missing /triggers/0/signature/secret',
	]);
	expect(rules(definition(webhook({ secret: 'service', timestampHeader: 'X-Time' }, {}, 'secret')))).toEqual([]);
});

it('flags a {timestamp} with no source, half a t=…,v1=… header, and warns when replays cannot be refused', () => {
	expect(rules(definition(webhook({ payload: '{timestamp}.{body}' })))).toEqual([
		'error timestamp-source-missing /triggers/0/signature/payload',
		'warning no-replay-window /triggers/0/signature',
	]);
	expect(rules(definition(webhook({ timestampKey: 't' })))).toEqual([
		'error key-value-signature /triggers/0/signature',
	]);
});

it('flags two triggers with one name', () => {
	const poll: RawTrigger = { type: 'polling', name: 'hook', operation: 'a:getAll', dedupe: { strategy: 'id' } };
	expect(rules(definition(webhook({ timestampHeader: 'X-Time' }), poll))).toEqual([
		'error duplicate-trigger /triggers/1/name',
	]);
});

it('flags a trigger named like the polling node’s own Connection Status Changed event', () => {
	const poll: RawTrigger = {
		type: 'polling',
		name: 'connectionStatusChanged',
		operation: 'a:getAll',
		dedupe: { strategy: 'id' },
	};
	expect(rules(definition(webhook({ timestampHeader: 'X-Time' }), poll))).toEqual([
		'error reserved-trigger-name /triggers/1/name',
	]);
});
