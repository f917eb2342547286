#!/usr/bin/env bash
# The images' base layers, assembled from Debian packages and the build's own JDK, with no
# container registry and no Docker daemon (this machine reaches neither; it reaches Debian's
# package mirrors). Output, under $1:
#
#   rootfs-os/   glibc, libstdc++, libgcc, zlib: what the JVM links against (Debian packages)
#   rootfs-jre/  /opt/java: a jlink'ed Java 17 runtime with only the modules kgadget uses
#   rootfs-bpf/  libbpf1 + libelf1: what the node daemon's JNA binding loads (Debian packages)
#
# Jib puts them under the application layers on an empty ("scratch") base: see
# operator/pom.xml and node-daemon/pom.xml. Packages are those apt would install on this
# host (Debian 12 here) and are cached in ${KGADGET_DEB_CACHE:-~/.cache/kgadget/debs}.
set -euo pipefail
out="$1"
cache="${KGADGET_DEB_CACHE:-$HOME/.cache/kgadget/debs}"
os_pkgs=(libc6 libgcc-s1 libstdc++6 zlib1g)
bpf_pkgs=(libelf1 libbpf1)
# what jdeps --print-module-deps finds for the operator's and the daemon's runtime class paths,
# plus jdk.crypto.ec (the mTLS keys are EC P-256)
modules=java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.sql,jdk.httpserver,jdk.jfr,jdk.unsupported,jdk.crypto.ec

say() { printf 'build-rootfs: %s\n' "$*" >&2; }

fetch() {
  local missing=() p
  for p in "$@"; do
    compgen -G "$cache/${p}_*.deb" >/dev/null || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  mkdir -p "$cache"
  if ! (cd "$cache" && apt-get download -q "${missing[@]}" >/dev/null 2>&1); then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null
      (cd "$cache" && apt-get download -q "${missing[@]}" >/dev/null)
    else
      say "cannot download ${missing[*]} (apt-get download); run 'apt-get update' as root once"
      exit 1
    fi
  fi
}

unpack() {
  local root="$1" p deb
  shift
  rm -rf "$root"
  mkdir -p "$root"
  for p in "$@"; do
    deb=$(compgen -G "$cache/${p}_*.deb" | sort -V | tail -n 1)
    dpkg-deb -x "$deb" "$root"
  done
  rm -rf "$root/usr/share/doc" "$root/usr/share/lintian" "$root/usr/share/man" "$root/usr/share/locale" \
    "$root/usr/share/gcc" "$root/usr/share/gdb" "$root/usr/lib/x86_64-linux-gnu/gconv" "$root/etc"
}

# Jib copies files, not links: replace every symlink by a copy of what it points to inside
# the tree (absolute targets are taken relative to the tree, as they would be in the image).
flatten_links() {
  local root="$1" link target resolved n=0
  while IFS= read -r link; do
    target=$(readlink "$link")
    case "$target" in
      /*) resolved="$root$target" ;;
      *) resolved="$(dirname "$link")/$target" ;;
    esac
    if [ -e "$resolved" ]; then
      rm "$link"
      cp -a --dereference "$resolved" "$link" 2>/dev/null || cp -rL "$resolved" "$link"
      n=$((n + 1))
    else
      rm "$link" # points outside the packages we take (docs, other packages)
    fi
  done < <(find "$root" -type l)
  [ "$n" -eq 0 ] || flatten_links "$root"
}

fetch "${os_pkgs[@]}" "${bpf_pkgs[@]}"
unpack "$out/rootfs-os" "${os_pkgs[@]}"
unpack "$out/rootfs-bpf" "${bpf_pkgs[@]}"
# the empty directories a Linux process expects, and /tmp (an emptyDir in the chart)
mkdir -p "$out/rootfs-os"/{tmp,proc,sys,dev,etc}
printf 'root:x:0:0:root:/root:/sbin/nologin\nkgadget:x:65532:65532:kgadget:/tmp:/sbin/nologin\n' >"$out/rootfs-os/etc/passwd"
printf 'root:x:0:\nkgadget:x:65532:\n' >"$out/rootfs-os/etc/group"
flatten_links "$out/rootfs-os"
flatten_links "$out/rootfs-bpf"

java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
rm -rf "$out/rootfs-jre"
mkdir -p "$out/rootfs-jre/opt"
# With the JDK's class-data archive, as a full JDK has (classes mapped from it instead of parsed
# into each JVM's metaspace), and without --compress: a zip-compressed module image cost the
# daemon 6-7 MiB of RSS (bench/compare, five gadgets: 121 MiB against 114), more than the few
# MiB it saves in a gzip-compressed layer. The archive for heaps above 32 GiB is not needed.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$out/rootfs-jre/opt/java"
rm -f "$out/rootfs-jre/opt/java/lib/server/classes_nocoops.jsa"
flatten_links "$out/rootfs-jre"
say "rootfs-os $(du -sh "$out/rootfs-os" | cut -f1), rootfs-jre $(du -sh "$out/rootfs-jre" | cut -f1), rootfs-bpf $(du -sh "$out/rootfs-bpf" | cut -f1)"
