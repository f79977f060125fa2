#!/usr/bin/env bash
# Assembles the sandbox image without any registry: a self-contained publish of the runner plus
# exactly the shared libraries it links against, imported with `docker import`. The tag is a hash
# of the inputs, so the image is rebuilt only when they change. Prints the image tag on stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

inputs=$(
  { git ls-files -co --exclude-standard -- sandbox/BugHunt.Runner src/BugHunt.Core/Sandbox/Protocol.cs \
      build Directory.Build.props Directory.Build.targets Directory.Packages.props global.json sandbox/build-image.sh \
      2>/dev/null || find sandbox/BugHunt.Runner build -type f -not -path '*/bin/*' -not -path '*/obj/*'; } | sort
)
hash=$(for f in $inputs; do [ -f "$f" ] && { echo "$f"; sha256sum < "$f"; }; done | sha256sum | cut -c1-16)
tag="bughunt-sandbox:$hash"

published="${BUGHUNT_HOME:-$root/.bughunt}/runner"
if docker image inspect "$tag" >/dev/null 2>&1 && [ -x "$published/BugHunt.Runner" ]; then
  echo "sandbox image $tag is up to date" >&2
  echo "$tag"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs/runner" "$rootfs/tmp" "$rootfs/etc" "$rootfs/proc" "$rootfs/dev" "$rootfs/sys"
chmod 1777 "$rootfs/tmp"

# ReadyToRun: Roslyn and the runtime arrive precompiled, so a sandbox spends its time on the
# submission, not on JIT-compiling the compiler. The same publish is kept in .bughunt/runner for
# `bughunt bench`, which runs it in-process on the host as the physical limit.
echo "publishing the runner (self-contained, ReadyToRun, linux-x64)..." >&2
rm -rf "$published"
dotnet publish sandbox/BugHunt.Runner -c Release -o "$published" -p:PublishReadyToRun=true -p:DebugType=embedded -nologo -v quiet >&2
cp -a "$published/." "$rootfs/runner/"

# libtorch ships test and Python bindings the runner never loads.
rm -f "$rootfs/runner"/libtorch_python.so "$rootfs/runner"/*_test.so "$rootfs/runner"/libnnapi_backend.so \
      "$rootfs/runner"/libaoti_custom_ops.so "$rootfs/runner"/libbackend_with_compiler.so
rm -rf "$rootfs/runner/cpu"

echo "collecting shared libraries..." >&2
find "$rootfs/runner" -type f \( -name '*.so' -o -name '*.so.*' -o -name BugHunt.Runner \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' \
  | sort -u > "$work/libs"
# Loaded with dlopen, so ldd cannot see them: OpenSSL (Roslyn hashes sources and emitted images).
for lib in /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3; do
  echo "$lib" >> "$work/libs"
  ldd "$lib" | awk '/=> \// { print $3 }' >> "$work/libs"
done
echo /lib64/ld-linux-x86-64.so.2 >> "$work/libs"
while read -r lib; do
  case "$lib" in "$rootfs"*) continue ;; esac
  [ -e "$lib" ] || continue
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
  real=$(readlink -f "$lib")
  if [ "$real" != "$lib" ]; then mkdir -p "$rootfs$(dirname "$real")"; cp -L "$lib" "$rootfs$real"; fi
done < "$work/libs"
# Debian's merged /usr: /lib and /lib64 are links into /usr.
for d in lib lib64; do
  if [ -L "/$d" ] && [ -d "$rootfs/$d" ] && [ ! -L "$rootfs/$d" ]; then
    mkdir -p "$rootfs/usr/$d"; cp -a "$rootfs/$d/." "$rootfs/usr/$d/"; rm -rf "${rootfs:?}/$d"; ln -s "usr/$d" "$rootfs/$d"
  fi
done

cat > "$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/nonexistent:/usr/sbin/nologin
runner:x:10001:10001:runner:/tmp:/usr/sbin/nologin
PASSWD
cat > "$rootfs/etc/group" <<'GROUP'
root:x:0:
runner:x:10001:
GROUP

echo "importing $tag..." >&2
tar -C "$rootfs" -c . | docker import \
  --change 'USER 10001:10001' \
  --change 'WORKDIR /tmp' \
  --change 'ENV HOME=/tmp TMPDIR=/tmp DOTNET_gcServer=0 DOTNET_EnableDiagnostics=0' \
  --change 'ENTRYPOINT ["/runner/BugHunt.Runner"]' \
  --change "LABEL bughunt.sandbox.inputs=$hash" \
  - "$tag" >&2
docker tag "$tag" bughunt-sandbox:latest
echo "$tag"
