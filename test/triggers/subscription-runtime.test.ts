/**
 * Subscription methods against the loopback Acme service, called the way n8n calls them on
 * publishing (n8n-context.ts stands in for n8n's hook context): a subscription made for another
 * webhook URL is replaced rather than left delivering elsewhere; a missing signing secret stops
 * activation.
 */
import type { IHookFunctions } from 'n8n-workflow';
import { table } from '../../nodes/AcmeTasks/AcmeTasks.node';
import { subscriptionMethods } from '../../nodes/shared/triggers/webhook';
import type { WebhookTriggerSpec } from '../../nodes/shared/triggers/types';
import { startFake, type FakeService } from '../fakes/server';
import { startAcmeEvents, type AcmeEvents } from './acme-events';
import { acmeContext } from './n8n-context';

const trigger: WebhookTriggerSpec = {
	displayName: 'Task Event',
	events: ['task.created'],
	eventPath: 'event',
	subscribe: {
		create: {
			method: 'POST',
			path: '/webhooks',
			body: { url: '{url}', events: '{events}', secret: '{secret}' },
			idPath: 'id',
		},
		check: { method: 'GET', path: '/webhooks/{id}' },
		delete: { method: 'DELETE', path: '/webhooks/{id}' },
	},
	signature: {
		secret: 'generated',
		algorithm: 'sha256',
		encoding: 'hex',
		header: 'X-Acme-Signature',
		payload: '{body}',
		toleranceSeconds: 300,
	},
};
const methods = subscriptionMethods(table, { taskEvent: trigger }).default;

let acme: AcmeEvents;
/** Stands in for n8n at two addresses: it answers Acme's handshake like the trigger does. */
let receiver: FakeService;

beforeAll(async () => {
	acme = await startAcmeEvents();
	receiver = await startFake((req) => ({ body: String(req.body.challenge ?? '') }));
});
afterAll(async () => {
	await acme.close();
	await receiver.close();
});

it('publishing at a new webhook URL deletes the subscription made for the old one and subscribes the new URL', async () => {
	const staticData: Record<string, unknown> = {};
	const at = (path: string) =>
		acmeContext<IHookFunctions>({
			acme,
			parameters: { events: ['task.created'] },
			staticData,
			workflowId: 'w',
			webhookUrl: `${receiver.url}${path}`,
		});
	const old = at('/old');
	expect(await methods.checkExists.call(old)).toBe(false);
	expect(await methods.create.call(old)).toBe(true);
	expect(await methods.checkExists.call(old)).toBe(true);

	const moved = at('/new');
	expect(await methods.checkExists.call(moved)).toBe(false);
	expect(acme.subscriptions.size).toBe(0);
	expect(await methods.create.call(moved)).toBe(true);
	expect([...acme.subscriptions.values()].map((s) => s.url)).toEqual([`${receiver.url}/new`]);
	expect(acme.created.map((s) => s.url)).toEqual([`${receiver.url}/old`, `${receiver.url}/new`]);

	// The editor's "listen for test event" (a test URL, mode manual) must not unsubscribe the active workflow.
	const listener = acmeContext<IHookFunctions>({
		acme,
		parameters: { events: ['task.created'] },
		staticData: { ...staticData },
		workflowId: 'w',
		webhookUrl: `${receiver.url}/test`,
		mode: 'manual',
	});
	expect(await methods.checkExists.call(listener)).toBe(false);
	expect([...acme.subscriptions.values()].map((s) => s.url)).toEqual([`${receiver.url}/new`]);
});

it('a service that does not return the signing secret where the definition says fails activation with a message, instead of rejecting every delivery later', async () => {
	const projects: WebhookTriggerSpec = {
		displayName: 'Project Event',
		events: ['project.created'],
		subscribe: {
			create: {
				method: 'POST',
				path: '/project-hooks',
				body: { target: '{url}', topics: '{events}' },
				idPath: 'hook.id',
				secretPath: 'hook.secret',
			},
			delete: { method: 'DELETE', path: '/project-hooks/{id}' },
		},
		signature: {
			secret: 'service',
			algorithm: 'sha512',
			encoding: 'base64',
			header: 'X-Acme-Project-Signature',
			payload: '{body}',
			toleranceSeconds: 300,
		},
	};
	const context = acmeContext<IHookFunctions>({
		acme,
		parameters: { events: ['project.created'] },
		staticData: {},
		workflowId: 'p',
		webhookUrl: `${receiver.url}/p`,
	});
	await expect(subscriptionMethods(table, { projectEvent: projects }).default.create.call(context)).rejects.toThrow(
		'Acme Tasks did not return a signing secret at "hook.secret"',
	);
});
