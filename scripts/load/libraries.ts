/**
 * The parsing libraries, loaded on first use: loading yaml costs about 100 ms of every start and
 * swagger2openapi 50 ms, and most commands read one OpenAPI 3 JSON file. The Custom API node reads
 * specs inside n8n, which installs no dependencies: in dist, the build replaces this module with
 * one bundle of both (scripts/bundle/libraries.js).
 */
export function yaml(): typeof import('yaml') {
	return require('yaml') as typeof import('yaml');
}

export function swagger2openapi(): typeof import('swagger2openapi') {
	return require('swagger2openapi') as typeof import('swagger2openapi');
}
