/**
 * The runtime and model pieces the GitHub, GitLab, Jira and PagerDuty definitions added, on their
 * own (the catalog tests run them inside n8n): token-compare signatures, several `v1=` signatures
 * without a timestamp, a 403 that is a rate limit, ADF from plain text, event options standing for
 * a service event with body values, trigger fields and constants in the emitted nodes.
 */
import { createHmac } from 'node:crypto';
import { isRateLimited } from '../../nodes/shared/errors';
import { retryDelaySeconds } from '../../nodes/shared/http';
import { adf } from '../../nodes/shared/request';
import { verifySignature } from '../../nodes/shared/triggers/signature';
import type { SignatureSpec } from '../../nodes/shared/triggers/types';
import { buildIntegration } from '../../scripts/model/build';
import type { RawDefinition } from '../../scripts/model/definition';
import { emitCredentials } from '../../scripts/emit/credentials';
import { emitNode } from '../../scripts/emit/node';
import { namespaceOf } from '../../scripts/emit/names';
import { emitTriggers } from '../../scripts/emit/trigger';
import { evaluateExports } from '../../scripts/openapi/evaluate';
import type { IntegrationTable } from '../../nodes/shared/types';
import type { INodeType } from 'n8n-workflow';
import { triggerFindings } from '../../scripts/validate/triggers';

const NOW = 1_760_000_000;
const body = Buffer.from('{"object_kind":"pipeline"}');

