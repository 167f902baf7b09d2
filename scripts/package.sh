#!/usr/bin/env bash
# make package: builds dist/pingyi_VERSION_amd64.deb, a Debian package of the release binary
# linked with the static Swift standard library (no Swift on the target machine), depending only
# on Debian's runtime packages (found from the libraries the binary links, with dpkg -S), with
# the shipped surveys, schemes and county under /usr/share/pingyi, a man page, bash/zsh/fish
# completions, the systemd unit and its settings (/etc/pingyi/pingyi.conf).
#
#     scripts/package.sh            # about 15 minutes the first time (a release build of its own)
#
# The binary is built in its own scratch folder (.build/package) so that the developer's
# release build is left as it is. Needs dpkg-deb (Debian's dpkg).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^ *static let version = "\(.*\)"$/\1/p' Sources/pingyi/Pingyi.swift)
[ -n "$version" ] || { echo "package: cannot read the version from Sources/pingyi/Pingyi.swift" >&2; exit 1; }
scratch=${PINGYI_PACKAGE_SCRATCH:-.build/package}
swift=${SWIFT:-swift}

echo "package: building pingyi $version (release, static Swift standard library) in $scratch" >&2
"$swift" build -c release --product pingyi --static-swift-stdlib --scratch-path "$scratch"
bin="$("$swift" build -c release --product pingyi --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/pingyi"
links=$(ldd "$bin")
if grep -q libswiftCore <<<"$links"; then
    echo "package: $bin still links the Swift runtime dynamically" >&2; exit 1
fi

echo "package: man page (swift-argument-parser's generate-manual, from the binary's own help)" >&2
"$swift" build -c release --product generate-manual --static-swift-stdlib --scratch-path "$scratch" >/dev/null
stage=$(mktemp -d)
manuals=$(mktemp -d)
trap 'rm -rf "$stage" "$manuals"' EXIT
"$(dirname "$bin")/generate-manual" "$bin" --date "$(git log -1 --format=%cs 2>/dev/null || date -u +%F)" --output-directory "$manuals"
manual=$manuals/pingyi.1

root=$stage/pingyi_${version}_amd64
install -D -m 0755 "$bin" "$root/usr/bin/pingyi"
strip --strip-unneeded "$root/usr/bin/pingyi"
mkdir -p "$root/usr/share/pingyi/scripts"
cp -r surveys datasets "$root/usr/share/pingyi/"
install -m 0755 scripts/demo.sh "$root/usr/share/pingyi/scripts/demo.sh"
install -D -m 0644 "$manual" "$root/usr/share/man/man1/pingyi.1"
gzip -9n "$root/usr/share/man/man1/pingyi.1"
"$root/usr/bin/pingyi" --generate-completion-script bash | install -D -m 0644 /dev/stdin "$root/usr/share/bash-completion/completions/pingyi"
"$root/usr/bin/pingyi" --generate-completion-script zsh | install -D -m 0644 /dev/stdin "$root/usr/share/zsh/vendor-completions/_pingyi"
"$root/usr/bin/pingyi" --generate-completion-script fish | install -D -m 0644 /dev/stdin "$root/usr/share/fish/vendor_completions.d/pingyi.fish"
install -D -m 0644 packaging/pingyi.service "$root/lib/systemd/system/pingyi.service"
install -D -m 0640 packaging/pingyi.conf "$root/etc/pingyi/pingyi.conf"
for doc in README.md CHANGELOG.md docs/install.md docs/server.md; do
    install -D -m 0644 "$doc" "$root/usr/share/doc/pingyi/$(basename "$doc")"
done

# Depends: the Debian package of each shared library the binary loads.
depends=$(ldd "$bin" | awk '/=> \// { print $3 }' | while read -r lib; do
    dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true
done | cut -d: -f1 | sort -u | while read -r pkg; do
    printf '%s (>= %s)\n' "$pkg" "$(dpkg-query -W -f='${Version}' "$pkg" | sed 's/-[^-]*$//')"
done | paste -sd, - | sed 's/,/, /g')
[ -n "$depends" ] || { echo "package: found no runtime packages for $bin" >&2; exit 1; }
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: pingyi
Version: $version
Architecture: amd64
Maintainer: pingyi developers <pingyi@localhost>
Section: science
Priority: optional
Depends: $depends, adduser
Recommends: postgresql-client
Installed-Size: $(du -sk "$root" | cut -f1)
Homepage: https://github.com/pingyi
Description: public evaluation (公众评议) of government performance, for statistics bureaus
 pingyi draws stratified multi-stage samples of respondents from sampling frames, keys
 paper questionnaires twice, runs telephone interviews and online self-completion, and
 estimates satisfaction scores per evaluated unit with design-based standard errors,
 composite scores, ranks and grades, in a command-line tool and a web application
 (pingyi serve, run as the pingyi.service systemd unit).
CONTROL
echo /etc/pingyi/pingyi.conf > "$root/DEBIAN/conffiles"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
mkdir -p dist
dpkg-deb --build --root-owner-group "$root" "dist/pingyi_${version}_amd64.deb" >/dev/null
echo "package: dist/pingyi_${version}_amd64.deb ($(du -h "dist/pingyi_${version}_amd64.deb" | cut -f1)); Depends: $depends" >&2
