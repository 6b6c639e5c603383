#!/usr/bin/env node
// Runs the TypeScript generator directly (tsx compiles on the fly); contributors need no build step.
require('tsx/cjs');
// npm packs every bin file, and n8n's scan lints it: the process globals stay in cli.ts.
require('./cli.ts').runCommandLine();
