/** The community lint's conventions for hints and option lists, as the emitter applies them. */
import { compareLabels, hint, sortByLabel, sortedOptions } from '../../scripts/emit/hints';

it('hints: stray angle brackets encoded, a capital first, ID/URL/JSON cased, several sentences closed with a period', () => {
	expect(hint('the <id> of the user')).toBe('The &lt;ID&gt; of the user');
	expect(hint('Use <code>x</code> here')).toBe('Use <code>x</code> here');
	expect(hint('Ids, urls and json, not idle or jsonp')).toBe('IDs, URLs and JSON, not idle or jsonp');
	expect(hint('One sentence. Another one')).toBe('One sentence. Another one.');
	expect(hint('e.g. dark-green')).toBe('E.g. dark-green.');
	expect(hint('Already fine')).toBe('Already fine');
	expect(hint(undefined)).toBeUndefined();
});

it('options are listed by name, their hints made conventional, the input left as it was', () => {
	const options = [
		{ name: 'Zebra', value: 'z', description: 'last one' },
		{ name: 'Apple', value: 'a' },
	];
	expect(sortedOptions(options)).toEqual([
		{ name: 'Apple', value: 'a' },
		{ name: 'Zebra', value: 'z', description: 'Last one' },
	]);
	expect(options[0].name).toBe('Zebra');
});

it('labels are ordered as localeCompare orders them (the lint checks with it), ICU or not', () => {
	const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
	// A small alphabet makes ties and near-ties (case, prefixes, punctuation) common.
	const alphabets = [printable, 'aAbB_- .(9Zz/', 'eé\u0301E\u00a0 x'];
	let seed = 7;
	const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
	const text = (alphabet: string) =>
		Array.from({ length: random(6) }, () => alphabet[random(alphabet.length)]).join('');
	for (let i = 0; i < 60_000; i++) {
		const alphabet = alphabets[i % alphabets.length];
		const [a, b] = [text(alphabet), text(alphabet)];
		expect([a, b, Math.sign(compareLabels(a, b))]).toEqual([a, b, Math.sign(a.localeCompare(b))]);
	}
	const labels = [
		'Get Many',
		'get',
		'Get',
		'Get a Branch',
		'Get-Branch',
		'Get_Branch',
		'Get (GET /a)',
		'Get 2',
		'Über',
		'Zebra',
	];
	expect([...labels].sort(compareLabels)).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
	// A whole list at once: with a non-ASCII label and without one.
	for (const list of [labels, labels.filter((l) => l !== 'Über')]) {
		const items = list.map((name, i) => ({ name, i }));
		expect(sortByLabel([...items].reverse(), (item) => item.name).map((item) => item.name)).toEqual(
			[...list].reverse().sort((a, b) => a.localeCompare(b)),
		);
	}
});
