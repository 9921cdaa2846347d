#!/usr/bin/env bash
# Install the OpenID Connect provider the single sign-on test runs against (oidc-provider and
# jose, versions pinned in crates/web/tests/sso/provider/package-lock.json) into
# crates/web/tests/sso/provider/node_modules. Needs Node.js 20.19 or later with npm (the
# machine's, or Debian's `apt-get install nodejs npm`). Exits 0 without installing, and says
# so, when they are missing: the test then skips (unless JILI_SSO_TESTS=1, which makes it fail).
set -euo pipefail
cd "$(dirname "$0")/../../crates/web/tests/sso/provider"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "== SKIPPED: node or npm not found — the single sign-on test will skip (apt-get install nodejs npm)"
    exit 0
fi
major=$(node -p 'process.versions.node.split(".")[0]')
minor=$(node -p 'process.versions.node.split(".")[1]')
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    echo "== SKIPPED: node $(node --version) is older than 20.19, which oidc-provider needs — the single sign-on test will skip"
    exit 0
fi
if [ -f node_modules/oidc-provider/package.json ] && [ -f node_modules/jose/package.json ] \
    && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "== oidc-provider already installed ($(node -p 'require("./node_modules/oidc-provider/package.json").version'))"
    exit 0
fi
echo "== installing oidc-provider for the single sign-on test (npm ci)"
npm ci --no-audit --no-fund --loglevel=error
echo "== oidc-provider $(node -p 'require("./node_modules/oidc-provider/package.json").version') installed"
