/**
 * The round trip of the generator: each spec generated as a package, all packages compiled together
 * and loaded into one real n8n, a sample of each package's operations run as a user configures them
 * against a validating mock of the same spec (mock.ts), and the requests the mock refused counted.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authOption, credentialNames, credentialVariants, namespaceOf } from '../emit/names';
import { N8nInstance, type CredentialImport, type WorkflowNode } from '../harness/n8n';
import { compilePackage, freshFolder } from '../harness/package-build';
import type { AuthVariant, Integration, Operation } from '../model/types';
import { importSpec } from '../openapi/import';
import type { Json } from '../openapi/document';
import { loadSpec } from '../openapi/load';
import { packageFiles, writeFiles } from '../openapi/package';
import { configure, specOperation } from './configure';
import { deref } from './sample';
import { relativeServer, startMock, type Mock, type Violation } from './mock';
import { pickOperations } from './operations';

export interface RoundTripSpec {
	/** Shown in the table, e.g. `github.com/api.github.com`. */
	id: string;
	file: string;
}

export interface RoundTripRow {
	id: string;
	/** Operations run in n8n. */
	operations: number;
	requests: number;
	violations: Violation[];
	/** Requests the mock failed on (mock.ts). */
	mockFailures: string[];
	/** Operations whose node stopped with an error. */
	nodeErrors: NodeError[];
	/** Why the spec or some of its operations were not run. */
	skipped: string[];
}

export interface NodeError {
	/** The node and its error. */
	text: string;
	/** What the table already counts that it follows from: a refused request, the mock's failure, auth. */
	cause?: string;
}

export interface RoundTripOptions {
	/** Operations run per spec. */
	operationsPerSpec?: number;
	/** Specs whose mocks run at once (one n8n execution each batch). */
	batch?: number;
	log?: (line: string) => void;
}

const PACKAGE = 'n8n-nodes-roundtrip';
const NS = namespaceOf(PACKAGE);

interface Prepared {
	spec: RoundTripSpec;
	integration: Integration;
	/** The Authentication a user picks for each node: the one its operation's security names. */
	authOf: Map<WorkflowNode, AuthVariant>;
	opOf: Map<WorkflowNode, Operation>;
	doc: Json;
	/** Security schemes the node does not offer → the importer's finding saying why. */
	unmapped: Map<string, string>;
	nodes: WorkflowNode[];
	row: RoundTripRow;
}

export async function roundTrip(specs: RoundTripSpec[], options: RoundTripOptions = {}): Promise<RoundTripRow[]> {
	const log = options.log ?? (() => undefined);
	const out = freshFolder('roundtrip');
	const rows: RoundTripRow[] = [];
	const prepared: Prepared[] = [];
	const names = new Set<string>();
	try {
		for (const [i, spec] of specs.entries()) {
			const row: RoundTripRow = {
				id: spec.id,
				operations: 0,
				requests: 0,
				violations: [],
				mockFailures: [],
				nodeErrors: [],
				skipped: [],
			};
			rows.push(row);
			const ready = await prepare(spec, row, options.operationsPerSpec ?? 10);
			if (!ready) continue;
			if (names.has(ready.integration.name)) {
				row.skipped.push(`its node name ${ready.integration.name} is taken by another spec of the sample`);
				continue;
			}
			names.add(ready.integration.name);
			writeFiles(join(out, String(i)), packageFiles(ready.integration, PACKAGE, spec.id));
			prepared.push(ready);
		}
		writeFileSync(
			join(out, 'tsconfig.json'),
			JSON.stringify({
				extends: '../../tsconfig.json',
				compilerOptions: { rootDir: '.', outDir: 'dist' },
				include: ['*/nodes/**/*.ts', '*/credentials/**/*.ts'],
			}),
		);
		log(`compiling ${prepared.length} packages`);
		compilePackage(out);
		const n8n = await N8nInstance.create({ extensions: [join(out, 'dist')] });
		try {
			const size = options.batch ?? 8;
			for (let i = 0; i < prepared.length; i += size) {
				const batch = prepared.slice(i, i + size);
				log(`running ${batch.map((p) => p.spec.id).join(', ')}`);
				// One batch that n8n refuses must not end the sweep: its specs say why instead.
				await runBatch(n8n, batch).catch((e: Error) => {
					for (const p of batch) p.row.skipped.push(`the batch failed: ${e.message.split('\n')[0]}`);
				});
			}
		} finally {
			n8n.dispose();
		}
	} finally {
		rmSync(out, { recursive: true, force: true });
	}
	return rows;
}

