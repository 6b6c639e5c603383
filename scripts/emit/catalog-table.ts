/**
 * The README's catalog table, written from the definitions themselves so it cannot drift from
 * what the nodes do. Which test runs each service in n8n is the tests' business, not the
 * generator's: test/generator/catalog-coverage.test.ts holds every service to a test.
 */
import type { AuthVariant, Integration } from '../model/types';
import type { Pagination, RateLimit } from '../../nodes/shared/types';

/** What the conformance tier (test/conformance) checked each service against; it writes this file. */
export const CONFORMANCE_RECORD = 'docs/conformance.json';

export type ConformanceRecord = Record<
	string,
	{ description: string; packageVersion: string; api: string; requests: number; deviations: number }
>;

export function catalogTable(integrations: Integration[], conformance: ConformanceRecord): string {
	const rows = integrations.map((integration) => {
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
			conformsTo(integration, conformance[integration.name]),
		];
	});
	const header = ['Service', 'Category', 'Auth', 'Actions', 'Triggers', 'Pagination', 'Rate limit', 'Conforms to'];
	const table = [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
	return `${table}${deviationList(integrations)}`;
}

/** The deliberate deviations from the vendors' descriptions, each with its reason, under the table. */
function deviationList(integrations: Integration[]): string {
	const items = integrations.flatMap((integration) =>
		(integration.conformance?.deviations ?? []).map(
			(d) =>
				`- ${integration.displayName}, ${d.operation === '*' ? 'every request' : `\`${d.operation}\``}: ` +
				`"${d.finding}". ${d.reason}`,
		),
	);
	return items.length ? `\n\nDeliberate deviations from the vendors' descriptions:\n\n${items.join('\n')}` : '';
}

function conformsTo(integration: Integration, checked: ConformanceRecord[string] | undefined): string {
	if (checked) {
		const deviations = checked.deviations ? `, ${checked.deviations} deviation(s) with reasons` : '';
		const [, pkg, file] = /^((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(checked.description) ?? [];
		const source = `${pkg}@${checked.packageVersion} ${file}`;
		return `${checked.api}: ${source}, ${checked.requests} requests checked${deviations}`;
	}
	const pages = integration.conformance?.reference ?? [];
	return pages.length
		? `vendor reference (no description on npm): ${pages.map((p, i) => `[${i + 1}](${p})`).join(' ')}`
		: '—';
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
