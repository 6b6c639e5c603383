/**
 * Connection health records (seed 000) as Check and operations leave them: failures counted until
 * any success resets them, the service's own words kept as lastError, a revoked credential marked
 * expired, and a changed API key noticed as a rotation — in the workflow's static data, with no key
 * in it. Times come from an injected clock.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { table } from '../../nodes/AcmeTasks/AcmeTasks.node';
import { apiError } from '../../nodes/shared/errors';
import { previousStatus, recordHealth } from '../../nodes/shared/health';
import type { Session } from '../../nodes/shared/http';

const staticData: Record<string, unknown> = {};
const context = { getWorkflowStaticData: () => staticData } as unknown as IExecuteFunctions;
const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, minute));

function session(apiKey: string): Session {
	return {
		table,
		variant: table.auth.find((a) => a.kind === 'apiKey')!,
		limiterKey: 'acme:key',
		rateLimits: [],
		origin: 'http://127.0.0.1',
		credentials: { id: 'key1', name: 'Acme key', type: 'rillsAcmeTasksApi', data: { apiKey } },
		errors: {
			node: { name: 'Acme' } as never,
			integration: 'Acme Tasks',
			credentialName: 'Acme key',
			itemIndex: 0,
			secrets: [apiKey],
		},
	};
}

const failure = (status: number, message: string, s: Session) =>
	apiError(s.errors, {
		status,
		headers: {},
		body: { message },
		message: `Request failed with status code ${status}`,
	});

it('counts failures until a success, keeps the service’s words, and marks a rejected key expired', () => {
	const s = session('key-one-1111');
	expect(recordHealth.call(context, s, undefined, at(0))).toMatchObject({
		connectionStatus: 'active',
		lastValidatedAt: at(0).toISOString(),
		consecutiveFailures: 0,
		rotatedAt: null,
	});
	expect(recordHealth.call(context, s, failure(503, 'Maintenance until 09:00', s), at(1))).toMatchObject({
		connectionStatus: 'error',
		consecutiveFailures: 1,
		lastError: 'Maintenance until 09:00',
		lastValidatedAt: at(0).toISOString(),
	});
	expect(recordHealth.call(context, s, failure(401, 'Invalid API key', s), at(2))).toMatchObject({
		connectionStatus: 'expired',
		consecutiveFailures: 2,
		lastError: 'Invalid API key',
	});
	expect(previousStatus.call(context, s)).toBe('expired');
	expect(recordHealth.call(context, s, undefined, at(3))).toMatchObject({
		connectionStatus: 'active',
		consecutiveFailures: 0,
		lastValidatedAt: at(3).toISOString(),
	});
});

it('notices a new API key as a rotation, and keeps no key in the static data', () => {
	expect(recordHealth.call(context, session('key-one-1111'), undefined, at(4)).rotatedAt).toBeNull();
	expect(recordHealth.call(context, session('key-two-2222'), undefined, at(5)).rotatedAt).toBe(at(5).toISOString());
	expect(recordHealth.call(context, session('key-two-2222'), undefined, at(6)).rotatedAt).toBe(at(5).toISOString());
	expect(JSON.stringify(staticData)).not.toMatch(/key-(one|two)/);
});
