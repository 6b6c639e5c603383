import schema from '../model/integration.schema.json';

type Schema = {
	description?: string;
	type?: string | string[];
	enum?: unknown[];
	const?: unknown;
	default?: unknown;
	$ref?: string;
	oneOf?: Schema[];
	items?: Schema;
	properties?: Record<string, Schema>;
	additionalProperties?: Schema | boolean;
	required?: string[];
};

/** Title → the schema definition, or one of its object properties (a lookup's `request`). */
const SECTIONS: Array<[string, string, string?]> = [
	['auth (apiKey)', 'authApiKey'],
	['auth (basic)', 'authBasic'],
	['auth (oauth2)', 'authOAuth2'],
	['auth (oauth1)', 'authOAuth1'],
	['auth (none)', 'authNone'],
	['pagination', 'pagination'],
	['resources.&lt;name&gt;', 'resource'],
	['operations.&lt;name&gt;', 'operation'],
	['parameter', 'parameter'],
	['lookup', 'lookup'],
	['lookup.request', 'lookup', 'request'],
	['rateLimits[]', 'rateLimit'],
	['triggers[] (webhook)', 'webhookTrigger'],
	['subscribe', 'webhookSubscription'],
	['signature', 'webhookSignature'],
	['triggers[] (polling, scheduled)', 'pollingTrigger'],
	['triggers[].filters[]', 'triggerFilter'],
];

/** Markdown reference of the definition format, written from integration.schema.json. */
export function definitionReference(): string {
	const root = schema as unknown as Schema & { definitions: Record<string, Schema> };
	const parts = [`${root.description}\n`, table(root)];
	for (const [title, name, property] of SECTIONS) {
		const definition = root.definitions[name];
		const section = property ? definition.properties![property] : definition;
		const intro = section.description ? `${section.description}\n\n` : '';
		parts.push(`#### \`${title}\`\n\n${intro}${table(section)}`);
	}
	return parts.join('\n');
}

function table(s: Schema): string {
	const rows = Object.entries(s.properties ?? {})
		.filter(([, p]) => Object.keys(p).length > 0)
		.map(
			([key, p]) =>
				`| \`${key}\`${s.required?.includes(key) ? ' (required)' : ''} | ${typeOf(p)} | ${p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : ''} | ${(p.description ?? '').replace(/\|/g, '\\|')} |`,
		);
	return `| key | type | default | meaning |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`;
}

function typeOf(p: Schema): string {
	if (p.enum) return p.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
	if (p.const !== undefined) return `\`${String(p.const)}\``;
	if (p.$ref) return p.$ref.replace('#/definitions/', '');
	if (p.oneOf) return p.oneOf.map(typeOf).join(' or ');
	if (p.type === 'array') return `list of ${p.items ? typeOf(p.items) : 'values'}`;
	if (p.type === 'object' && p.additionalProperties && typeof p.additionalProperties === 'object')
		return `map of ${typeOf(p.additionalProperties)}`;
	return Array.isArray(p.type) ? p.type.join(' or ') : (p.type ?? 'value');
}
