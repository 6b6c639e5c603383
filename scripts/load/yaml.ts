/**
 * The yaml package, loaded on first use: loading it costs about 100 ms of every start, and a
 * command on a JSON spec (GitHub's, most large ones) never parses YAML.
 */
export function yaml(): typeof import('yaml') {
	return require('yaml') as typeof import('yaml');
}
