#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- the bin is plain CommonJS, run by node as it is */
// The `kernel-islands-mcp` command: runs the bundle that `npm run build` writes to dist/mcp.js.
const path = require('node:path');
const { existsSync } = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'mcp.js');
if (!existsSync(bundle)) {
  process.stderr.write(
    `kernel-islands-mcp: ${bundle} is missing; run \`npm run build\` in ${path.dirname(__dirname)} first.\n`,
  );
  process.exit(1);
}
require(bundle);
