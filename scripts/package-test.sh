#!/usr/bin/env bash
# The package's install test (issue 20): makes a clean Debian 12 root with debootstrap in a
# temporary folder (no Swift in it), installs the package with dpkg -i and apt-get -f install,
# and inside that root runs pingyi --version, pingyi demo --out demo, and pingyi serve, whose
# sign-in page must answer on loopback.
#
#     sudo scripts/package-test.sh dist/pingyi_0.2.0_amd64.deb
#
# Needs root (debootstrap, chroot, mount), debootstrap (PINGYI_SETUP_PACKAGE=1 scripts/setup.sh)
# and a Debian mirror ($DEBIAN_MIRROR, default deb.debian.org). Exits 0 when every check passes,
# 1 with the failing check, 77 (skipped, saying why) when it cannot run here.
set -euo pipefail
deb=${1:?usage: scripts/package-test.sh PACKAGE.deb}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
skip() { echo "package-test: skipped: $*" >&2; exit 77; }
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }
[ -f "$deb" ] || fail "no package at $deb (make package first)"
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (PINGYI_SETUP_PACKAGE=1 scripts/setup.sh)"
mirror_host=$(echo "$mirror" | sed -E 's|^[a-z]+://([^/:]+).*|\1|')
mirror_port=$(echo "$mirror" | sed -nE 's|^[a-z]+://[^/:]+:([0-9]+).*|\1|p')
case "$mirror" in https://*) mirror_port=${mirror_port:-443} ;; *) mirror_port=${mirror_port:-80} ;; esac
timeout 20 bash -c "exec 3<>/dev/tcp/$mirror_host/$mirror_port" 2>/dev/null || skip "the Debian mirror $mirror cannot be reached"

root=$(mktemp -d /tmp/pingyi-debian12.XXXXXX)
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    for m in dev/pts dev proc; do umount "$root/$m" 2>/dev/null || umount -l "$root/$m" 2>/dev/null || true; done
    # Never remove through a mount that is still there (it would be the host's /dev or /proc).
    for m in dev/pts dev proc; do
        if mountpoint -q "$root/$m"; then echo "package-test: $root/$m is still mounted; left $root in place" >&2; return; fi
    done
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
echo "package-test: debootstrap bookworm into $root" >&2
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.log" 2>&1 || { tail -20 "$root.log" >&2; fail "debootstrap failed"; }
rm -f "$root.log"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
in_root sh -c 'command -v swift' >/dev/null && fail "the clean root has swift"
[ -z "$(find "$root" -name 'libswiftCore*' -print -quit)" ] || fail "the clean root has the Swift runtime"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/pingyi.deb"

echo "package-test: dpkg -i, apt-get -f install" >&2
in_root dpkg -i /tmp/pingyi.deb > /dev/null 2>&1 || true   # fails on the missing dependencies: apt-get -f brings them
in_root apt-get update -q > /dev/null
in_root apt-get -f install -y -q --no-install-recommends > /dev/null
in_root dpkg-query -W -f='${Status}' pingyi | grep -q "install ok installed" || fail "pingyi is not installed in the clean root"

version=$(in_root pingyi --version) || fail "pingyi --version failed in the clean root"
echo "package-test: $version" >&2
in_root sh -c 'cd /tmp && pingyi demo --out demo' > "$root/tmp/demo.log" 2>&1 || { tail -20 "$root/tmp/demo.log" >&2; fail "pingyi demo failed in the clean root"; }
[ -s "$root/tmp/demo/report/report.html" ] && [ -s "$root/tmp/demo/composite.csv" ] || fail "pingyi demo wrote no report"
echo "package-test: pingyi demo --out demo: $(ls "$root/tmp/demo" | wc -l) entries, report/report.html $(du -h "$root/tmp/demo/report/report.html" | cut -f1)" >&2

# A store with its first admin (without one, the server shows the first-start setup instead).
printf 'package-test-password-1\n' > "$root/tmp/password"
in_root pingyi users add 管理员 --role admin --password-file /tmp/password --db /tmp/serve.sqlite > /dev/null || fail "pingyi users add failed in the clean root"
port=$((20000 + RANDOM % 20000))
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 pingyi serve --db /tmp/serve.sqlite --port "$port" \
    --surveys /usr/share/pingyi/surveys > "$root/tmp/serve.log" 2>&1 &
server=$!
page=
for _ in $(seq 1 50); do
    page=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'GET /login HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3; cat <&3" 2>/dev/null || true)
    [ -n "$page" ] && break
    sleep 0.2
done
echo "$page" | head -1 | grep -q " 200 " || { cat "$root/tmp/serve.log" >&2; fail "pingyi serve did not answer its sign-in page on 127.0.0.1:$port (got: $(echo "$page" | head -1))"; }
echo "$page" | grep -q "登录" || fail "the sign-in page does not say 登录"
echo "package-test: passed: installed into a clean Debian 12 root without Swift; --version, demo and serve (sign-in page on loopback) work" >&2
