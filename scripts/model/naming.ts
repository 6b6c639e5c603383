/** Names derived from identifiers, shared by the model builder and the emitters. */

export function pascalCase(name: string): string {
	return joinWords(name, '');
}

export function camelCase(name: string): string {
	const p = pascalCase(name);
	return p ? p[0].toLowerCase() + p.slice(1) : p;
}

/** "createdAt" → "Created At", "per_page" → "Per Page". */
export function titleCase(name: string): string {
	return joinWords(name, ' ');
}

/**
 * A word is a run of capitals and what follows them up to the next capital, or a run of lowercase
 * letters and digits: "getHTTPServer2FA" → get, HTTPServer2, FA. Anything else separates words.
 */
const WORD = /[A-Z]+[a-z0-9]*|[a-z0-9]+/g;
const SHOUTED = /^[A-Z0-9]+$/;

/**
 * The words capitalised ("ID" and "API" as "Id" and "Api") and joined. One match and a loop: names are made by the
 * thousand.
 */
function joinWords(name: string, separator: string): string {
	const words = name.match(WORD);
	if (!words) return '';
	let out = '';
	for (let i = 0; i < words.length; i++) {
		const w = words[i];
		const rest = w.length > 1 && SHOUTED.test(w) ? w.slice(1).toLowerCase() : w.slice(1);
		out += (i ? separator : '') + w[0].toUpperCase() + rest;
	}
	return out;
}

const OPERATION_LABELS: Record<string, string> = {
	getAll: 'Get Many',
	get: 'Get',
	create: 'Create',
	update: 'Update',
	delete: 'Delete',
	upsert: 'Create or Update',
};

export function operationDisplayName(operation: string): string {
	return OPERATION_LABELS[operation] ?? titleCase(operation);
}

/** n8n's action sentence: "Create a task", "Get many tasks". */
export function operationAction(operation: string, resourceDisplayName: string): string {
	const noun = resourceDisplayName.toLowerCase();
	const article = /^[aeiou]/.test(noun) ? 'an' : 'a';
	switch (operation) {
		case 'getAll':
			return `Get many ${noun}s`;
		case 'get':
		case 'create':
		case 'update':
		case 'delete':
			return `${operationDisplayName(operation)} ${article} ${noun}`;
		case 'upsert':
			return `Create or update ${article} ${noun}`;
		default:
			return `${titleCase(operation)} ${noun}`.replace(
				/^(\S+)(.*)$/,
				(_, first: string, rest: string) => first + rest.toLowerCase(),
			);
	}
}
