/**
 * GitHub's REST spec (@octokit/openapi, 1,200+ operations) as a package: generated from the spec
 * with an overlay that adds its token auth, compiled, loaded into a real n8n, and run against a
 * loopback server that checks every request against the same spec.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { N8nInstance, type Execution, type WorkflowNode } from '../../scripts/harness/n8n';
import { importSpec } from '../../scripts/openapi/import';
import { readOverlay } from '../../scripts/openapi/overlay';
import { buildPackage } from '../../scripts/harness/package-build';
import { writeFiles } from '../../scripts/openapi/package';
import { freshFolder } from './helpers';
import { startSpecServer, type SpecServer } from './spec-server';

let OUT: string;
const SPEC = require.resolve('@octokit/openapi/generated/api.github.com.json');
const TOKEN = 'ghp_loopbackToken0123456789';
const ISSUES = Array.from({ length: 7 }, (_, i) => ({ number: i + 1, title: `Issue ${i + 1}` }));

let n8n: N8nInstance;
let api: SpecServer;
let operations = 0;
let execution: Execution;

const github = (name: string, parameters: Record<string, unknown>): WorkflowNode => ({
	name,
	type: 'CUSTOM.github',
	parameters,
	credentials: { githubGithubApi: { id: 'gh', name: 'GitHub token' } },
});

beforeAll(async () => {
	OUT = freshFolder('github');
	const overlayFile = join(OUT, 'github.integration.yaml');
	writeFiles(OUT, [
		{
			path: 'github.integration.yaml',
			content: `spec: ${SPEC}
name: github
displayName: GitHub
description: Repositories, issues, pull requests and the rest of GitHub's REST API
baseUrl: "{server}"
config:
  - { name: server, displayName: API URL, default: "https://api.github.com" }
auth:
  type: apiKey
  in: header
  name: Authorization
  preamble: Bearer
  extraHeaders: { X-GitHub-Api-Version: "2022-11-28" }
`,
		},
	]);
	const read = readOverlay(overlayFile);
	const imported = await importSpec(read.specFile!, { overlay: read.overlay });
	operations = imported.integration!.resources.reduce((n, r) => n + r.operations.length, 0);
	const pkg = join(OUT, 'package');
	buildPackage(pkg, imported.integration!, 'n8n-nodes-github', 'api.github.com.json');
	spawnSync(process.execPath, ['copy-assets.js'], { cwd: pkg });

	const doc = JSON.parse(readFileSync(SPEC, 'utf8'));
	api = await startSpecServer(
		doc,
		{
			'users/get-authenticated': () => ({ body: { login: 'octocat', id: 1 } }),
			'issues/create': (r) => ({ status: 201, body: { number: 8, ...JSON.parse(r.request.rawBody) } }),
			'issues/update': (r) => ({
				body: { number: Number(r.params.issue_number), ...JSON.parse(r.request.rawBody) },
			}),
			'repos/get': (r) => ({ body: { full_name: `${r.params.owner}/${r.params.repo}` } }),
			// Pages of 3 whatever per_page asks, so Return All has pages to follow.
			'issues/list-for-repo': (r) => {
				const page = Number(r.request.query.get('page') ?? 1);
				const size = Math.min(3, Number(r.request.query.get('per_page') ?? 30));
				const headers: Record<string, string> = {};
				if (page * size < ISSUES.length)
					headers.link = `<${api.url}${r.request.path}?state=all&per_page=${size}&page=${page + 1}>; rel="next"`;
				return { body: ISSUES.slice((page - 1) * size, page * size), headers };
			},
		},
		TOKEN,
	);
	n8n = await N8nInstance.create({ extensions: [join(pkg, 'dist')] });
	// Runs go through one `n8n start` rather than an n8n boot per import and execute.
	await N8nServer.start(n8n);
	await n8n.importCredentials([
		{ id: 'gh', name: 'GitHub token', type: 'githubGithubApi', data: { server: api.url, apiKey: TOKEN } },
	]);
	execution = await n8n.run([
		github('Me', { resource: 'users', operation: 'getAuthenticated' }),
		github('Open', {
			resource: 'issues',
			operation: 'create',
			owner: 'octo',
			repo: 'hello',
			title: 'Broken build',
			additionalFields: { body: 'It fails on main', labels: '["bug", "ci"]' },
		}),
		github('Close', {
			resource: 'issues',
			operation: 'update',
			owner: 'octo',
			repo: 'hello',
			issueNumber: '={{ $json.number }}',
			additionalFields: { state: 'closed', stateReason: 'completed' },
		}),
		github('Repo', { resource: 'repos', operation: 'get', owner: 'octo', repo: 'hello' }),
		github('All issues', {
			resource: 'issues',
			operation: 'listForRepo',
			owner: 'octo',
			repo: 'hello',
			returnAll: true,
			additionalFields: { state: 'all', direction: 'asc' },
		}),
	]);
});

afterAll(async () => {
	await n8n?.close();
	await api?.close();
	rmSync(OUT, { recursive: true, force: true });
});

it('exposes every operation of the spec in one node', () => {
	const paths = JSON.parse(readFileSync(SPEC, 'utf8')).paths as Record<string, Record<string, unknown>>;
	const inSpec = Object.values(paths).reduce(
		(n, item) => n + ['get', 'put', 'post', 'delete', 'patch', 'head'].filter((m) => item[m]).length,
		0,
	);
	expect(operations).toBe(inSpec);
	expect(operations).toBeGreaterThan(1000);
});

it('runs in n8n, and every request it sends is one the spec allows', () => {
	expect(execution.error).toBeUndefined();
	expect(api.violations).toEqual([]);
	expect(api.handled.map((h) => h.operationId)).toEqual([
		'users/get-authenticated',
		'issues/create',
		'issues/update',
		'repos/get',
		'issues/list-for-repo',
		'issues/list-for-repo',
		'issues/list-for-repo',
	]);
	for (const h of api.handled) expect(h.request.headers['x-github-api-version']).toBe('2022-11-28');
});

it('sends path, body and query fields where the spec puts them', () => {
	const [, create, update, repo] = api.handled;
	expect(create.params).toEqual({ owner: 'octo', repo: 'hello' });
	expect(JSON.parse(create.request.rawBody)).toEqual({
		title: 'Broken build',
		body: 'It fails on main',
		labels: ['bug', 'ci'],
	});
	expect(update.params.issue_number).toBe('8');
	expect(JSON.parse(update.request.rawBody)).toEqual({ state: 'closed', state_reason: 'completed' });
	expect(repo.params).toEqual({ owner: 'octo', repo: 'hello' });
	expect(execution.output.Repo).toEqual([{ full_name: 'octo/hello' }]);
	expect(execution.output.Me).toEqual([{ login: 'octocat', id: 1 }]);
});

it('Return All follows the Link header the spec declares', () => {
	const list = api.handled.filter((h) => h.operationId === 'issues/list-for-repo');
	expect(list.map((h) => Object.fromEntries(h.request.query))).toEqual([
		{ state: 'all', direction: 'asc', per_page: '100' },
		{ state: 'all', per_page: '3', page: '2' },
		{ state: 'all', per_page: '3', page: '3' },
	]);
	expect(execution.output['All issues'].map((i) => i.number)).toEqual(ISSUES.map((i) => i.number));
});

it('the loopback checker does flag requests the spec does not allow', async () => {
	const before = api.violations.length;
	await fetch(`${api.url}/repos/octo/hello/issues?colour=red&state=maybe`, {
		headers: { authorization: `Bearer ${TOKEN}` },
	});
	await fetch(`${api.url}/repos/octo/hello/issues`, {
		method: 'POST',
		headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
		body: JSON.stringify({ labels: 'not-a-list' }),
	});
	expect(api.violations.slice(before)).toEqual([
		'issues/list-for-repo: query parameter colour is not declared',
		'issues/list-for-repo: query state=maybe is not one of open, closed, all',
		'issues/create: Authorization header is Bearer wrong',
		expect.stringMatching(/^issues\/create: body does not match the schema: .*title/),
	]);
});
