/** One file an emitter writes: its path relative to the package root and its exact content. */
export interface EmittedFile {
	path: string;
	content: string;
}
