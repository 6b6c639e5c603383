/**
 * A hostile OpenAPI spec handed to the generator (see SECURITY.md, "Spec"): none of its strings may
 * become code or an n8n expression in the generated node and credentials.
 */
import type { ICredentialType, INodeTypeDescription } from 'n8n-workflow';
import { emitCredentials } from '../../scripts/emit/credentials';
import { namespaceOf } from '../../scripts/emit/names';
import { emitNode } from '../../scripts/emit/node';
import { evaluateModule, evaluateNode } from '../../scripts/openapi/evaluate';
import { importSpec } from '../../scripts/openapi/import';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshFolder } from '../openapi/helpers';
import { hostileSpec } from '../openapi/hostile';

const EXPR = '={{ $env.HOME }}';
/** Text to n8n, as long as it does not start with `=`. */
const TEMPLATE = '{{ $env.HOME }}';
const str = { type: 'string' };
const spec = {
	openapi: '3.0.3',
	info: { title: 'Shop', description: EXPR, version: '1' },
	servers: [
		{
			url: 'https://{region}.shop.example',
			variables: { region: { default: EXPR, enum: [EXPR, 'eu'], description: EXPR } },
		},
	],
	security: [{ oauth: [EXPR] }],
	paths: {
		'/items': {
			get: {
				operationId: 'listItems',
				summary: EXPR,
				description: EXPR,
				parameters: [
					{
						name: 'q',
						in: 'query',
						description: EXPR,
						example: EXPR,
						schema: { ...str, default: EXPR, enum: [EXPR, 'x'] },
					},
					{
						name: 'sort',
						in: 'query',
						description: TEMPLATE,
						example: TEMPLATE,
						schema: { ...str, default: TEMPLATE },
					},
				],
				responses: { '200': { description: EXPR } },
			},
		},
	},
	components: {
		securitySchemes: {
			oauth: {
				type: 'oauth2',
				description: EXPR,
				flows: { authorizationCode: { authorizationUrl: EXPR, tokenUrl: EXPR, scopes: { [EXPR]: EXPR } } },
			},
			key: { type: 'apiKey', in: 'header', name: 'X-Key', description: EXPR },
		},
	},
};

const SUBTITLE = '={{$parameter["operation"] + ": " + $parameter["resource"]}}';
const REFERENCE =
	/\{\{\$(credentials|self)\.[A-Za-z0-9]+(\.split\('\{[A-Za-z_][A-Za-z0-9_]*\}'\)\.join\(\$(credentials|self)\.[A-Za-z0-9_]+\))*\}\}/g;
/**
 * n8n evaluates only what is inside `{{ }}`: besides the subtitle, the generator's references to credential fields
 * (a Base URL's own placeholders filled from their fields, names only).
 */
const OWN = (expression: string) => expression === SUBTITLE || !expression.replace(REFERENCE, '').includes('{{');

function strings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
	return out;
}

async function generate(value: unknown) {
	const folder = freshFolder('security-spec');
	writeFileSync(join(folder, 'spec.json'), JSON.stringify(value));
	const { integration } = await importSpec(join(folder, 'spec.json'), { shown: 'spec.json' });
	if (!integration) throw new Error('the spec was refused');
	const icons = { light: 'x.svg', dark: 'x.svg' };
	const ns = namespaceOf('n8n-nodes-hostile');
	const credentials = emitCredentials(integration, 'spec.json', icons, ns);
	return { node: emitNode(integration, 'spec.json', icons, ns), credentials };
}

it('no spec string becomes code: the generated node and credentials load and run nothing of it', async () => {
	const { node, credentials } = await generate(hostileSpec());
	const g = globalThis as { __rillsPwned?: unknown };
	delete g.__rillsPwned;
	evaluateNode(node.content);
	for (const file of credentials) evaluateModule<ICredentialType>(file.content);
	expect(g.__rillsPwned).toBeUndefined();
});

it('no spec string becomes an n8n expression: defaults, options, placeholders, scopes, URLs, texts', async () => {
	const files = await generate(spec);
	const node: INodeTypeDescription = evaluateNode(files.node.content);
	const credentials = files.credentials.map((f) => evaluateModule<ICredentialType>(f.content));
	const expressions = strings([node, credentials]).filter((s) => s.startsWith('='));
	expect(expressions.filter((e) => !OWN(e))).toEqual([]);
});
