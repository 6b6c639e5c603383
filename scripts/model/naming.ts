/** Names derived from identifiers, shared by the model builder and the emitters. */

export function pascalCase(name: string): string {
	return words(name)
		.map((w) => w[0].toUpperCase() + w.slice(1))
		.join('');
}

export function camelCase(name: string): string {
	const p = pascalCase(name);
	return p ? p[0].toLowerCase() + p.slice(1) : p;
}

/** "createdAt" → "Created At", "per_page" → "Per Page". */
export function titleCase(name: string): string {
	return words(name)
		.map((w) => w[0].toUpperCase() + w.slice(1))
		.join(' ');
}

function words(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.split(/[^A-Za-z0-9]+/)
		.filter(Boolean)
		.map((w) => (/^[A-Z0-9]+$/.test(w) && w.length > 1 ? w[0] + w.slice(1).toLowerCase() : w));
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
			return `${titleCase(operation)} ${noun}`.replace(/^(\S+)(.*)$/, (_, first: string, rest: string) => first + rest.toLowerCase());
	}
}
