/**
 * The product document's three use-case workflows, as shipped in nodes/templates/, run end to end
 * in one real `n8n start` against the services' fakes: each starts from its real trigger (a
 * signed PagerDuty delivery, a signed HubSpot batch, a Google Drive poll) and the test asserts what
 * arrived at every service. The templates are used as a user imports them: node types carry the
 * package name (n8n's `CUSTOM.` prefix here, as the pack is loaded as a custom extension), the
 * user picks credentials and fills the placeholders (repository, channel IDs, spreadsheet ID).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CredentialImport, N8nInstance, WorkflowNode } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { startGitHub, type GitHubFake } from '../fakes/github';
import { GOOGLE_SCOPE } from '../fakes/google';
import { startGoogleDrive, type GoogleDriveFake } from '../fakes/google-drive';
import { startGoogleCalendar, type GoogleCalendarFake } from '../fakes/google-calendar';
import { startGoogleSheets, type GoogleSheetsFake } from '../fakes/google-sheets';
import { startGmail, type GmailFake } from '../fakes/gmail';
import { startHubSpot, type HubSpotFake } from '../fakes/hubspot';
import { startJira, type JiraFake } from '../fakes/jira';
import { startPagerDuty, type PagerDutyFake } from '../fakes/pagerduty';
import { startSlack, type SlackFake } from '../fakes/slack';
import { startWordPress, WP_PATH, type WordPressFake } from '../fakes/wordpress';
import { startX, type XFake } from '../fakes/x';
import { waitFor } from '../triggers/wait';
import { CatalogRun, connectedCredential, publishAndPoll, triggerExecutions } from './helpers';

interface Template {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
}

type Credentials = NonNullable<WorkflowNode['credentials']>;

/** What a user does after importing a template: pick each node's credential and fill its placeholders. */
function setUp(
	file: string,
	credentials: Record<string, Credentials>,
	fill: Record<string, Record<string, unknown>> = {},
): Template {
	const template = JSON.parse(readFileSync(join(__dirname, '../../nodes/templates', file), 'utf8')) as Template;
	for (const node of template.nodes) {
		node.type = node.type.replace(/^n8n-nodes-rills\./, 'CUSTOM.');
		node.credentials = credentials[node.type] ?? credentials[node.name];
		node.parameters = { ...node.parameters, ...fill[node.name] };
		if (!node.credentials && node.type !== 'n8n-nodes-base.set')
			throw new Error(`no credential chosen for ${node.name} (${node.type})`);
	}
	return template;
}

let catalog: CatalogRun;
let n8n: N8nInstance;
let server: N8nServer | undefined;
let pagerDuty: PagerDutyFake;
let jira: JiraFake;
let slack: SlackFake;
let github: GitHubFake;
let hubspot: HubSpotFake;
let sheets: GoogleSheetsFake;
let gmail: GmailFake;
let calendar: GoogleCalendarFake;
let drive: GoogleDriveFake;
let wordpress: WordPressFake;
let x: XFake;
/**
 * A delivery, sent again while n8n answers 404 (its webhook is not live yet right after publishing),
 * as the services retry failed deliveries.
 */
const delivered = <T>(send: () => Promise<T>) =>
	waitFor('a delivery n8n takes', async () => {
		const answer = await send();
		return (answer as { status?: number }).status === 404 ? undefined : answer;
	});
const workflows: Record<'devops' | 'sales' | 'content', string> = { devops: '', sales: '', content: '' };
const credentials: Record<string, Credentials> = {};

/** Messages posted to a channel (by `#name` or ID) or, for a user ID, to the bot's DM with that user. */
const slackPosts = (target: string) =>
	slack.messages.filter(
		(m) => m.channel === target || m.channel === slack.channels.find((c) => `#${c.name}` === target)?.id,
	);

