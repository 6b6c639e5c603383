/**
 * `npm run dev`: the quick start. Regenerates the catalog from its definitions, builds the pack,
 * starts the example services (loopback fakes of Acme Tasks and Orbit CRM) and a local n8n with
 * the pack, credentials for both services and example workflows, then waits until Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startAcmeTasks } from '../test/fakes/acme-tasks';
import { startOrbitCrm } from '../test/fakes/orbit-crm';
import { N8nInstance, type WorkflowNode } from './harness/n8n';
import { N8nServer, OWNER } from './harness/n8n-server';

const ROOT = join(__dirname, '..');
const PORTS = { n8n: Number(process.env.N8N_PORT ?? 5678), acme: 4010, orbit: 4020 };

function step(title: string, command: string, args: string[]): void {
	process.stdout.write(`› ${title}\n`);
	const { status } = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
	if (status !== 0) throw new Error(`${title} failed`);
}

const manual = { name: 'Start', type: 'n8n-nodes-base.manualTrigger' };
const acme = (parameters: Record<string, unknown>): WorkflowNode => ({
	name: 'Acme Tasks',
	type: 'CUSTOM.acmeTasks',
	parameters,
	credentials: { rillsAcmeTasksApi: { id: 'devAcme', name: 'Acme Tasks (local example)' } },
});
const orbit = (parameters: Record<string, unknown>): WorkflowNode => ({
	name: 'Orbit CRM',
	type: 'CUSTOM.orbitCrm',
	parameters: { authentication: 'oAuth2ClientCredentials', ...parameters },
	credentials: { rillsOrbitCrmClientCredentialsOAuth2Api: { id: 'devOrbit', name: 'Orbit CRM (local example)' } },
});

async function main(): Promise<void> {
	step('Regenerating nodes and credentials from nodes/*/*.integration.yaml', 'npm', ['run', '--silent', 'generate']);
	step('Building the pack', 'npm', ['run', '--silent', 'build']);
	step('Installing n8n into the cache (first run only)', 'bash', [join(__dirname, 'harness', 'install-n8n.sh')]);

	const acmeService = await startAcmeTasks({ port: PORTS.acme });
	const orbitService = await startOrbitCrm({ port: PORTS.orbit });
	const n8n = await N8nInstance.create();
	await n8n.importCredentials([
		{
			id: 'devAcme',
			name: 'Acme Tasks (local example)',
			type: 'rillsAcmeTasksApi',
			data: { server: acmeService.url, apiKey: acmeService.apiKey },
		},
		{
			id: 'devOrbit',
			name: 'Orbit CRM (local example)',
			type: 'rillsOrbitCrmClientCredentialsOAuth2Api',
			data: {
				domain: orbitService.url,
				clientId: orbitService.client.id,
				clientSecret: orbitService.client.secret,
			},
		},
	]);
	await n8n.importWorkflow({
		name: 'Acme Tasks: open tasks (Link-header pages)',
		nodes: [
			manual,
			acme({ resource: 'task', operation: 'getAll', returnAll: true, additionalFields: { status: 'open' } }),
		],
	});
	await n8n.importWorkflow({
		name: 'Orbit CRM: every contact (cursor pages, 5 requests/s)',
		nodes: [manual, orbit({ resource: 'contact', operation: 'getAll', returnAll: true })],
	});
	await n8n.importWorkflow({
		name: 'Credential health check',
		nodes: [
			manual,
			{ ...acme({ resource: 'connection', operation: 'check' }), name: 'Check Acme Tasks' },
			{ ...orbit({ resource: 'connection', operation: 'check' }), name: 'Check Orbit CRM' },
		],
	});

	process.stdout.write('› Starting n8n\n');
	const server = await N8nServer.start(n8n, PORTS.n8n);
	process.stdout.write(
		[
			'',
			`n8n is running at ${server.url}  (sign in as ${OWNER.email} / ${OWNER.password})`,
			`Example services: Acme Tasks ${acmeService.url}, Orbit CRM ${orbitService.url}; credentials and three workflows are set up.`,
			'Ctrl-C stops everything and deletes this throwaway instance.',
			'',
		].join('\n'),
	);

	const shutdown = async () => {
		await server.stop();
		n8n.dispose();
		await Promise.all([acmeService.close(), orbitService.close()]);
		process.exit(0);
	};
	process.once('SIGINT', () => void shutdown());
	process.once('SIGTERM', () => void shutdown());
}

main().catch((error: Error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
