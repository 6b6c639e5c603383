/**
 * The README's catalog table, written from the definitions themselves so it cannot drift from
 * what the nodes do. Which test runs each service in n8n is the tests' business, not the
 * generator's: test/generator/catalog-coverage.test.ts holds every service to a test.
 */
import type { AuthVariant, Integration } from '../model/types';
import type { Pagination, RateLimit } from '../../nodes/shared/types';

export function catalogTable(integrations: Integration[]): string {
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
		];
	});
	const header = ['Service', 'Category', 'Auth', 'Actions', 'Triggers', 'Pagination', 'Rate limit'];
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