async function prepare(spec: RoundTripSpec, row: RoundTripRow, max: number): Promise<Prepared | undefined> {
	const [{ integration, refusal, findings }, loaded] = await Promise.all([
		importSpec(spec.file),
		loadSpec(spec.file),
	]);
	if (!integration || !loaded.document) {
		row.skipped.push(`not generated: ${refusal ?? 'the spec could not be loaded'}`);
		return undefined;
	}
	const doc = loaded.document as Json;
	const variants = credentialVariants(integration);
	const nodes: WorkflowNode[] = [];
	const authOf = new Map<WorkflowNode, AuthVariant>();
	const opOf = new Map<WorkflowNode, Operation>();
	for (const { resource, op } of pickOperations(integration, max)) {
		const { parameters, skip } = configure(doc, resource, op);
		if (skip) {
			row.skipped.push(`${op.method} ${op.path}: ${skip}`);
			continue;
		}
		const auth = chooseAuth(doc, op, variants);
		if (auth && integration.auth.length > 1) parameters.authentication = authOption(auth).option;
		const node: WorkflowNode = {
			// Numbered: long paths cut to n8n's name length would collide.
			name: `${spec.id} #${nodes.length + 1} ${op.method} ${op.path}`.slice(0, 120),
			type: `CUSTOM.${integration.name}`,
			parameters,
			onError: 'continueRegularOutput',
			// Once per operation whatever the node before it output, and on even when that was nothing.
			executeOnce: true,
			alwaysOutputData: true,
		};
		nodes.push(node);
		opOf.set(node, op);
		if (auth) authOf.set(node, auth);
	}
	const unmapped = new Map(
		findings
			.filter((f) => f.rule === 'auth-not-mapped')
			.map((f) => [f.pointer.split('/').pop()!.replace(/~1/g, '/').replace(/~0/g, '~'), f.message]),
	);
	return { spec, integration, authOf, opOf, doc, unmapped, nodes, row };
}

async function runBatch(n8n: N8nInstance, all: Prepared[]): Promise<void> {
	const mocks: Mock[] = [];
	const batch: Prepared[] = [];
	try {
		for (const p of all) {
			try {
				mocks.push(await startMock(p.spec.file, operationsOf(p.integration), relativeServer(p.doc)));
				batch.push(p);
			} catch (e) {
				p.row.skipped.push(`the mock did not start: ${(e as Error).message.split('\n')[0]}`);
			}
		}
		if (!batch.length) return;
		const credentials: CredentialImport[] = [];
		batch.forEach((p, i) => {
			for (const auth of new Set(p.authOf.values())) {
				const { name } = credentialNames(p.integration, auth, NS);
				const id = `rt${String(++credentialCount).padStart(8, '0')}`;
				credentials.push({ id, name: id, type: name, data: credentialData(p.integration, auth, mocks[i].url) });
				for (const node of p.nodes)
					if (p.authOf.get(node) === auth) node.credentials = { [name]: { id, name: id } };
			}
		});
		if (credentials.length) await n8n.importCredentials(credentials);
		const nodes = batch.flatMap((p) => p.nodes);
		const execution = await n8n.run(nodes);
		batch.forEach((p, i) => {
			p.row.operations = p.nodes.length;
			p.row.requests = mocks[i].requests;
			p.row.violations = mocks[i].violations;
			p.row.mockFailures = mocks[i].failures;
			for (const v of p.row.violations) v.limitation = authLimitation(p, v);
			for (const node of p.nodes) {
				const items = execution.output[node.name];
				if (!items) p.row.nodeErrors.push({ text: `${node.name}: did not run` });
				const error = items?.find((item) => item.error)?.error;
				if (error)
					p.row.nodeErrors.push({
						text: `${node.name}: ${errorText(error)}`,
						cause: causeOf(p.opOf.get(node)!, p.row.violations, mocks[i].failedOperations),
					});
			}
		});
	} finally {
		await Promise.all(mocks.map((m) => m.close()));
	}
}

