/**
 * The middle value (the upper middle of an even count): what the benchmarks compare, steadier than a mean on a shared
 * machine.
 */
export function median(values: number[]): number {
	return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
