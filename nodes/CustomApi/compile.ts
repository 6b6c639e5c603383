/**
 * A pasted spec → what the Custom API node lists and runs, with the generator's own importer: the
 * linter's fixes and findings (scripts/openapi/lint), the mapper (scripts/openapi/map: names,
 * refs, pagination detection, auth) and the runtime table (scripts/emit/table). Compiled once per
 * distinct spec text in a process (keyed by a hash) and kept in a cache bounded by the text it holds.
 */
import { createHash } from 'crypto';
import type { Integration } from '../../scripts/model/types';
import { operationTable } from '../../scripts/emit/table';
import { namespaceOf } from '../../scripts/emit/names';
import { toOpenApi3 } from '../../scripts/openapi/convert';
import { lintSpec } from '../../scripts/openapi/lint';
import { mapDocument } from '../../scripts/openapi/map';
import { forgetNames } from '../../scripts/openapi/text';
import type { Finding } from '../../scripts/validate/finding';
import type { IntegrationTable } from '../shared/types';
import { parseSpecText } from './parse';

/** The largest spec accepted: GitHub's REST spec, the largest we know, is 13 MB. */
export const MAX_SPEC_CHARS = 24 * 1024 * 1024;
/** The spec text the cache may hold compiled at once; the least recently used goes first. */
const CACHE_CHARS = 64 * 1024 * 1024;
const CACHE_ENTRIES = 16;
/** The table's own names are never used: the Custom API node has its own credential. */
const NAMESPACE = namespaceOf('n8n-nodes-rills', 'Rills');

export interface CompiledSpec {
	/** Absent when the spec cannot be used; then `findings` holds at least one error. */
	integration?: Integration;
	table?: IntegrationTable;
	findings: Finding[];
}

interface Entry {
	text: string;
	/** A promise, so that listings asked for at once compile the spec once. */
	compiled: Promise<CompiledSpec>;
}

/** Characters from each end of a spec that its cache key hashes. */
const SAMPLE_CHARS = 64 * 1024;

const cache = new Map<string, Entry>();
let cachedChars = 0;

/** The spec compiled (from the cache when this text was compiled before). */
export function compileSpec(text: string): Promise<CompiledSpec> {
	if (text.length > MAX_SPEC_CHARS)
		return refusedNow(
			'too-large',
			`the spec is larger than ${MAX_SPEC_CHARS / 2 ** 20} MB`,
			'paste a smaller spec, or remove the paths you do not need',
		);
	const key = keyOf(text);
	const hit = cache.get(key);
	if (hit?.text === text) {
		// Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
		cache.delete(key);
		cache.set(key, hit);
		return hit.compiled;
	}
	const compiled = compileUncached(text);
	if (hit) forget(key, hit);
	cache.set(key, { text, compiled });
	cachedChars += text.length;
	for (const [oldest, entry] of cache) {
		if (cache.size <= 1 || (cachedChars <= CACHE_CHARS && cache.size <= CACHE_ENTRIES)) break;
		forget(oldest, entry);
	}
	return compiled;
}

function forget(key: string, entry: Entry): void {
	cache.delete(key);
	cachedChars -= entry.text.length;
}

/**
 * The spec's cache key: its length and a SHA-256 of its two ends. A hit is confirmed by comparing
 * the whole text, which takes a few milliseconds where hashing all of a 13 MB spec (encoded to
 * UTF-8 first) takes a hundred: every listing and every run looks the spec up again.
 */
function keyOf(text: string): string {
	const ends = text.length > 2 * SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) + text.slice(-SAMPLE_CHARS) : text;
	return `${text.length}:${createHash('sha256').update(ends).digest('hex')}`;
}

async function compileUncached(text: string): Promise<CompiledSpec> {
	if (!text.trim())
		return refused(
			'empty',
			'the credential holds no spec',
			'paste an OpenAPI 3.x or Swagger 2.0 document into OpenAPI Spec',
		);
	const parsed = parseSpecText(text);
	if ('finding' in parsed) return { findings: [parsed.finding] };
	const original = parsed.document;
	const { document: doc, version, findings: converted } = await toOpenApi3(original, 'spec');
	if (!doc || !version) return { findings: converted };
	try {
		const findings = [
			...converted,
			...lintSpec({ file: 'spec', original, document: doc, version, findings: [] }, 'spec', true),
		];
		if (findings.some((f) => f.severity === 'error')) return { findings };
		// The mapper's name caches hold one spec's names; the mapper is synchronous, so no other spec interleaves.
		forgetNames();
		const { integration, findings: mapped } = mapDocument(doc, 'customApi');
		return {
			integration,
			table: operationTable(integration, NAMESPACE),
			findings: [...findings, ...mapped.map((f) => ({ file: 'spec', ...f }))],
		};
	} catch (e) {
		// Whatever the spec, the answer is a finding: a bug of ours must not look like a crash of the user's run.
		const message =
			e instanceof RangeError
				? 'the spec is nested too deeply to process'
				: `the spec could not be read: ${(e as Error).message}`;
		return refused('unprocessable', message, 'flatten the deepest schemas with $ref to named components');
	}
}

function refused(rule: string, message: string, fix: string, pointer = ''): CompiledSpec {
	return { findings: [{ file: 'spec', pointer, severity: 'error', rule, message, fix }] };
}

function refusedNow(rule: string, message: string, fix: string): Promise<CompiledSpec> {
	return Promise.resolve(refused(rule, message, fix));
}

/** For tests: the cache's size, to show it stays bounded. */
export function cachedSpecs(): { entries: number; chars: number } {
	return { entries: cache.size, chars: cachedChars };
}
