import { join } from 'node:path';

/**
 * Where the generator finds what it copies into generated packages and what `npm run build:generator` compiled: this
 * repository's root, or in the published package its `lib/`, which mirrors it (`lib/scripts/…`, `lib/nodes/shared/…`,
 * `lib/tsconfig.json`). Worked out from this file's folder, which is `scripts/` in both: the compiled generator is
 * bundled into files in `lib/scripts/`, where every module shares the bundle's `__dirname`.
 */
export const GENERATOR_ROOT = join(__dirname, '..');
