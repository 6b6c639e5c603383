/**
 * The Custom API node and credential in the editor, in a real browser (Debian's Chromium driven by
 * playwright-core) against `n8n start` with the pack installed as a community package: the
 * credential dialog tests the pasted spec and key, the node's Resource and Operation drop-downs
 * come from the spec. Screenshots go to .test-output/screenshots; docs/custom-api-*.png were picked
 * from there.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer, OWNER } from '../../scripts/harness/n8n-server';
import type { Mock } from '../../scripts/roundtrip/mock';
import { n8nWithPackInstalled, SPEC_FILE, startNotesMock } from './setup';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, '.test-output', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let mock: Mock;
let n8n: N8nInstance;
let server: N8nServer;
let browser: Browser;
let page: Page;
let workflow: string;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const visible = (text: string, exact = false) =>
	page.getByText(text, { exact }).first().waitFor({ state: 'visible', timeout: 60_000 });

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	mock = await startNotesMock();
	n8n = await n8nWithPackInstalled();
	await n8n.importCredentials([
		{
			id: 'notes',
			name: 'Notes API',
			type: 'rillsCustomApi',
			data: {
				spec: readFileSync(SPEC_FILE, 'utf8'),
				baseUrl: `${mock.url}/v1`,
				authMethod: 'apiKey',
				apiKey: 'notes-key-5f1c2e',
				authHeader: 'X-Api-Key',
				authPreamble: '',
			},
		},
	]);
	workflow = await n8n.importWorkflow({
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{
				name: 'Notes',
				type: 'n8n-nodes-rills.customApi',
				parameters: { resource: 'notes', operation: 'create' },
				credentials: { rillsCustomApi: { id: 'notes', name: 'Notes API' } },
			},
		],
	});
	server = await N8nServer.start(n8n);
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
	});
	page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	// The editor's first load compiles its bundle: slow on a busy machine.
	page.setDefaultTimeout(120_000);
	await page.goto(`${server.url}/signin`);
	await page.fill('input[type=email]', OWNER.email);
	await page.fill('input[type=password]', OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('signin'));
}, 900_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	n8n?.dispose();
	await mock?.close();
});

async function openNode(): Promise<void> {
	await page.goto(`${server.url}/workflow/${workflow}`);
	await page.locator('[data-test-id="canvas-node"][data-node-name="Notes"]').dblclick();
	await visible('Parameters', true);
}

it("the node shows the spec's operations and the operation's fields", async () => {
	await openNode();
	// The operation's required fields, loaded from the spec through the credential.
	await visible('Title (body)');
	await page.getByText('Operation Name or ID', { exact: true }).first().waitFor();
	await page.locator('[data-test-id="parameter-input-operation"]').first().click();
	await visible('Get Many', true);
	await visible('Delete', true);
	await shot('custom-api-node');
});

it('the credential dialog tests the pasted spec and the key', async () => {
	await openNode();
	await page.locator('[data-test-id="credential-edit-button"]').first().click();
	for (const label of ['OpenAPI Spec', 'API Base URL', 'API Key Header Name', 'Pagination Type'])
		await visible(label);
	await visible('Connection tested successfully');
	await shot('custom-api-credential');
});
