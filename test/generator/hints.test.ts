/** The community lint's conventions for hints and option lists, as the emitter applies them. */
import { hint, sortedOptions } from '../../scripts/emit/hints';

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