// Eleven fakes, four n8n CLI runs and a server start: on a loaded machine that takes longer than one test.
beforeAll(async () => {
	[pagerDuty, jira, slack, github, hubspot, sheets, gmail, calendar, drive, wordpress, x] = await Promise.all([
		startPagerDuty(),
		startJira(),
		startSlack(),
		startGitHub(),
		startHubSpot(),
		startGoogleSheets(),
		startGmail(),
		startGoogleCalendar(),
		startGoogleDrive(),
		startWordPress(),
		startX(),
	]);
	// The on-call engineer PagerDuty names is a member of the Slack workspace under the same email.
	const [onCall] = pagerDuty.people;
	slack.users.push({
		id: 'U0ADA0001',
		name: 'ada',
		real_name: onCall.name,
		profile: { email: onCall.email, real_name: onCall.name },
	});
	for (const name of ['incidents', 'sales', 'content'])
		slack.channels.push({
			id: `C0${name.toUpperCase().slice(0, 6)}`,
			name,
			is_private: false,
			created: 1_700_000_000,
		});
	// The tracking sheet the user made for the template, with its header row.
	sheets.sheets.set('Deals', [['Deal ID', 'Deal', 'Amount', 'Stage', 'Contact', 'Added']]);
	catalog = await CatalogRun.create();
	n8n = catalog.n8n;

	const githubToken = github.issueToken(['repo']);
	const hubspotToken = hubspot.issueToken(['crm.objects.deals.read', 'crm.objects.contacts.read']);
	catalog.secrets.push(
		pagerDuty.apiKey,
		jira.apiToken,
		githubToken,
		hubspotToken,
		hubspot.client.secret,
		wordpress.editor.applicationPassword,
	);
	// One import for all: each `n8n import:credentials` starts n8n's CLI.
	const imports: CredentialImport[] = [
		{
			id: 'pagerDuty',
			name: 'PagerDuty',
			type: 'rillsPagerDutyApi',
			data: { apiUrl: pagerDuty.url, apiKey: pagerDuty.apiKey },
		},
		{
			id: 'jira',
			name: 'Jira',
			type: 'rillsJiraBasicAuthApi',
			data: { domain: jira.url, username: jira.email, password: jira.apiToken },
		},
		{
			id: 'gitHub',
			name: 'GitHub',
			type: 'rillsGitHubApi',
			data: { apiUrl: github.url, server: github.url, apiKey: githubToken },
		},
		{
			id: 'hubSpot',
			name: 'HubSpot',
			type: 'rillsHubSpotApi',
			data: { apiUrl: hubspot.url, apiKey: hubspotToken, webhookSecret: hubspot.client.secret },
		},
		{
			id: 'wordpress',
			name: 'WordPress',
			type: 'rillsWordPressBasicAuthApi',
			data: {
				apiUrl: wordpress.apiUrl,
				username: wordpress.editor.slug,
				password: wordpress.editor.applicationPassword,
			},
		},
	];
	Object.assign(credentials, {
		'CUSTOM.pagerDutyTrigger': { rillsPagerDutyApi: { id: 'pagerDuty', name: 'PagerDuty' } },
		'CUSTOM.pagerDuty': { rillsPagerDutyApi: { id: 'pagerDuty', name: 'PagerDuty' } },
		'CUSTOM.jira': { rillsJiraBasicAuthApi: { id: 'jira', name: 'Jira' } },
		'CUSTOM.gitHub': { rillsGitHubApi: { id: 'gitHub', name: 'GitHub' } },
		'CUSTOM.hubSpot': { rillsHubSpotApi: { id: 'hubSpot', name: 'HubSpot' } },
		'CUSTOM.hubSpotTrigger': { rillsHubSpotApi: { id: 'hubSpot', name: 'HubSpot' } },
		'CUSTOM.wordPress': { rillsWordPressBasicAuthApi: { id: 'wordpress', name: 'WordPress' } },
	});
	// OAuth2 credentials as they are after "Connect my account": n8n holds the token the service issued.
	const connected = (
		id: string,
		type: string,
		nodeTypes: string[],
		token: string,
		scopes: string[],
		data: Record<string, unknown>,
		extra: { scopeSeparator?: string; tokenType?: string } = {},
	) => {
		catalog.secrets.push(token);
		imports.push(
			connectedCredential({
				id,
				type,
				token,
				scopes,
				data: { clientId: `${id}-client`, clientSecret: `${id}-client-secret-7d1c`, ...data },
				...extra,
			}),
		);
		for (const nodeType of nodeTypes) credentials[nodeType] = { [type]: { id, name: id } };
	};
	const slackScopes = ['chat:write', 'users:read.email'];
	connected(
		'slack',
		'rillsSlackOAuth2Api',
		['CUSTOM.slack'],
		slack.issueToken(slackScopes),
		slackScopes,
		{ apiUrl: slack.url, webhookSecret: slack.signingSecret },
		{ scopeSeparator: ',', tokenType: 'bot' },
	);
	const sheetsScopes = [GOOGLE_SCOPE('spreadsheets')];
	connected(
		'sheets',
		'rillsGoogleSheetsOAuth2Api',
		['CUSTOM.googleSheets'],
		sheets.grant(sheetsScopes),
		sheetsScopes,
		{ apiUrl: sheets.url, googleApisUrl: sheets.url },
	);
	const gmailScopes = [GOOGLE_SCOPE('gmail.send')];
	connected('gmail', 'rillsGmailOAuth2Api', ['CUSTOM.gmail'], gmail.issueToken(gmailScopes), gmailScopes, {
		apiUrl: gmail.url,
	});
	const calendarScopes = [GOOGLE_SCOPE('calendar.events')];
	connected(
		'calendar',
		'rillsGoogleCalendarOAuth2Api',
		['CUSTOM.googleCalendar'],
		calendar.issueToken(calendarScopes),
		calendarScopes,
		{ apiUrl: calendar.url },
	);
	const driveScopes = [GOOGLE_SCOPE('drive.metadata.readonly')];
	connected(
		'drive',
		'rillsGoogleDriveOAuth2Api',
		['CUSTOM.googleDrivePollingTrigger'],
		drive.issueToken(driveScopes),
		driveScopes,
		{ apiUrl: drive.url },
	);
	const docsScopes = [GOOGLE_SCOPE('documents.readonly')];
	connected('docs', 'rillsGoogleDocsOAuth2Api', ['CUSTOM.googleDocs'], drive.issueToken(docsScopes), docsScopes, {
		apiUrl: drive.docs.url,
		googleApisUrl: drive.url,
	});
	const xScopes = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'];
	connected('x', 'rillsXPkceOAuth2Api', ['CUSTOM.x'], x.issueToken(xScopes), xScopes, { apiUrl: x.url });

	await n8n.importCredentials(imports);
	workflows.devops = await n8n.importWorkflow(
		setUp('devops-incident-management.json', credentials, {
			'Create GitHub Tracking Issue': { owner: 'rills', repo: 'launchpad' },
		}),
	);
	workflows.sales = await n8n.importWorkflow(
		setUp('sales-pipeline-automation.json', credentials, {
			'Add to Sales Tracking Sheet': { spreadsheetId: sheets.spreadsheetId },
		}),
	);
	workflows.content = await n8n.importWorkflow(
		setUp('content-publishing.json', credentials, {
			'New Document in Google Drive': { q: drive.files.find((f) => f.name === 'Blog drafts')!.id },
		}),
	);
	server = await N8nServer.start(n8n);
	for (const id of [workflows.devops, workflows.sales]) await server.activate(id);
	// n8n answers the publish before the PagerDuty trigger's subscribe step has stored the signing
	// secret PagerDuty made; PagerDuty would not deliver before it answered that request either.
	await waitFor(
		'the PagerDuty subscription',
		async () =>
			((await server!.staticData(workflows.devops))['node:PagerDuty Alert'] as { secret?: string } | undefined)
				?.secret,
	);
}, 900_000);

