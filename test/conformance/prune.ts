/**
 * A JSON body's schema cut to what validating that body visits. Prism dereferences every `$ref` of
 * what it is handed, and Microsoft Graph's request schemas reach hundreds of others (`POST /teams`
 * takes a team, which holds channels, messages, users…): checking one request took minutes. A
 * validator only looks below a property or an item that the body has, so the schema is followed
 * down the body, and everything the body does not reach becomes `{}`: the findings stay the same.
 */
type Json = Record<string, unknown>;

const COMBINERS = ['allOf', 'anyOf', 'oneOf'];

/** `schema` (which may be a `$ref` into `doc`) for `values`, the body's values at its place. */
export function prunedFor(doc: Json, schema: unknown, values: unknown[], visiting = new Set<string>()): unknown {
	if (!values.length) return {};
	if (!schema || typeof schema !== 'object') return schema;
	let found = schema as Json;
	while (typeof found.$ref === 'string') {
		// A schema that refers back to itself at the same place in the body adds nothing.
		if (visiting.has(found.$ref)) return {};
		visiting = new Set([...visiting, found.$ref]);
		found = follow(doc, found.$ref);
	}
	const out: Json = { ...found };
	for (const key of COMBINERS)
		if (Array.isArray(found[key]))
			out[key] = (found[key] as unknown[]).map((branch) => prunedFor(doc, branch, values, visiting));
	if (found.not) out.not = prunedFor(doc, found.not, values, visiting);
	const objects = values.filter((v): v is Json => !!v && typeof v === 'object' && !Array.isArray(v));
	const properties = (found.properties ?? {}) as Json;
	if (found.properties)
		out.properties = Object.fromEntries(
			Object.entries(properties).map(([name, property]) => [
				name,
				prunedFor(
					doc,
					property,
					objects.filter((o) => name in o).map((o) => o[name]),
				),
			]),
		);
	const patterns = Object.entries((found.patternProperties ?? {}) as Json);
	if (patterns.length)
		out.patternProperties = Object.fromEntries(
			patterns.map(([pattern, property]) => [
				pattern,
				prunedFor(
					doc,
					property,
					valuesWhere(objects, (name) => new RegExp(pattern, 'u').test(name)),
				),
			]),
		);
	if (found.additionalProperties && typeof found.additionalProperties === 'object')
		out.additionalProperties = prunedFor(
			doc,
			found.additionalProperties,
			valuesWhere(
				objects,
				(name) => !(name in properties) && !patterns.some(([p]) => new RegExp(p, 'u').test(name)),
			),
		);
	const arrays = values.filter((v): v is unknown[] => Array.isArray(v));
	if (Array.isArray(found.items))
		out.items = found.items.map((item, i) =>
			prunedFor(
				doc,
				item,
				arrays.filter((a) => a.length > i).map((a) => a[i]),
			),
		);
	else if (found.items) out.items = prunedFor(doc, found.items, arrays.flat());
	return out;
}

function valuesWhere(objects: Json[], keep: (name: string) => boolean): unknown[] {
	return objects.flatMap((o) => Object.entries(o).flatMap(([name, value]) => (keep(name) ? [value] : [])));
}

/** `value` itself, or what its local `$ref`s lead to. */
export function resolve(doc: Json, value: Json): Json {
	let found = value;
	while (typeof found.$ref === 'string') found = follow(doc, found.$ref);
	return found;
}

function follow(doc: Json, ref: string): Json {
	if (!ref.startsWith('#/')) throw new Error(`only local references are followed, not ${ref}`);
	return ref
		.slice(2)
		.split('/')
		.reduce<Json>((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, doc);
}
