#!/usr/bin/env bash
# Build the Debian package of jili (cargo-deb, [package.metadata.deb] in crates/cli/Cargo.toml),
# install it into a throwaway root, start `jili serve --config` from the installed tree and check
# /healthz, /readyz and /metrics answer 200; then stop it, reinstall over it (the conffile edit
# must survive) and purge it (the data directory must survive). docs/deploy.md.
#
#   scripts/deb/build-and-check.sh               release build (5–15 min on 2 cores), package, check
#   scripts/deb/build-and-check.sh --no-build    package the existing target/release/jili, check
#   scripts/deb/build-and-check.sh --from-debug  package target/debug/jili (what `cargo test` built), check
#
# --from-debug is what .ci/run uses: the package (unit, conffile, maintainer scripts, paths) is
# the same, only the binary is not optimised — it saves CI a release build of several minutes.
# The package to ship is the release one (target/debian/jili_*.deb).
#
# The throwaway root: `dpkg --root DIR --force-script-chrootless` installs the package under DIR
# and runs its real maintainer scripts on this machine with DPKG_ROOT=DIR (not chrooted: DIR has
# no shell to chroot into). The postinst honours DPKG_ROOT (useradd --prefix, ownership by the
# numeric ids of DIR/etc/passwd), and the systemd fragments do too (deb-systemd-helper), so
# nothing on this machine changes. Without dpkg the check skips and says so.
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=release
case "${1:-}" in
    "") ;;
    --no-build) mode=no-build ;;
    --from-debug) mode=from-debug ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (--no-build, --from-debug)" >&2; exit 2 ;;
esac

say() { echo "== deb: $*"; }
fail() { echo "== deb: FAILED: $*" >&2; exit 1; }

if ! command -v dpkg >/dev/null || ! command -v dpkg-deb >/dev/null; then
    say "SKIPPED: dpkg/dpkg-deb not found (not a Debian system): the package is neither built nor checked"
    exit 0
fi

# cargo-deb: once per machine, kept in ~/.cargo/bin.
if ! cargo deb --version >/dev/null 2>&1; then
    say "installing cargo-deb (cargo install cargo-deb --locked)"
    cargo install cargo-deb --locked --version 3.8.0 >/dev/null
fi
say "$(cargo deb --version)"

export CARGO_INCREMENTAL=0
mkdir -p target/debian
start=$(date +%s)
case "$mode" in
    release)
        say "release build and package (cargo deb -p jili-cli)"
        cargo deb -p jili-cli --output target/debian/ >/dev/null
        deb=$(ls -t target/debian/jili_*.deb | head -1)
        ;;
    no-build)
        [ -x target/release/jili ] || fail "target/release/jili missing: run without --no-build first (or cargo build --release -p jili-cli)"
        cargo deb -p jili-cli --no-build --output target/debian/ >/dev/null
        deb=$(ls -t target/debian/jili_*.deb | head -1)
        ;;
    from-debug)
        [ -x target/debug/jili ] || cargo build -p jili-cli --bin jili
        # cargo-deb packages "target/release/jili" of the target directory it is given: a
        # directory of its own holding the debug binary, so no release file is touched.
        staged=target/deb-from-debug
        mkdir -p "$staged/release"
        cp target/debug/jili "$staged/release/jili"
        CARGO_TARGET_DIR="$PWD/$staged" cargo deb -p jili-cli --no-build --fast --output target/debian/jili-from-debug.deb >/dev/null
        deb=target/debian/jili-from-debug.deb
        ;;
esac
say "built $deb ($(du -h "$deb" | cut -f1), $(($(date +%s) - start)) s)"

# What the package holds.
contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/jili ./etc/jili/jili.toml ./usr/lib/systemd/system/jili.service \
    ./usr/lib/systemd/system/jili-backup.service ./usr/lib/systemd/system/jili-backup.timer ./usr/share/doc/jili/deploy.md; do
    grep -q " $path\$" <<<"$contents" || fail "$path is not in the package"
done
dpkg-deb --field "$deb" Package Version Depends
dpkg-deb --info "$deb" conffiles | grep -qx /etc/jili/jili.toml || fail "/etc/jili/jili.toml is not a conffile"

if [ "$(id -u)" != 0 ]; then
    say "SKIPPED: installing into a throwaway root needs root (the postinst gives /var/lib/jili to the package's user); the package was built and inspected"
    exit 0
fi