describe('signatures', () => {
	const gitlab: SignatureSpec = {
		scheme: 'token',
		algorithm: 'sha256',
		encoding: 'hex',
		header: 'X-Gitlab-Token',
		payload: '{body}',
		toleranceSeconds: 300,
	};
	const pagerduty: SignatureSpec = {
		algorithm: 'sha256',
		encoding: 'hex',
		header: 'X-PagerDuty-Signature',
		signatureKey: 'v1',
		payload: '{body}',
		toleranceSeconds: 300,
	};
	const v1 = (secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

	it('token scheme: the header must be the secret itself; the body is not signed', () => {
		expect(verifySignature(gitlab, 'tok-123456', body, { 'x-gitlab-token': 'tok-123456' }, NOW)).toEqual({
			valid: true,
		});
		expect(
			verifySignature(gitlab, 'tok-123456', Buffer.from('anything'), { 'x-gitlab-token': 'tok-123456' }, NOW),
		).toEqual({ valid: true });
		expect(verifySignature(gitlab, 'tok-123456', body, { 'x-gitlab-token': 'tok-12345' }, NOW)).toEqual({
			valid: false,
			reason: 'X-Gitlab-Token does not match',
		});
		expect(verifySignature(gitlab, 'tok-123456', body, {}, NOW)).toEqual({
			valid: false,
			reason: 'missing X-Gitlab-Token header',
		});
	});

	it('v1=…,v1=… without a timestamp: any signature made with the secret verifies', () => {
		expect(
			verifySignature(pagerduty, 'pd-secret', body, { 'x-pagerduty-signature': v1('pd-secret') }, NOW),
		).toEqual({ valid: true });
		expect(
			verifySignature(
				pagerduty,
				'pd-secret',
				body,
				{ 'x-pagerduty-signature': `${v1('old-secret')},${v1('pd-secret')}` },
				NOW,
			),
		).toEqual({ valid: true });
		expect(
			verifySignature(
				pagerduty,
				'pd-secret',
				body,
				{ 'x-pagerduty-signature': `${v1('old-secret')},${v1('other')}` },
				NOW,
			).valid,
		).toBe(false);
	});

	it('a signatureKey alone is a valid declaration; a timestampKey alone is not', () => {
		const raw = (signature: Record<string, unknown>) =>
			({
				name: 'x',
				displayName: 'X',
				description: 'X',
				baseUrl: 'https://x.example',
				auth: { type: 'none' },
				resources: {},
				triggers: [
					{
						type: 'webhook',
						name: 'h',
						events: ['a'],
						signature: { secret: 'credential', header: 'X-Sig', ...signature },
					},
				],
			}) as RawDefinition;
		expect(triggerFindings(raw({ signatureKey: 'v1' })).map((f) => f.rule)).toEqual(['no-replay-window']);
		expect(triggerFindings(raw({ timestampKey: 't' })).map((f) => f.rule)).toContain('key-value-signature');
	});
});

describe('rate limits answered with 403', () => {
	it('GitHub’s primary (x-ratelimit-remaining: 0) and secondary (retry-after) limits wait; a plain 403 is not retried', () => {
		const reset = String(NOW + 30);
		expect(
			isRateLimited({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }),
		).toBe(true);
		expect(retryDelaySeconds({ status: 403, headers: { 'retry-after': '7' }, message: '' }, 'POST', 0, 1)).toBe(7);
		expect(isRateLimited({ status: 403, headers: { 'x-ratelimit-remaining': '4999' } })).toBe(false);
		expect(retryDelaySeconds({ status: 403, headers: {}, message: '' }, 'GET', 0, 1)).toBeUndefined();
	});
});

describe('Atlassian Document Format', () => {
	it('plain text becomes one paragraph per line; an ADF document (object or JSON) is kept', () => {
		expect(adf('a\n\nb')).toEqual({
			type: 'doc',
			version: 1,
			content: [
				{ type: 'paragraph', content: [{ type: 'text', text: 'a' }] },
				{ type: 'paragraph' },
				{ type: 'paragraph', content: [{ type: 'text', text: 'b' }] },
			],
		});
		const doc = { type: 'doc', version: 1, content: [] };
		expect(adf(doc)).toBe(doc);
		expect(adf(JSON.stringify(doc))).toEqual(doc);
		expect(adf('{not json')).toEqual({
			type: 'doc',
			version: 1,
			content: [{ type: 'paragraph', content: [{ type: 'text', text: '{not json' }] }],
		});
	});
});

describe('emitted nodes', () => {
	const integration = buildIntegration({
		name: 'probe',
		displayName: 'Probe',
		description: 'Probe',
		baseUrl: 'https://probe.example',
		auth: { type: 'apiKey', name: 'Authorization', preamble: 'Token token=' },
		resources: {
			thing: {
				operations: {
					create: {
						method: 'POST',
						path: '/things',
						body: {
							fields: [
								{ name: 'thing.type', const: 'thing_reference' },
								{ name: 'thing.note', format: 'adf' },
							],
						},
					},
				},
			},
		},
		triggers: [
			{
				type: 'webhook',
				name: 'event',
				parameters: [{ name: 'owner' }],
				events: [
					'push',
					{ value: 'merged', event: 'pull_request', when: { action: 'closed', 'pull_request.merged': true } },
				],
				eventHeader: 'X-Event',
				subscribe: {
					create: {
						path: '/repos/{owner}/hooks',
						body: { events: '{events}', secret: '{secret}' },
						idPath: 'id',
					},
					delete: { path: '/repos/{owner}/hooks/{id}' },
				},
				signature: { header: 'X-Sig' },
			},
		],
	} as RawDefinition);
	const ns = namespaceOf('n8n-nodes-test');
	const icons = { light: 'probe.svg', dark: 'probe.svg' };

	it('a constant is sent from the table and shown as no field; adf rides along', () => {
		const node = evaluateExports(emitNode(integration, 'probe.yaml', icons, ns).content);
		const sent = (node.table as IntegrationTable).operations['thing:create'].parameters.map((p) => [
			p.name,
			p.const,
			p.format,
		]);
		expect(sent).toEqual(
			expect.arrayContaining([
				['thing.type', 'thing_reference', undefined],
				['thing.note', undefined, 'adf'],
			]),
		);
		const properties = new (node.Probe as new () => INodeType)().description.properties;
		const fields = properties.flatMap((p) => [
			p.name,
			...((p.options ?? []) as Array<{ name: string }>).map((o) => o.name),
		]);
		expect(fields).toContain('thingNote');
		expect(fields).not.toContain('thingType');
	});

	it('a preamble ending in = is joined to the key without a space', () => {
		expect(emitCredentials(integration, 'probe.yaml', icons, ns)[0].content).toContain(
			'Authorization: "=Token token={{$credentials.apiKey}}"',
		);
	});

	it('the trigger carries its fields, the event header and the options standing for service events', () => {
		const trigger = emitTriggers(integration, 'probe.yaml', icons, ns)[0].content;
		expect(trigger).toContain('eventHeader: "X-Event"');
		expect(trigger).toMatch(
			/merged: \{\s*event: "pull_request",\s*when: \{\s*action: "closed",\s*"pull_request.merged": true,/,
		);
		expect(trigger).toMatch(/parameters: \[\s*\{\s*name: "owner",\s*property: "owner",/);
		expect(trigger).toMatch(
			/displayName: "Owner",\s*name: "owner",\s*type: "string",\s*default: "",\s*required: true,/,
		);
	});
});
