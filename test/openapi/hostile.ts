/**
 * A spec with a hostile string in every field that reaches generated code: quotes, backticks,
 * comment ends, template and expression syntax, newlines and the line separators JSON leaves raw.
 * Evaluating the generated module must set no global (the payloads try to).
 */
const PAYLOAD = `'"\`*/ /* \${globalThis.__rillsPwned = 1} \`); globalThis.__rillsPwned = 2; (\` {{ $env }} </script>\n\u2028\u2029 \\ end`;

export const HOSTILE = (what: string) => `${what} ${PAYLOAD}`;

export function hostileSpec(): Record<string, unknown> {
	const h = HOSTILE;
	const schema = {
		type: 'object',
		description: h('schema'),
		required: [h('requiredKey')],
		properties: {
			[h('key')]: { type: 'string', description: h('property'), default: h('default'), pattern: h('pattern') },
			[h('choice')]: { type: 'string', enum: [h('enumA'), h('enumB')] },
			nested: {
				type: 'object',
				properties: { [h('inner')]: { type: 'integer', description: h('inner description') } },
			},
		},
	};
	return {
		openapi: '3.0.3',
		info: { title: h('Title'), description: h('Description'), version: h('1') },
		externalDocs: { url: `https://docs.example/${encodeURIComponent(PAYLOAD)}` },
		servers: [
			{
				url: `https://{${h('var')}}.example/base`,
				variables: {
					[h('var')]: { default: h('default'), description: h('server variable'), enum: [h('default')] },
				},
			},
		],
		tags: [{ name: h('Tag'), description: h('tag description') }],
		security: [{ [h('oauth')]: [h('scope')] }],
		paths: {
			[`/items/{${h('id')}}/${PAYLOAD.replace(/[\n\u2028\u2029]/g, ' ')}`]: {
				parameters: [
					{
						name: h('id'),
						in: 'path',
						required: true,
						schema: { type: 'string' },
						description: h('path param'),
					},
				],
				get: {
					tags: [h('Tag')],
					operationId: h('operationId'),
					summary: h('summary'),
					description: h('operation description'),
					parameters: [
						{
							name: h('query'),
							in: 'query',
							schema: { type: 'string', enum: [h('q1'), h('q2')], default: h('q1') },
							description: h('query param'),
						},
						{ name: h('header'), in: 'header', schema: { type: 'string' } },
						{ name: h('cookie'), in: 'cookie', schema: { type: 'string' } },
						{ name: h('limit'), in: 'query', schema: { type: 'integer' } },
						// n8n would evaluate these as expressions if they became values.
						{
							name: 'expression',
							in: 'query',
							schema: {
								type: 'string',
								enum: ['={{ $env.HOME }}', 'plain'],
								default: '={{ $env.HOME }}',
							},
						},
						{
							name: 'expressionDefault',
							in: 'query',
							schema: { type: 'string', default: '={{ $env.HOME }}' },
						},
					],
					responses: {
						'200': {
							description: h('ok'),
							content: {
								'application/json': {
									schema: {
										type: 'object',
										properties: { [h('items')]: { type: 'array', items: schema } },
									},
								},
							},
						},
					},
				},
				post: {
					tags: [h('Tag')],
					operationId: h('create'),
					summary: h('create summary'),
					deprecated: true,
					requestBody: { required: true, content: { 'application/json': { schema } } },
					responses: { '201': { description: h('created') } },
				},
			},
		},
		components: {
			securitySchemes: {
				[h('oauth')]: {
					type: 'oauth2',
					flows: {
						authorizationCode: {
							authorizationUrl: `https://auth.example/${encodeURIComponent(PAYLOAD)}`,
							tokenUrl: `https://auth.example/token?x=${encodeURIComponent(PAYLOAD)}`,
							scopes: { [h('scope')]: h('scope description') },
						},
					},
				},
				[h('key')]: { type: 'apiKey', in: 'header', name: h('X-Key') },
				[h('cookie auth')]: { type: 'apiKey', in: 'cookie', name: h('session') },
			},
		},
	};
}