afterAll(async () => {
	await server?.stop();
	n8n?.dispose();
	await Promise.all(
		[pagerDuty, jira, slack, github, hubspot, sheets, gmail, calendar, drive, wordpress, x].map((fake) =>
			fake?.close(),
		),
	);
});

it('DevOps Incident Management: a PagerDuty alert opens a Jira P0, posts to #incidents, opens a GitHub issue and tells the engineer PagerDuty has on call', async () => {
	const subscription = pagerDuty.created.at(-1)!;
	expect(subscription.events).toEqual(['incident.triggered']);
	const incident = {
		id: 'Q2K3X9PZ',
		type: 'incident',
		number: 4711,
		title: 'Checkout API error rate above 10 %',
		status: 'triggered',
		urgency: 'high',
		html_url: 'https://acme.pagerduty.com/incidents/Q2K3X9PZ',
		service: { id: 'PSVC001', type: 'service_reference', summary: 'Checkout API' },
		escalation_policy: { id: 'PPOL001', type: 'escalation_policy_reference', summary: 'Checkout API (EP)' },
	};
	expect(await delivered(() => pagerDuty.deliver(subscription, 'incident.triggered', incident))).toMatchObject({
		status: 200,
	});
	const [execution] = await triggerExecutions(server!, workflows.devops, 1);
	expect(execution.status).toBe('success');

	const ticket = jira.issues.at(-1)!;
	expect(ticket.fields).toMatchObject({
		project: { key: 'OPS' },
		issuetype: { name: 'Bug' },
		summary: `P0: ${incident.title}`,
		priority: { name: 'Highest' },
		labels: ['incident', 'p0'],
	});
	expect(JSON.stringify(ticket.fields.description)).toContain(incident.html_url);

	const [alert] = slackPosts('#incidents');
	expect(alert.text).toContain(incident.title);
	expect(alert.text).toContain(ticket.key);

	const tracking = github.repos.get('rills/launchpad')!.issues.at(-1)!;
	expect(tracking).toMatchObject({
		title: `P0: ${incident.title}`,
		labels: [expect.objectContaining({ name: 'incident' })],
	});
	expect(tracking.body).toContain(ticket.key);

	// Level 1 of the incident's escalation policy, found by email in Slack.
	const onCalls = pagerDuty.requests.filter((r) => r.path === '/oncalls');
	expect(onCalls.map((r) => [r.query.get('escalation_policy_ids[]'), r.query.get('escalation_levels[]')])).toEqual([
		['PPOL001', '1'],
	]);
	const [lookup] = slack.requests.filter((r) => r.path === '/api/users.lookupByEmail');
	expect(lookup.query.get('email')).toBe(pagerDuty.people[0].email);
	const [dm] = slackPosts('U0ADA0001');
	expect(dm.text).toContain(ticket.key);
	expect(dm.text).toContain(String(tracking.html_url));
	expect(slack.messages.filter((m) => m.channel.startsWith('U'))).toEqual([dm]);
});

