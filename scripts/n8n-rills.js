#!/usr/bin/env node
// Runs the TypeScript generator directly (tsx compiles on the fly); contributors need no build step.
require('tsx/cjs');
process.exitCode = require('./cli.ts').main(process.argv.slice(2));