# The throwaway root: a dpkg database and the accounts a base system has.
root=$(mktemp -d /tmp/jili-deb-root.XXXXXX)
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server" 2>/dev/null || true; fi
    rm -rf "$root"
}
trap cleanup EXIT
chmod 755 "$root"
mkdir -p "$root"/var/lib/dpkg/{info,updates,triggers} "$root"/etc "$root"/var/log
touch "$root"/var/lib/dpkg/{status,available}
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
printf 'root:*::\n' >"$root/etc/gshadow"
chmod 640 "$root/etc/shadow" "$root/etc/gshadow"
[ -f /etc/login.defs ] && cp /etc/login.defs "$root/etc/"
# Debian's switch for chroots: no service is started, stopped or restarted by the maintainer
# scripts (deb-systemd-invoke reads it under DPKG_ROOT), so an upgrade's try-restart can never
# reach a jili.service of this machine.
mkdir -p "$root/usr/sbin"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

dpkg_root() {
    PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        dpkg --root="$root" --force-script-chrootless --force-depends --log=/dev/null "$@"
}
host_accounts=$(sha256sum /etc/passwd /etc/group)
say "dpkg --root $root --force-script-chrootless -i $(basename "$deb")"
dpkg_root -i "$deb" >"$root/dpkg.log" 2>&1 || { cat "$root/dpkg.log"; fail "dpkg -i into the throwaway root"; }
dpkg_root -s jili | grep -q '^Status: install ok installed' || fail "dpkg does not list jili as installed in the throwaway root"

# What the maintainer scripts did, in the throwaway root only.
grep -q '^jili:' "$root/etc/passwd" || fail "the postinst did not create the system user jili"
uid=$(awk -F: '$1 == "jili" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "jili" { print $3 }' "$root/etc/group")
[ "$(stat -c '%u:%g %a' "$root/var/lib/jili")" = "$uid:$gid 750" ] ||
    fail "/var/lib/jili is $(stat -c '%u:%g %a' "$root/var/lib/jili"), not jili's ($uid:$gid) with mode 750"
[ "$(sha256sum /etc/passwd /etc/group)" = "$host_accounts" ] || fail "installing into the throwaway root changed this machine's /etc/passwd or /etc/group"
say "installed: $("$root/usr/bin/jili" --version); user jili uid $uid; /var/lib/jili jili:jili 0750"

# The unit, checked by systemd's own parser where it can be.
unit="$root/usr/lib/systemd/system/jili.service"
grep -qx 'ExecStart=/usr/bin/jili serve --config /etc/jili/jili.toml' "$unit" || fail "ExecStart in $unit"
for option in 'User=jili' 'ProtectSystem=strict' 'ReadWritePaths=/var/lib/jili' 'NoNewPrivileges=yes' 'CapabilityBoundingSet='; do
    grep -qx "$option" "$unit" || fail "$option missing in jili.service"
done
if command -v systemd-analyze >/dev/null; then
    # On copies whose commands are the installed binary (verify checks that it exists); any
    # message about a unit (an unknown or misspelt key is only a warning) fails the check.
    mkdir -p "$root/unit-check"
    for u in jili.service jili-backup.service jili-backup.timer; do
        sed "s#/usr/bin/jili#$root/usr/bin/jili#" "$root/usr/lib/systemd/system/$u" >"$root/unit-check/$u"
    done
    if out=$(cd "$root/unit-check" && systemd-analyze verify --man=no jili.service jili-backup.service jili-backup.timer 2>&1) && [ -z "$out" ]; then
        say "systemd-analyze verify: jili.service, jili-backup.service and jili-backup.timer are valid"
    elif grep -q 'jili' <<<"$out"; then
        fail "systemd-analyze verify: $out"
    else
        say "systemd-analyze verify could not run here: ${out%%$'\n'*}"
    fi
else
    say "systemd-analyze not found: the units' keys are not checked by systemd"
fi

# A free port on the loopback.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + RANDOM % 20000))
}
port=$(free_port)
mport=$(free_port)
[ "$port" != "$mport" ] || mport=$((port + 1))

# The installed conffile, adapted to the throwaway root: its database under $root/var/lib/jili,
# another port, and the operator's port.
mkdir -p "$root/check"
config="$root/check/jili.toml"
sed -e "s#\"/var/lib/jili/#\"$root/var/lib/jili/#" -e "s#127.0.0.1:8080#127.0.0.1:$port#" "$root/etc/jili/jili.toml" >"$config"
printf '\n[metrics]\nlisten = "127.0.0.1:%s"\n' "$mport" >>"$config"
chmod 644 "$config"