it('Sales Pipeline Automation: a new HubSpot deal lands in the tracking sheet, in #sales, in the contact’s inbox and in the calendar', async () => {
	const contact = hubspot.contacts[0];
	const deal = hubspot.deals[0];
	hubspot.associate(deal.id, contact.id);
	const rowsBefore = sheets.sheets.get('Deals')!.length;
	const event = {
		eventId: 77001,
		subscriptionId: 2202,
		portalId: 62515,
		appId: 1160452,
		occurredAt: Date.now(),
		subscriptionType: 'deal.creation',
		attemptNumber: 0,
		objectId: Number(deal.id),
		changeSource: 'CRM',
	};
	const hook = `${server!.url}/webhook/7c2f9b10-2d3e-4f50-8a61-1a2b3c4d5e01/webhook`;
	expect((await delivered(() => hubspot.deliver(hook, [event]))).status).toBe(200);
	const [execution] = await triggerExecutions(server!, workflows.sales, 1);
	expect(execution.status).toBe('success');

	const rows = sheets.sheets.get('Deals')!;
	expect(rows).toHaveLength(rowsBefore + 1);
	expect(rows.at(-1)!.slice(0, 5)).toEqual([
		deal.id,
		deal.properties.dealname,
		deal.properties.amount,
		deal.properties.dealstage,
		contact.properties.email,
	]);

	const [note] = slackPosts('#sales');
	expect(note.text).toContain(String(deal.properties.dealname));
	expect(note.text).toContain(`${contact.properties.firstname} ${contact.properties.lastname}`);

	const mail = gmail.messages[0].mail!; // newest first, as Gmail lists
	expect(mail.to).toContain(String(contact.properties.email));
	expect(mail.subject).toBe(`Next steps for ${deal.properties.dealname}`);
	expect(mail.text).toContain(`Hi ${contact.properties.firstname}`);

	const checkIn = calendar.events.at(-1)!;
	expect(checkIn.summary).toBe(`Check-in: ${deal.properties.dealname}`);
	expect(checkIn.attendees).toEqual([expect.objectContaining({ email: contact.properties.email })]);
	expect(Date.parse(String(checkIn.start.dateTime)) - Date.now()).toBeGreaterThan(5 * 86_400_000);
});

