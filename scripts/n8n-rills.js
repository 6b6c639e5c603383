#!/usr/bin/env node
// Runs the TypeScript generator directly (tsx compiles on the fly); contributors need no build step.
require('tsx/cjs');
Promise.resolve(require('./cli.ts').main(process.argv.slice(2))).then((code) => {
	process.exitCode = code;
});
