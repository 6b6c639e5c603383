/** Overlay definitions: a `*.integration.yaml` with `spec:` picks, renames and completes what a spec generates. */
import { readOverlay } from '../../scripts/openapi/overlay';
import { FIXTURES, importFixture, operation } from './helpers';
import { join } from 'node:path';

async function overlaid(file: string) {
	const read = readOverlay(join(FIXTURES, file), file);
	expect(read.findings).toEqual([]);
	return (await importFixture(read.specFile!, { overlay: read.overlay })).integration;
}

it('picks operations by tag and path, drops excluded operationIds, and overrides integration fields', async () => {
	const shop = await overlaid('shop.integration.yaml');
	expect(shop).toMatchObject({ name: 'petShop', displayName: 'Pet Shop', status: 'deprecated', icon: { light: 'shop.svg' }, rateLimits: [{ requests: 10, perSeconds: 1 }] });
	expect(shop.resources.map((r) => [r.name, r.displayName, r.operations.map((o) => o.name)])).toEqual([['pets', 'Animals', ['getAll', 'create', 'get', 'delete', 'update', 'listOwnerPets']]]);
});

it('applies regex rename rules in order, like the seed\'s "(.*?) Get" → "Get $1"', async () => {
	const shop = await overlaid('shop.integration.yaml');
	expect(operation(shop, 'pets', 'getAll').displayName).toBe('Get Many');
	expect(operation(shop, 'pets', 'listOwnerPets').displayName).toBe('List Owner Animals');
	expect(operation(shop, 'pets', 'create').displayName).toBe('Create');
});

it('changes single operations by operationId: label, scopes, resource and pagination', async () => {
	const shop = await overlaid('shop.integration.yaml');
	expect(operation(shop, 'pets', 'get')).toMatchObject({ displayName: 'Fetch', requiredScopes: ['pets:read'] });
	expect(operation(shop, 'pets', 'listOwnerPets').pagination).toEqual({ type: 'page', pageParam: 'p', pageSize: 100, maxPages: 20 });
});

it('reports schema mistakes of the overlay, located, with a suggestion', () => {
	const read = readOverlay(join(FIXTURES, 'bad/overlay.integration.yaml'), 'overlay.yaml');
	expect(read.overlay).toBeUndefined();
	expect(read.findings.map((f) => [f.pointer, f.rule, f.line])).toEqual([['/select/tag', 'schema', 2]]);
	expect(read.findings[0].fix).toBe('did you mean "tags"?');
});

it('an overlay selecting nothing is refused with the reason', async () => {
	const { importSpec } = await import('../../scripts/openapi/import');
	const result = await importSpec(join(FIXTURES, 'shop.yaml'), { overlay: { spec: 'shop.yaml', select: { tags: ['nope'] } } });
	expect(result.refusal).toMatch(/^nothing-selected/);
	expect(result.findings.at(-1)).toMatchObject({ pointer: '/select', severity: 'error' });
});

it('reports an overlay regex that does not compile', () => {
	const read = readOverlay(join(FIXTURES, 'bad/regex.integration.yaml'), 'regex.yaml');
	expect(read.findings).toMatchObject([{ pointer: '/rename/0/match', rule: 'invalid-pattern', severity: 'error', line: 3 }]);
});
