/**
 * A loopback API that checks every request against an OpenAPI document: the operation must exist,
 * path parameters be filled, query parameters be declared and of their type, required ones be
 * present, and a JSON body validate against the operation's request schema. What it finds wrong is
 * kept in `violations`; answers come from per-operationId handlers.
 */
import Ajv from 'ajv';
import { withoutNullable } from '../conformance/schemas';
import { startFake, type FakeRequest, type FakeResponse, type FakeService } from '../fakes/server';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

interface Route {
	method: string;
	pattern: RegExp;
	names: string[];
	literal: number;
	operation: Json;
	pointer: string;
	pathItem: Json;
}

export interface CheckedRequest {
	operationId: string;
	request: FakeRequest;
	params: Record<string, string>;
}

export interface SpecServer extends FakeService {
	violations: string[];
	handled: CheckedRequest[];
}

export async function startSpecServer(
	doc: Json,
	handlers: Record<string, (r: CheckedRequest) => FakeResponse>,
	token: string,
): Promise<SpecServer> {
	const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
	ajv.addSchema(withoutNullable(structuredClone(doc)) as Json, 'spec');
	const routes: Route[] = [];
	for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
		for (const method of METHODS) {
			if (!item[method]) continue;
			const names: string[] = [];
			const source = path
				.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
				.replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => (names.push(name), '([^/]+)'));
			const escaped = `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
			routes.push({
				method: method.toUpperCase(),
				pattern: new RegExp(`^${source.replace(/\{|\}/g, '')}$`),
				names,
				literal: path.replace(/\{[^}]+\}/g, '').length,
				operation: item[method] as Json,
				pointer: escaped,
				pathItem: item,
			});
		}
	}
	routes.sort((a, b) => b.literal - a.literal);
	const deref = (v: unknown): Json => {
		let x = v as Json;
		while (x && typeof x.$ref === 'string')
			x = (x.$ref as string)
				.slice(2)
				.split('/')
				.reduce<Json>((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, doc);
		return x;
	};
	const violations: string[] = [];
	const handled: CheckedRequest[] = [];
	const service = await startFake((req) => {
		const route = routes.find((r) => r.method === req.method && r.pattern.test(req.path));
		if (!route) {
			violations.push(`${req.method} ${req.path}: no operation of the spec has this method and path`);
			return { status: 404, body: { message: 'Not Found' } };
		}
		const id = String(route.operation.operationId);
		const say = (what: string) => violations.push(`${id}: ${what}`);
		if (req.headers.authorization !== `Bearer ${token}`)
			say(`Authorization header is ${req.headers.authorization}`);
		const values = route.pattern.exec(req.path)!.slice(1).map(decodeURIComponent);
		const params = Object.fromEntries(route.names.map((n, i) => [n, values[i]]));
		const declared = [
			...((route.pathItem.parameters as unknown[]) ?? []),
			...((route.operation.parameters as unknown[]) ?? []),
		].map(deref);
		for (const [name, value] of Object.entries(params)) if (!value) say(`path parameter ${name} is empty`);
		const query = declared.filter((p) => p.in === 'query');
		for (const key of new Set(req.query.keys())) {
			const p = query.find((q) => q.name === key);
			if (!p) {
				say(`query parameter ${key} is not declared`);
				continue;
			}
			const schema = deref(p.schema ?? {});
			for (const value of req.query.getAll(key)) {
				if (schema.type === 'integer' && !/^-?\d+$/.test(value)) say(`query ${key}=${value} is not an integer`);
				if (schema.type === 'boolean' && !/^(true|false)$/.test(value))
					say(`query ${key}=${value} is not a boolean`);
				if (Array.isArray(schema.enum) && !schema.enum.includes(value))
					say(`query ${key}=${value} is not one of ${schema.enum.join(', ')}`);
			}
		}
		for (const p of query.filter((q) => q.required))
			if (!req.query.has(String(p.name))) say(`required query parameter ${String(p.name)} is missing`);
		const body = deref(route.operation.requestBody ?? {});
		const jsonSchema = (body.content as Json | undefined)?.['application/json'];
		if (req.rawBody && !jsonSchema) say('sent a body the operation does not take');
		if (jsonSchema) {
			if (!/^application\/json/.test(req.headers['content-type'] ?? ''))
				say(`content-type is ${req.headers['content-type']}`);
			if (!req.rawBody && body.required) say('the required body is missing');
			if (req.rawBody) {
				const validate =
					ajv.getSchema(`spec#${route.pointer}/requestBody/content/application~1json/schema`) ??
					ajv.compile({ $ref: `spec#${route.pointer}/requestBody/content/application~1json/schema` });
				if (!validate(JSON.parse(req.rawBody)))
					say(`body does not match the schema: ${ajv.errorsText(validate.errors)}`);
			}
		}
		const checked = { operationId: id, request: req, params };
		handled.push(checked);
		return handlers[id]?.(checked) ?? { status: 200, body: {} };
	});
	return { ...service, violations, handled };
}
