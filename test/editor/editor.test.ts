/**
 * The pack as an n8n user and admin see it: a real browser (Debian's Chromium driven by
 * playwright-core) against `n8n start` on loopback. Screenshots go to .test-output/screenshots;
 * the ones in docs/ were picked from there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer, OWNER } from '../../scripts/harness/n8n-server';
import { startAcmeTasks, type AcmeTasksFake } from '../fakes/acme-tasks';
import { startAirtable, type AirtableFake } from '../fakes/airtable';
import { startOrbitCrm, type OrbitCrmFake } from '../fakes/orbit-crm';

const SHOTS = join(__dirname, '..', '..', '.test-output', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let acme: AcmeTasksFake;
let orbit: OrbitCrmFake;
let airtable: AirtableFake;
let n8n: N8nInstance;
let server: N8nServer;
let browser: Browser;
let page: Page;
const workflows: Record<string, string> = {};

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const visible = (text: string, exact = false) =>
	page.getByText(text, { exact }).first().waitFor({ state: 'visible', timeout: 20_000 });

async function openNode(workflow: string, node: string): Promise<void> {
	await page.goto(`${server.url}/workflow/${workflows[workflow]}`);
	// The canvas settles (fits the view) before it takes a double click; slowly on a loaded machine.
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${node}"]`).dblclick({ timeout: 120_000 });
	await visible('Parameters', true);
}

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	[acme, orbit, airtable] = await Promise.all([startAcmeTasks(), startOrbitCrm(), startAirtable()]);
	n8n = await N8nInstance.create();
	await n8n.importCredentials([
		{ id: 'acmeKey', name: 'Acme key', type: 'rillsAcmeTasksApi', data: { server: acme.url, apiKey: acme.apiKey } },
		{
			id: 'orbitOAuth',
			name: 'Orbit sign-in',
			type: 'rillsOrbitCrmOAuth2Api',
			data: { domain: orbit.url, clientId: orbit.client.id, clientSecret: orbit.client.secret },
		},
		{
			id: 'airtablePat',
			name: 'Airtable PAT',
			type: 'rillsAirtableApi',
			data: { apiUrl: airtable.url, apiKey: airtable.pat },
		},
	]);
	const start = { name: 'Start', type: 'n8n-nodes-base.manualTrigger' };
	workflows.acme = await n8n.importWorkflow({
		nodes: [
			start,
			{
				name: 'Acme Tasks',
				type: 'CUSTOM.acmeTasks',
				parameters: { resource: 'task', operation: 'create', title: 'Write report' },
				credentials: { rillsAcmeTasksApi: { id: 'acmeKey', name: 'Acme key' } },
			},
		],
	});
	workflows.orbit = await n8n.importWorkflow({
		nodes: [
			start,
			{
				name: 'Orbit CRM',
				type: 'CUSTOM.orbitCrm',
				parameters: { authentication: 'oAuth2', resource: 'contact', operation: 'getAll' },
				credentials: { rillsOrbitCrmOAuth2Api: { id: 'orbitOAuth', name: 'Orbit sign-in' } },
			},
		],
	});
	workflows.airtable = await n8n.importWorkflow({
		nodes: [
			start,
			{
				name: 'Airtable',
				type: 'CUSTOM.airtable',
				parameters: { authentication: 'apiKey', resource: 'record', operation: 'search' },
				credentials: { rillsAirtableApi: { id: 'airtablePat', name: 'Airtable PAT' } },
			},
		],
	});
	server = await N8nServer.start(n8n);
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run',
		],
	});
	page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	await page.goto(`${server.url}/signin`);
	await page.fill('input[type=email]', OWNER.email);
	await page.fill('input[type=password]', OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('signin'));
	// Three imports, a server start and a browser: on a loaded machine more than the default five minutes.
}, 900_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	n8n?.dispose();
	await Promise.all([acme?.close(), orbit?.close(), airtable?.close()]);
});

it('the node panel search finds the pack’s nodes', async () => {
	await page.goto(`${server.url}/workflow/new`);
	await page.getByText('Add first step').first().waitFor();
	await page
		.getByText('Got it')
		.click({ timeout: 3000 })
		.catch(() => undefined);
	// The dashed "+" box above "Add first step…" opens the panel; the canvas may take a moment to take clicks.
	const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[placeholder^="Search"]').first();
	for (let attempt = 0; attempt < 5 && !(await search.isVisible()); attempt++) {
		const box = (await page.getByText('Add first step').first().boundingBox())!;
		await page.mouse.click(box.x + box.width / 2, box.y - 60);
		await search.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
	}
	await search.fill('Acme');
	await visible('Rills Acme Tasks', true);
	// A trigger with several events is listed as an app, without "Trigger", and opens on its events.
	await visible('Rills Acme Tasks Polling', true);
	await shot('node-search');
	await page.getByText('Rills Acme Tasks Polling', { exact: true }).first().click();
	await visible('Connection Status Changed');
});

it('a node opens with its resources, operations, fields and Additional Fields', async () => {
	await openNode('acme', 'Acme Tasks');
	for (const label of ['Resource', 'Operation', 'Title', 'Additional Fields']) await visible(label, true);
	await shot('node-parameters');
});

it('the API-key credential shows its fields and the Test reaches the service', async () => {
	await openNode('acme', 'Acme Tasks');
	const before = acme.requests.length;
	await page.locator('[data-test-id="credential-edit-button"]').first().click();
	for (const label of ['Server URL', 'API Key']) await visible(label);
	await visible('Connection tested successfully');
	const tests = acme.requests.slice(before).filter((r) => r.path === '/api/v1/me');
	expect(tests.length).toBeGreaterThan(0);
	expect(tests[0].headers.authorization).toBe(`Token ${acme.apiKey}`);
	await shot('credential-api-key');
});

it('the OAuth2 credential asks only for what an admin must fill in', async () => {
	await openNode('orbit', 'Orbit CRM');
	await page.locator('[data-test-id="credential-edit-button"]').first().click();
	for (const label of ['Domain', 'Client ID', 'Client Secret', 'Scope', 'OAuth Redirect URL']) await visible(label);
	const values = await page
		.locator('[data-test-id="credential-edit-dialog"] input')
		.evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
	expect(values).toContain('offline_access contacts.read contacts.write deals.read');
	// Token URL, grant type and client authentication come from the definition and stay hidden.
	expect(await page.getByText('Access Token URL', { exact: true }).count()).toBe(0);
	expect(await page.getByText('Grant Type', { exact: true }).count()).toBe(0);
	await shot('credential-oauth2');
});

it('a locator’s From List shows the service’s entries, and its search narrows them', async () => {
	await openNode('airtable', 'Airtable');
	const before = airtable.requests.length;
	await page.locator('[data-test-id="resource-locator-baseId"] [data-test-id="rlc-input"]').click();
	// The open picker's entries (n8n renders the dropdown outside the field).
	const entries = page.locator('[data-test-id="rlc-item"]');
	await entries.first().waitFor({ state: 'visible', timeout: 20_000 });
	// The fake's bases in its order: the test base, then Base 0001, Base 0002, …
	const shown = await entries.allInnerTexts();
	expect(shown.length).toBeGreaterThan(5);
	expect(shown.slice(0, 3).map((t) => t.trim())).toEqual(['Launch tracker', 'Base 0001', 'Base 0002']);
	await shot('picker-list');

	await page.locator('[data-test-id="rlc-search"]').fill('launch');
	// n8n asks the node again with the filter; the list shrinks once the answer is in.
	for (let waited = 0; waited < 20_000 && (await entries.count()) !== 1; waited += 250)
		await page.waitForTimeout(250);
	expect((await entries.allInnerTexts()).map((t) => t.trim())).toEqual(['Launch tracker']);
	await shot('picker-search');
	const listed = airtable.requests.slice(before).filter((r) => r.path === '/v0/meta/bases');
	expect(listed.length).toBeGreaterThan(0);
	expect(listed.every((r) => r.headers.authorization === `Bearer ${airtable.pat}`)).toBe(true);
});
