/**
 * A JSON body that is not an object (a spec's `type: string` body) goes out as JSON text with its
 * type, as the round trip found: n8n sent the bare string without a Content-Type (415 from the mock).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { buildRequest } from '../../nodes/shared/request';
import type { OperationSpec } from '../../nodes/shared/types';

const spec: OperationSpec = {
	method: 'POST',
	path: '/rows',
	bodyType: 'json',
	parameters: [{ name: '', in: 'body', property: 'bodyJson', required: true, type: 'json' }],
} as OperationSpec;

const context = (value: string) =>
	({ getNodeParameter: () => value, getNode: () => ({ name: 'Node' }) }) as unknown as IExecuteFunctions;

it.each([
	['"column1,column2"', '"column1,column2"'],
	['42', '42'],
	['true', 'true'],
])('sends the JSON body %s as JSON text with its Content-Type', (typed, sent) => {
	const request = buildRequest.call(context(typed), 'http://api', spec, 0);
	expect(request.body).toBe(sent);
	expect(request.headers).toMatchObject({ 'Content-Type': 'application/json' });
});

it('leaves object and list bodies to n8n', () => {
	expect(buildRequest.call(context('[{"a":1}]'), 'http://api', spec, 0).body).toEqual([{ a: 1 }]);
	expect(buildRequest.call(context('{"a":1}'), 'http://api', spec, 0).body).toEqual({ a: 1 });
});
