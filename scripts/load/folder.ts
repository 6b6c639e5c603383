import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Whether `path` (absolute, or relative to `folder`) lies in `folder`'s tree: `..` and other roots leave it. */
export function isInside(folder: string, path: string): boolean {
	const within = relative(folder, resolve(folder, path));
	return within !== '..' && !within.startsWith(`..${sep}`) && !isAbsolute(within);
}
