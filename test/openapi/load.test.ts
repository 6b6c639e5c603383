/**
 * Loading reads JSON through a one-byte copy with non-ASCII characters escaped (faster on large
 * specs); these hold it to what reading the file as UTF-8 gives, on hand-made files.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec } from '../../scripts/openapi/load';
import { describe as hint } from '../../scripts/openapi/text';
import { code, literal, str } from '../../scripts/emit/literal';
import { freshFolder } from './helpers';

let folder: string;
beforeAll(() => {
	folder = freshFolder('load');
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
	const path = join(folder, name);
	writeFileSync(path, text);
	return path;
}

const spec = (extra: Record<string, unknown>) => ({
	openapi: '3.0.3',
	info: { title: 'T', version: '1' },
	paths: {},
	...extra,
});

describe('loading JSON with non-ASCII text', () => {
	it('gives the document UTF-8 reading gives: accents, CJK, emoji (surrogate pairs), line separators, in keys and values', async () => {
		const doc = spec({
			info: { title: 'Café — 東京 😀 \u2028 end', description: 'naïve\u2029façade', version: '1' },
			'x-ünïcode-kéy': ['ß', '€', '𝄞'],
		});
		const text = JSON.stringify(doc, null, 2);
		const loaded = await loadSpec(file('unicode.json', text));
		expect(loaded.findings).toEqual([]);
		expect(loaded.document).toEqual(JSON.parse(text));
		expect((loaded.document!.info as { title: string }).title).toBe('Café — 東京 😀 \u2028 end');
	});

	it('reads a large file whose non-ASCII characters fall on every byte offset around the 16 KiB scan spans', async () => {
		// Multi-byte characters placed so that some straddle each span boundary, and runs longer than a span.
		const descriptions = Array.from({ length: 64 }, (_, i) => 'x'.repeat(997 + i) + '東京😀é'.repeat(1 + (i % 3)));
		const doc = spec({
			info: { title: 'Big', version: '1' },
			'x-texts': descriptions,
			'x-long': 'ü'.repeat(20_000),
		});
		const text = JSON.stringify(doc);
		const loaded = await loadSpec(file('big.json', text));
		expect(loaded.findings).toEqual([]);
		expect(loaded.document).toEqual(JSON.parse(text));
	});

	it('reads a file whose escapes need more room than was read with it', async () => {
		const doc = spec({ info: { title: 'Wide', version: '1' }, 'x-text': 'ü東'.repeat(100_000) });
		const text = JSON.stringify(doc);
		const loaded = await loadSpec(file('wide.json', text));
		expect(loaded.document).toEqual(JSON.parse(text));
	});

	it('reads a YAML flow mapping that JSON refuses with its non-ASCII text as written', async () => {
		const loaded = await loadSpec(
			file('flow.yaml', "{openapi: 3.0.3, info: {title: 'Café — 東京', version: '1'}, paths: {}}"),
		);
		expect((loaded.document!.info as { title: string }).title).toBe('Café — 東京');
	});

	it('still refuses a backslash before a non-ASCII character (not valid JSON, and not made valid by escaping it)', async () => {
		const loaded = await loadSpec(
			file('bad-escape.json', '{"openapi": "3.0.3", "info": {"title": "\\é", "version": "1"}, "paths": {}}'),
		);
		expect(loaded.document).toBeUndefined();
		expect(loaded.findings.map((f) => f.rule)).toEqual(['syntax']);
	});

	it('reads an even run of backslashes before a non-ASCII character as JSON does', async () => {
		const loaded = await loadSpec(
			file('slashes.json', '{"openapi": "3.0.3", "info": {"title": "a\\\\é", "version": "1"}, "paths": {}}'),
		);
		expect((loaded.document!.info as { title: string }).title).toBe('a\\é');
	});

	it('reads a file with a byte-order mark, and invalid UTF-8 as the replacement character, as before', async () => {
		const bom = await loadSpec(file('bom.json', '\ufeff' + JSON.stringify(spec({}))));
		expect(bom.version).toBe('3.0');
		const bytes = Buffer.concat([
			Buffer.from('{"openapi": "3.0.3", "info": {"title": "a'),
			Buffer.from([0xff, 0xc3]),
			Buffer.from('b", "version": "1"}, "paths": {}}'),
		]);
		const invalid = await loadSpec(file('invalid-utf8.json', bytes));
		expect((invalid.document!.info as { title: string }).title).toBe(JSON.parse(bytes.toString('utf8')).info.title);
	});

	it('finds an external $ref whatever characters surround it, and none where every $ref is local', async () => {
		file(
			'other.json',
			JSON.stringify({
				Pet: { type: 'object', description: 'Animal — été', properties: { name: { type: 'string' } } },
			}),
		);
		const external = await loadSpec(
			file(
				'external.json',
				JSON.stringify(
					spec({
						info: { title: 'Zoo — ü', version: '1' },
						components: { schemas: { Pet: { $ref: './other.json#/Pet' } } },
					}),
				),
			),
		);
		expect(external.findings).toEqual([]);
		expect(JSON.stringify(external.document)).toContain('Animal — été');
		const local = await loadSpec(
			file(
				'local.json',
				JSON.stringify(
					spec({
						info: { title: 'Zoo — ü', version: '1' },
						components: {
							schemas: {
								A: { type: 'string', description: '\u00a0é' },
								B: { $ref: '#/components/schemas/A' },
							},
						},
					}),
				),
			),
		);
		expect((local.document!.components as { schemas: { B: unknown } }).schemas.B).toEqual({
			$ref: '#/components/schemas/A',
		});
	});
});

describe('field hints', () => {
	it('passes a short tidy hint through and normalises any other whitespace', () => {
		expect(hint('The owner.')).toBe('The owner.');
		expect(hint('')).toBeUndefined();
		expect(hint(' \n ')).toBeUndefined();
		expect(hint(' The owner. ')).toBe('The owner.');
		expect(hint('The  owner')).toBe('The owner');
		expect(hint('The\towner\u00a0name')).toBe('The owner name');
		expect(hint('First.\n\nSecond.')).toBe('First.');
		expect(hint('a'.repeat(30), 20)).toBe('a'.repeat(20) + '…');
	});

	it('normalises a long hint as one paragraph of single spaces, whatever whitespace it had and wherever the break falls', () => {
		expect(hint('One\t two \u00a0three\r\nfour  five\u2028six ' + 'x'.repeat(30), 30)).toBe(
			'One two three four five six…',
		);
		// A break that starts inside the part worth reading and ends beyond it.
		expect(hint(`Short sentence here.\n${' '.repeat(30)}\nnext`, 20)).toBe('Short sentence here.');
		expect(hint(`${'w '.repeat(5)}end\n \n${'more '.repeat(20)}`, 20)).toBe('w w w w w end');
	});
});

describe('literals', () => {
	it('quotes strings as JSON does, and escapes the line separators JSON leaves raw', () => {
		for (const s of [
			'plain',
			'say "hi"',
			'back\\slash',
			'tab\there',
			'ctl\u0001',
			'sep\u2028x\u2029',
			'lone \ud800 surrogate',
			'pair 😀',
			'',
		]) {
			expect(str(s)).toBe(
				JSON.stringify(s)
					.replace(/\u2028/g, '\\u2028')
					.replace(/\u2029/g, '\\u2029'),
			);
			// eslint-disable-next-line no-eval
			expect(eval(`(${literal({ s })})`).s).toBe(s);
		}
	});

	it('lays out nested values one per line, short lists of primitives on one line, and leaves out undefined', () => {
		const value = {
			a: 1,
			'b-c': [true, null, 'x'],
			d: { e: undefined },
			f: [],
			g: [{ h: 'i' }],
			j: code('k()'),
			l: ['m'.repeat(77)],
		};
		expect(literal(value, '\t')).toBe(
			'{\n\t\ta: 1,\n\t\t"b-c": [true, null, "x"],\n\t\td: {},\n\t\tf: [],\n\t\tg: [\n\t\t\t{\n\t\t\t\th: "i",\n\t\t\t},\n\t\t],\n\t\tj: k(),\n\t\tl: [\n\t\t\t' +
				`"${'m'.repeat(77)}"` +
				',\n\t\t],\n\t}',
		);
		// 80 characters still fit on one line; one more made `l` above a list.
		expect(literal(['m'.repeat(76)])).toBe(`["${'m'.repeat(76)}"]`);
	});

	it('writes values far larger than one batch of pieces', () => {
		const big = Array.from({ length: 5000 }, (_, i) => ({
			name: `n${i}`,
			list: [i, `"${i}"`],
			nested: { deep: [{ at: i }] },
		}));
		// eslint-disable-next-line no-eval
		expect(eval(`(${literal(big)})`)).toEqual(big);
	});
});