it('Content Publishing: a new Google Doc in the drafts folder becomes a published WordPress post in HTML, shared on X and announced in #content', async () => {
	const folder = drive.files.find((f) => f.name === 'Blog drafts')!;
	const requests = () => drive.requests.filter((r) => r.path === '/drive/v3/files').length;
	// The first poll on publishing sets the cursor at "now" (First Poll: none); the document arrives after it.
	await publishAndPoll(server!, workflows.content, requests, 1);
	const doc = drive.addDocument(folder.id, 'Launch week recap');
	drive.addFile(folder.id, 'hero.png', 'image/png', 'PNG');
	await publishAndPoll(server!, workflows.content, requests, 1, true);
	const [execution] = await triggerExecutions(server!, workflows.content, 1);
	expect(execution.status).toBe('success');
	expect(drive.docs.requests.map((r) => r.path)).toEqual([`/v1/documents/${doc.id}`]);

	expect(wordpress.posts).toHaveLength(1);
	const [post] = wordpress.posts;
	const [create] = wordpress.requests.filter((r) => r.method === 'POST' && r.path === `${WP_PATH}/posts`);
	expect(create.body).toEqual({ title: 'Launch week recap', content: post.content });
	expect(post.content.split('\n')).toEqual(
		expect.arrayContaining([
			'<h2>What changed</h2>',
			'<ol><li>Back up your workspace</li><li>Run the installer</li></ol>',
			`<p><img src="https://lh7-rt.googleusercontent.com/docsz/${doc.id}" alt="Sync times before and after"></p>`,
		]),
	);
	expect(post.content).toContain('<a href="https://example.com/changelog?from=2026-11-30&amp;to=2026-12-04">');
	expect(post.content).toContain('&lt;script&gt;');
	expect(post.content).not.toMatch(/<script|javascript:/);
	const [publish] = wordpress.requests.filter((r) => r.path === `${WP_PATH}/posts/${post.id}`);
	expect(publish.body).toEqual({ status: 'publish' });
	expect(post).toMatchObject({ status: 'publish', slug: 'launch-week-recap' });

	expect(x.tweets.map((t) => t.text)).toEqual([`New on the blog: Launch week recap ${post.link}`]);
	const [announcement] = slackPosts('#content');
	expect(announcement.text).toBe(
		`Published "Launch week recap": ${post.link} (shared on X: https://x.com/i/web/status/${x.tweets[0].id})`,
	);
});

it('no secret of any service appears in n8n’s output or stored executions', async () => {
	const stored = await Promise.all(
		Object.values(workflows).map(async (id) => JSON.stringify(await server!.executions(id))),
	);
	expect(catalog.leaks([server!.log, ...stored])).toEqual([]);
});
