/**
 * Path parameters as OpenAPI's styles write them (RFC 6570), as the round trip found: an object in
 * a path went out as `[object Object]` (the mock crashed on it), and `label`/`matrix` were ignored.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { buildRequest } from '../../nodes/shared/request';
import type { OperationSpec, ParameterSpec } from '../../nodes/shared/types';

const context = (value: unknown) =>
	({ getNodeParameter: () => value, getNode: () => ({ name: 'Node' }) }) as unknown as IExecuteFunctions;

function url(value: unknown, style?: ParameterSpec['style'], explode?: true): string {
	const param: ParameterSpec = {
		name: 'id',
		in: 'path',
		property: 'id',
		required: true,
		type: 'json',
		style,
		explode,
	};
	const spec: OperationSpec = { method: 'GET', path: '/things/{id}', parameters: [param] };
	return buildRequest.call(context(value), 'http://api', spec, 0).url;
}

const object = '{"role":"admin","first name":"Al"}';

it.each([
	['simple', undefined, undefined, '"5"', '5', '["a","b"]', 'a,b', 'role,admin,first%20name,Al'],
	['simple, exploded', undefined, true, '"5"', '5', '["a","b"]', 'a,b', 'role=admin,first%20name=Al'],
	['label', 'label', undefined, '"5"', '.5', '["a","b"]', '.a,b', '.role,admin,first%20name,Al'],
	['label, exploded', 'label', true, '"5"', '.5', '["a","b"]', '.a.b', '.role=admin.first%20name=Al'],
	['matrix', 'matrix', undefined, '"5"', ';id=5', '["a","b"]', ';id=a,b', ';id=role,admin,first%20name,Al'],
	['matrix, exploded', 'matrix', true, '"5"', ';id=5', '["a","b"]', ';id=a;id=b', ';role=admin;first%20name=Al'],
] as const)('%s', (_, style, explode, primitive, one, list, many, fields) => {
	expect(url(primitive, style, explode)).toBe(`http://api/things/${one}`);
	expect(url(list, style, explode)).toBe(`http://api/things/${many}`);
	expect(url(object, style, explode)).toBe(`http://api/things/${fields}`);
});

it('escapes what would leave the segment, and refuses what would move up the path', () => {
	expect(url('"a/b?c#d"')).toBe('http://api/things/a%2Fb%3Fc%23d');
	expect(url('["../x","y"]', 'label')).toBe('http://api/things/...%2Fx,y');
	expect(() => url('".."')).toThrow('"id" cannot be ".."');
	expect(() => url('"."', 'label')).toThrow('"id" cannot be ".."');
});
