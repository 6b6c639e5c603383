/**
 * The concurrent page cases (test/runtime/concurrent-pages-cases.ts) run by a node generated from a
 * plain OpenAPI file inside a real n8n, with its Pagination options set as a user sets them in the
 * node: `GET /items?page&per_page` (at most 500 a page, `total_pages` in the answer) and `GET /linked`
 * (the same pages stated GitHub's way, in a Link header with `next` and `last`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8nInstance } from '../../scripts/harness/n8n';
import { N8nServer } from '../../scripts/harness/n8n-server';
import { buildPackage, freshFolder } from '../../scripts/harness/package-build';
import { importSpec } from '../../scripts/openapi/import';
import { startPageCountLab, type PageCountLab } from '../fakes/page-count-lab';
import { concurrentPageCases, LAB_ITEMS, type Read } from '../runtime/concurrent-pages-cases';

const spec = (url: string) => `openapi: 3.0.0
info: { title: Items, description: Items by page number., version: "1" }
servers: [{ url: "${url}" }]
paths:
  /items:
    get:
      operationId: listItems
      tags: [items]
      parameters:
        - { name: page, in: query, schema: { type: integer, minimum: 1 } }
        - { name: per_page, in: query, schema: { type: integer, minimum: 1, maximum: 500, default: 100 } }
      responses:
        "200":
          description: A page of items
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: { type: array, items: { type: object, properties: { id: { type: integer } } } }
                  total_pages: { type: integer }
  /linked:
    get:
      operationId: listLinked
      tags: [linked]
      parameters:
        - { name: page, in: query, schema: { type: integer, minimum: 1 } }
        - { name: per_page, in: query, schema: { type: integer, minimum: 1, maximum: 500, default: 100 } }
      responses:
        "200":
          description: A page of items; the Link header gives the next and last pages
          headers:
            Link: { schema: { type: string } }
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: { type: array, items: { type: object, properties: { id: { type: integer } } } }
`;

let lab: PageCountLab;
let n8n: N8nInstance;

const reader =
	(resource: string): Read =>
	async (limit, options) => {
		const execution = await n8n.run([
			{
				name: 'Items',
				type: 'CUSTOM.items',
				parameters: {
					resource,
					operation: 'getAll',
					returnAll: limit === undefined,
					...(limit === undefined ? {} : { limit }),
					pagination: options,
				},
			},
		]);
		if (execution.error) throw new Error(execution.error.message);
		return execution.output.Items;
	};

beforeAll(async () => {
	lab = await startPageCountLab(LAB_ITEMS);
	const work = freshFolder('concurrent-pages');
	writeFileSync(join(work, 'items.yaml'), spec(lab.url));
	const { integration, findings } = await importSpec(join(work, 'items.yaml'));
	if (!integration) throw new Error(JSON.stringify(findings, null, 2));
	buildPackage(join(work, 'pkg'), integration, 'n8n-nodes-items', 'items.yaml');
	n8n = await N8nInstance.create({ extensions: [join(work, 'pkg', 'dist')] });
	// Warm: each run goes through the running server's REST API rather than booting n8n twice.
	await N8nServer.start(n8n);
});

afterAll(async () => {
	await n8n?.close();
	await lab?.close();
});

describe.each([
	{ style: 'page count in the body', resource: 'items' },
	{ style: 'Link header with next and last', resource: 'linked' },
])('$style', ({ resource }) => {
	const read = reader(resource);
	concurrentPageCases(() => ({ read, lab }));
});
