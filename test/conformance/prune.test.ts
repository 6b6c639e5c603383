import Ajv from 'ajv';
import { prunedFor } from './prune';

/** Schemas that refer to each other without end, as Graph's do: a team holds channels that hold a team. */
const doc = {
	components: {
		schemas: {
			team: {
				allOf: [
					{ $ref: '#/components/schemas/entity' },
					{
						type: 'object',
						required: ['displayName'],
						properties: {
							displayName: { type: 'string' },
							channels: { type: 'array', items: { $ref: '#/components/schemas/channel' } },
							settings: { anyOf: [{ $ref: '#/components/schemas/settings' }, { type: 'null' }] },
						},
						additionalProperties: { $ref: '#/components/schemas/annotation' },
					},
				],
			},
			channel: {
				type: 'object',
				required: ['name'],
				properties: { name: { type: 'string', maxLength: 10 }, team: { $ref: '#/components/schemas/team' } },
			},
			entity: { type: 'object', properties: { id: { type: 'string' } } },
			settings: { type: 'object', properties: { guests: { type: 'boolean' } } },
			annotation: { type: 'string' },
		},
	},
};
const team = { $ref: '#/components/schemas/team' };

function errorsOf(schema: unknown, body: unknown): string[] {
	const ajv = new Ajv({ strict: false, allErrors: true });
	ajv.addSchema(doc, 'doc');
	const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\//g, '"doc#/')) as object);
	validate(body);
	return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).sort();
}

it.each([
	['a valid team', true, { displayName: 'Ops', channels: [{ name: 'general' }], settings: { guests: true } }],
	['a team without its name', false, { channels: [] }],
	[
		'a channel deep down without its name',
		false,
		{ displayName: 'Ops', channels: [{ name: 'a', team: { displayName: 'Ops', channels: [{}] } }] },
	],
	[
		'a name of the wrong type two teams down',
		false,
		{ displayName: 'x', channels: [{ name: 'a', team: { displayName: 3 } }] },
	],
	['an annotation that is not a string', false, { displayName: 'x', 'team@odata.bind': 7 }],
	['settings of the wrong type', false, { displayName: 'x', settings: { guests: 'yes' } }],
])('finds in %s what the whole schema finds', (_, valid, body) => {
	const pruned = prunedFor(doc, team, [body]);
	expect(errorsOf(team, body).length === 0).toBe(valid);
	expect(JSON.stringify(pruned)).not.toContain('$ref');
	expect(errorsOf(pruned, body)).toEqual(errorsOf(team, body));
});

it('leaves what the body does not reach empty', () => {
	const pruned = prunedFor(doc, team, [{ displayName: 'Ops' }]) as { allOf: Array<{ properties?: object }> };
	expect(pruned.allOf[1].properties).toEqual({ displayName: { type: 'string' }, channels: {}, settings: {} });
	expect(prunedFor(doc, team, [])).toEqual({});
});
