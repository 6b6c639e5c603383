/**
 * The README's catalog table, written from the definitions themselves so it cannot drift from
 * what the nodes do. "Tested in n8n" is read from the tests: ✓ when a test builds a `Coverage`
 * over the definition (it fails unless every operation and trigger ran in a real n8n), "partly"
 * naming the tests that run the node when none does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { AuthVariant, Integration } from '../model/types';
import type { Pagination, RateLimit } from '../../nodes/shared/types';

export interface CatalogEntry {
	integration: Integration;
	/** The definition file, relative to the project root. */
	source: string;
}

export function catalogTable(entries: CatalogEntry[], root: string): string {
	const tests = testFiles(join(root, 'test')).map((file) => ({
		path: relative(root, file).split('\\').join('/'),
		text: readFileSync(file, 'utf8'),
	}));
	const rows = entries.map(({ integration, source }) => {
		const coveredBy = tests.find((t) => t.text.includes('new Coverage(') && t.text.includes(basename(source)));
		const runIn = tests.filter((t) =>
			new RegExp(`CUSTOM\\.${integration.name}(Trigger|PollingTrigger)?\\b`).test(t.text),
		);
		const operations = integration.resources.flatMap((r) => r.operations);
		return [
			integration.displayName,
			integration.category,
			unique(integration.auth.map(authLabel)).join(', '),
			`${operations.length}: ${operations.map((o) => o.action).join('; ')}`,
			integration.triggers.length
				? integration.triggers.map((t) => `${t.displayName} (${t.type})`).join('; ')
				: '—',
			unique(
				operations.flatMap((o) =>
					o.pagination && o.pagination.type !== 'none' ? [paginationLabel(o.pagination)] : [],
				),
			).join(', ') || 'none needed',
			integration.rateLimits.length
				? integration.rateLimits.map(rateLabel).join(', ')
				: `429 waited out (≤ ${integration.retry.maxWaitSeconds} s)`,
			coveredBy
				? `✓ [${basename(coveredBy.path)}](${coveredBy.path})`
				: runIn.length
					? `partly: ${runIn.map((t) => `[${basename(t.path)}](${t.path})`).join(', ')}`
					: '✗',
		];
	});
	const header = ['Service', 'Category', 'Auth', 'Actions', 'Triggers', 'Pagination', 'Rate limit', 'Tested in n8n'];
	return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

function row(cells: string[]): string {
	return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

function authLabel(auth: AuthVariant): string {
	switch (auth.type) {
		case 'apiKey':
			return 'API key';
		case 'basic':
			return 'Basic';
		case 'oauth1':
			return 'OAuth1';
		case 'none':
			return 'none';
		case 'oauth2':
			return { authorizationCode: 'OAuth2', clientCredentials: 'OAuth2 client credentials', pkce: 'OAuth2 PKCE' }[
				auth.grantType
			];
	}
}

function paginationLabel(pagination: Pagination): string {
	if (pagination.type === 'link') return pagination.location === 'header' ? 'Link header' : 'next URL in body';
	return pagination.type;
}

function rateLabel(limit: RateLimit): string {
	const unit: Record<number, string> = { 1: 's', 60: 'min', 3600: 'h', 86400: 'day' };
	return unit[limit.perSeconds]
		? `${limit.requests.toLocaleString('en-US')}/${unit[limit.perSeconds]}`
		: `${limit.requests.toLocaleString('en-US')}/${limit.perSeconds} s`;
}

function testFiles(folder: string): string[] {
	if (!existsSync(folder)) return [];
	return readdirSync(folder, { withFileTypes: true })
		.flatMap((d) =>
			d.isDirectory()
				? testFiles(join(folder, d.name))
				: d.name.endsWith('.test.ts')
					? [join(folder, d.name)]
					: [],
		)
		.sort();
}
