#!/usr/bin/env node
// The generator's command. Published, it runs the JavaScript in lib/ that `npm run build:generator`
// compiled; in this repository, where npm links this folder as a workspace, lib/ may be stale or
// missing, so the TypeScript sources beside it run instead (through tsx).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

if (existsSync(join(__dirname, '..', 'cli.ts'))) require('../n8n-rills.js');
else require('./lib/scripts/cli.js').runCommandLine();
