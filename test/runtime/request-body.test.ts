/**
 * Bodies and the Accept header as the round trip found them wrong: a JSON body that is not an
 * object (a spec's `type: string` body) went out bare without a Content-Type (415 from the mock); an
 * empty object typed into a required body was not sent at all; a text/plain body had no field; an
 * answer that is never JSON was asked for as JSON (406).
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

it('sends an empty object the user typed as the body, not nothing', () => {
	const request = buildRequest.call(context('{}'), 'http://api', spec, 0);
	expect(request.body).toBe('{}');
	expect(request.headers).toMatchObject({ 'Content-Type': 'application/json' });
});

it('sends a text body as it is, with its media type', () => {
	const text: OperationSpec = {
		method: 'PUT',
		path: '/notes',
		bodyType: 'text',
		contentType: 'text/plain',
		parameters: [{ name: '', in: 'body', property: 'bodyText', required: true, type: 'string' }],
	};
	const request = buildRequest.call(context('remember {the} milk'), 'http://api', text, 0);
	expect(request.body).toBe('remember {the} milk');
	expect(request.headers).toMatchObject({ 'Content-Type': 'text/plain' });
});

it('asks for what the answer comes in when it is never JSON', () => {
	const page: OperationSpec = { method: 'GET', path: '/page', accept: 'text/html', parameters: [] };
	expect(buildRequest.call(context(''), 'http://api', page, 0).headers).toEqual({ Accept: 'text/html' });
	expect(buildRequest.call(context(''), 'http://api', { ...page, accept: undefined }, 0).headers).toEqual({});
});

it('sends an entry field the API requires even when it is empty, and leaves other empty fields out', () => {
	const tags: OperationSpec = {
		method: 'POST',
		path: '/portals',
		bodyType: 'json',
		parameters: [
			{
				name: 'tags',
				in: 'body',
				property: 'tags',
				required: true,
				type: 'fixedCollection',
				requiredEntries: ['Value'],
			},
		],
	};
	const typed = { entries: [{ Key: 'team', Value: '', Note: '' }] };
	const request = buildRequest.call(
		{ getNodeParameter: () => typed, getNode: () => ({ name: 'Node' }) } as unknown as IExecuteFunctions,
		'http://api',
		tags,
		0,
	);
	expect(request.body).toEqual({ tags: [{ Key: 'team', Value: '' }] });
});
