import { toCamel, toTitle } from './text';

/** First words of an operationId → the n8n verb they mean. */
const VERBS = new Map<string, string>([
	['list', 'Get Many'],
	['getall', 'Get Many'],
	['index', 'Get Many'],
	['find', 'Find'],
	['get', 'Get'],
	['retrieve', 'Get'],
	['read', 'Get'],
	['fetch', 'Get'],
	['show', 'Get'],
	['create', 'Create'],
	['add', 'Create'],
	['new', 'Create'],
	['post', 'Create'],
	['insert', 'Create'],
	['update', 'Update'],
	['patch', 'Update'],
	['edit', 'Update'],
	['modify', 'Update'],
	['delete', 'Delete'],
	['remove', 'Delete'],
	['destroy', 'Delete'],
]);

/** Resource names the node itself uses. */
const RESERVED_RESOURCES = new Set(['connection']);

export interface OperationNames {
	name: string;
	displayName: string;
	action: string;
	/** The names without shortening, for when the short ones are taken in the resource. */
	full: { name: string; displayName: string };
}

/**
 * `repos/get-branch` in resource "repos" → value `getBranch`, label "Get Branch", action "Get
 * branch"; `listPets` or a list `getPets` in resource "pets" → `getAll`, "Get Many".
 */
export function operationNames(operationId: string, resource: string, list = false): OperationNames {
	// Worked on as title-cased text (words joined by single spaces), not lists of words: this runs for every operation.
	const title = toTitle(operationId);
	const resourceTitle = toTitle(resource);
	const resourceNoun = resourceTitle.toLowerCase();
	// Drop the resource's own name from the front ("Pets List Pets" → "List Pets") when something is left.
	const rest = title.toLowerCase().startsWith(`${resourceNoun} `) ? title.slice(resourceTitle.length + 1) : title;
	const firstEnd = rest.indexOf(' ');
	const said = VERBS.get((firstEnd === -1 ? rest : rest.slice(0, firstEnd)).toLowerCase());
	const afterVerb = firstEnd === -1 ? '' : rest.slice(firstEnd + 1);
	const verb = said === 'Get' && list ? 'Get Many' : said;
	// "Get Many Pets" in resource Pet reads better as "Get Many"; keep the noun when it is another thing.
	const noun = (verb ? afterVerb : rest).toLowerCase();
	const sameNoun =
		verb &&
		(noun === resourceNoun ||
			noun === `${resourceNoun}s` ||
			`${noun}s` === resourceNoun ||
			noun === `${resourceNoun}es`);
	const displayName = (sameNoun ? verb : verb ? withWords(verb, afterVerb) : rest) || 'Call';
	const action = sameNoun ? `${verb} ${resourceNoun}` : displayName;
	const full = { name: toCamel(rest) || 'call', displayName: (said ? withWords(said, afterVerb) : rest) || 'Call' };
	return {
		name: sameNoun ? toCamel(verb === 'Get Many' ? 'getAll' : verb) : full.name,
		displayName,
		action: action[0] + action.slice(1).toLowerCase(),
		full,
	};
}

function withWords(first: string, rest: string): string {
	return rest ? `${first} ${rest}` : first;
}

/** The resource value for a tag, never one the node reserves. */
export function resourceName(tag: string): string {
	const name = toCamel(tag) || 'default';
	const safe = /^\d/.test(name) ? `r${name}` : name;
	return RESERVED_RESOURCES.has(safe) ? `${safe}Resource` : safe;
}

/** A tag for an untagged operation: the first path segment that is not a version or a parameter. */
export function tagFromPath(path: string): string {
	const segment = path.split('/').find((s) => s && !s.startsWith('{') && !/^(v\d+(\.\d+)*|api|rest)$/i.test(s));
	return segment ?? 'default';
}

/** `value`, `value2`, `value3`… the first not yet taken. */
export function unique(value: string, taken: Set<string>): string {
	let candidate = value;
	for (let n = 2; taken.has(candidate); n++) candidate = `${value}${n}`;
	taken.add(candidate);
	return candidate;
}
