/**
 * The round trip's harness (scripts/roundtrip/) without n8n or Prism: where the mock takes the
 * server path off, what it cannot check, and which refusals the spec causes itself.
 */
import { relativeServer, unreadBody, type Violation } from '../../scripts/roundtrip/mock';
import type { RoundTripRow } from '../../scripts/roundtrip/roundtrip';
import { unexplained } from '../../scripts/roundtrip/table';
import type { Operation } from '../../scripts/model/types';

it('takes a relative server path off, but not a scheme-relative URL, which names its host', () => {
	expect(relativeServer({ servers: [{ url: '/api/v1/' }] })).toBe('/api/v1');
	expect(relativeServer({ servers: [{ url: '//opentrials.local/v1' }] })).toBe('');
	expect(relativeServer({ servers: [{ url: 'https://api.example.com/v1' }] })).toBe('');
	expect(relativeServer({})).toBe('');
});

it('tells what Prism says of an XML body (it reads it as a string) from what it says of the rest', () => {
	const messages = ['body Request body must be object', "query Request query must have required property 'id'"];
	expect(unreadBody(messages, 'text/xml; charset=utf-8')).toEqual(['body Request body must be object']);
	expect(unreadBody(messages, 'application/soap+xml')).toEqual(['body Request body must be object']);
	expect(unreadBody(messages, 'application/json')).toEqual([]);
	expect(unreadBody(messages, undefined)).toEqual([]);
});

const row = (id: string, violations: Violation[]): RoundTripRow => ({
	id,
	operations: violations.length,
	requests: violations.length,
	violations,
	mockFailures: [],
	nodeErrors: [],
	skipped: [],
});
const at = (path: string) => ({ path }) as Operation;

it('explains a refusal only where the spec says so, in its words', () => {
	const rows = [
		row('tomtom.com/routing', [
			{
				method: 'POST',
				url: '/routing/1/calculateRoute/52.5%2C13.4/xml?key=k',
				messages: [
					'request.body.supportingPoints.0.latitude Request body property supportingPoints.0.latitude must be string',
				],
			},
		]),
		row('codat.io/accounting', [
			{
				method: 'POST',
				url: '/companies/c/connections/k/push/bills?timeoutInMinutes=1',
				messages: ['body.currency Request body property currency must be null'],
			},
		]),
		row('amazonaws.com/elasticloadbalancingv2', [
			{
				method: 'GET',
				url: '/?ResourceArns=a&Tags%5BKey%5D=k&Action=AddTags&Version=2015-12-01',
				messages: ["query Request query must have required property 'tags'"],
			},
		]),
		row('amazonaws.com/workspaces-web', [
			{
				method: 'PUT',
				url: '/portals/arn/browserSettings?browserSettingsArn=arn',
				messages: ["path Request path must have required property 'portalarn'"],
				operation: at('/portals/{portalArn}/browserSettings#browserSettingsArn'),
			},
			// The same words on a path without a fragment are the node's to answer for.
			{
				method: 'GET',
				url: '/portals/arn',
				messages: ["path Request path must have required property 'portalarn'"],
				operation: at('/portals/{portalArn}'),
			},
		]),
	];
	expect(unexplained(rows).map((u) => `${u.violation.method} ${u.violation.url}`)).toEqual(['GET /portals/arn']);
});