# As the package's user (its numeric id), as systemd would run it.
as_jili=()
if command -v setpriv >/dev/null; then
    as_jili=(setpriv --reuid="$uid" --regid="$gid" --clear-groups)
fi
export JILI_CONFIG="$config"
unset JILI_DATABASE_URL JILI_DATABASE_URL_FILE
"${as_jili[@]}" "$root/usr/bin/jili" init >"$root/init.log" 2>&1 || { cat "$root/init.log"; fail "jili init (as jili) on $root/var/lib/jili"; }
[ "$(stat -c %u "$root/var/lib/jili/jili.db")" = "$uid" ] || fail "the database is not owned by jili"
say "jili init: $(head -1 "$root/init.log")"

"${as_jili[@]}" "$root/usr/bin/jili" serve --config "$config" >"$root/serve.out" 2>"$root/serve.log" &
server=$!

# GET a path: prints the status code (000 when nothing answers).
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1$2" 2>/dev/null || true; }
ready=""
for _ in $(seq 1 300); do
    kill -0 "$server" 2>/dev/null || { cat "$root/serve.out" "$root/serve.log"; fail "jili serve exited"; }
    if [ "$(status_of "$port" /readyz)" = 200 ]; then ready=1; break; fi
    sleep 0.1
done
[ -n "$ready" ] || { cat "$root/serve.log"; fail "/readyz did not answer 200 within 30 s"; }
body=$(curl -s --max-time 5 "http://127.0.0.1:$port/readyz")
grep -q '"ready"' <<<"$body" || fail "/readyz: $body"
[ "$(status_of "$port" /healthz)" = 200 ] || fail "/healthz is not 200"
[ "$(status_of "$mport" /metrics)" = 200 ] || fail "/metrics on the metrics port is not 200"
[ "$(status_of "$port" /metrics)" = 404 ] || fail "/metrics must not be on the public port"
grep -q '"route":"/readyz"' "$root/serve.log" || fail "no JSON request log line for /readyz on standard error"
say "jili serve --config from the installed tree: /readyz $body; /healthz 200; /metrics 200 on :$mport"

# The backup the timer makes, while the server runs: the command of jili-backup.service.
install -d -o "$uid" -g "$gid" -m 750 "$root/var/lib/jili/backups"
backup="$root/var/lib/jili/backups/jili-check.db"
"${as_jili[@]}" "$root/usr/bin/jili" backup "$backup" >"$root/backup.log" 2>&1 || { cat "$root/backup.log"; fail "jili backup while serving"; }
[ -s "$backup" ] || fail "jili backup wrote no file"
say "jili backup while serving: $(head -1 "$root/backup.log")"

# systemctl stop sends SIGTERM: the server ends cleanly.
kill -TERM "$server"
for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server" 2>/dev/null; then fail "jili serve still running 10 s after SIGTERM"; fi
wait "$server" || fail "jili serve exited with status $? after SIGTERM"
server=""
grep -q '网站已停止' "$root/serve.out" || fail "jili serve did not stop gracefully: $(cat "$root/serve.out")"
say "SIGTERM: stopped gracefully"

# Reinstall over it (an upgrade): the operator's edit of the conffile stays; so do the user and data.
echo '# edited by the operator' >>"$root/etc/jili/jili.toml"
dpkg_root --force-confold -i "$deb" >"$root/dpkg.log" 2>&1 || { cat "$root/dpkg.log"; fail "dpkg -i again (upgrade)"; }
grep -qx '# edited by the operator' "$root/etc/jili/jili.toml" || fail "reinstalling replaced the edited /etc/jili/jili.toml"
[ "$(awk -F: '$1 == "jili" { print $3 }' "$root/etc/passwd")" = "$uid" ] || fail "reinstalling changed the user"
say "reinstall: conffile edit kept, user kept"

# Purge: the program goes; the database (government data) stays for the administrator.
dpkg_root --purge jili >"$root/dpkg.log" 2>&1 || { cat "$root/dpkg.log"; fail "dpkg --purge jili"; }
[ ! -e "$root/usr/bin/jili" ] || fail "purge left /usr/bin/jili"
[ -f "$root/var/lib/jili/jili.db" ] || fail "purge removed the database in /var/lib/jili"
say "purge: /usr/bin/jili removed, /var/lib/jili/jili.db kept"
say "OK: $deb installs, serves and uninstalls"