let credentialCount = 0;

/** What a node's error follows from among what the table counts already, if anything. */
function causeOf(op: Operation, violations: Violation[], failed: Set<Operation>): string | undefined {
	const refused = violations.filter((v) => v.operation === op);
	if (refused.length && refused.every((v) => v.limitation)) return 'auth the node does not offer (above)';
	if (refused.length) return 'the mock refused its request (above)';
	if (failed.has(op)) return 'the mock failed to answer (above)';
	return undefined;
}

/** An item's error as n8n puts it: its message, or an object of the error's fields. */
function errorText(error: unknown): string {
	if (!error || typeof error !== 'object') return String(error);
	const { message, description } = error as { message?: unknown; description?: unknown };
	return [message, description].filter((t) => typeof t === 'string' && t).join(' — ') || JSON.stringify(error);
}

/** Scheme types of a spec → the kind of variant the importer makes of them. */
const KIND: Record<string, AuthVariant['type']> = { apiKey: 'apiKey', oauth2: 'oauth2', openIdConnect: 'oauth2' };

/**
 * The variant whose scheme the operation's security accepts (the mock checks it), as a user reads
 * it from the reference; OAuth1 signatures the mock cannot check. The first variant otherwise.
 */
function chooseAuth(doc: Json, op: Operation, variants: AuthVariant[]): AuthVariant | undefined {
	const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Record<string, Json>;
	const security = (specOperation(doc, op)?.operation.security ?? doc.security) as Json[] | undefined;
	for (const alternative of security ?? []) {
		for (const name of Object.keys(alternative)) {
			const scheme = deref(doc, schemes[name]);
			const kind =
				scheme?.type === 'http'
					? /^basic$/i.test(String(scheme.scheme))
						? 'basic'
						: 'apiKey'
					: KIND[String(scheme?.type)];
			const variant = variants.find((v) => v.type === kind);
			if (variant) return variant;
		}
	}
	return variants.find((a) => a.type !== 'oauth1') ?? variants[0];
}

function operationsOf(integration: Integration) {
	return integration.resources.flatMap((r) => r.operations);
}

/** A refused credential on an operation whose every security alternative needs a scheme the node does not offer. */
function authLimitation(p: Prepared, v: Violation): string | undefined {
	if (!v.operation || !v.messages.some((m) => /security/i.test(m))) return undefined;
	const found = specOperation(p.doc, v.operation);
	const security = (found?.operation.security ?? p.doc.security) as Array<Record<string, unknown>> | undefined;
	if (!security?.length) return undefined;
	const missing = security.map((alternative) => Object.keys(alternative).find((name) => p.unmapped.has(name)));
	if (missing.some((name) => !name)) return undefined;
	return missing.map((name) => `${name}: ${p.unmapped.get(name!)}`).join('; ');
}

/** What an admin types into the credential: the mock as the server, and any secret (the mock checks presence only). */
function credentialData(integration: Integration, auth: AuthVariant, url: string): Record<string, unknown> {
	const data: Record<string, unknown> = {};
	for (const field of integration.config) if (field.default !== undefined) data[field.name] = field.default;
	if (integration.config.some((f) => f.name === 'server')) data.server = url;
	else data.baseUrl = url;
	if (auth.type === 'apiKey') Object.assign(data, { apiKey: 'rt-key', token: 'rt-token' });
	if (auth.type === 'basic') Object.assign(data, { username: 'rt-user', password: 'rt-pass' });
	if (auth.type === 'oauth2')
		Object.assign(data, {
			clientId: 'rt-client',
			clientSecret: 'rt-secret',
			oauthTokenData: { access_token: 'rt-token', token_type: 'Bearer', expires_in: 3599 },
		});
	return data;
}
