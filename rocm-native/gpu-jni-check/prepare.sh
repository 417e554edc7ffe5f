#!/usr/bin/env bash
# Bundles the JNI check for a GPU machine that has no Java: a jlink'd runtime, the binding's
# classes with its native libraries (built here with nvcc, so the GPU library links libcudart),
# slf4j, and GpuJniCheck. Run after `./mvnw -pl rocm-native -am package -DskipTests` on a machine
# with nvcc; then on the GPU machine, from the repository root:
#   bash rocm-native/gpu-jni-check/run.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$(dirname "$HERE")"
OUT="$MODULE/target/gpu-jni-check"
rm -rf "$OUT" && mkdir -p "$OUT/classes"
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
SLF4J="$(find "$HOME/.m2/repository/org/slf4j/slf4j-api/1.7.36" -name 'slf4j-api-1.7.36.jar' | head -1)"
if [[ ! -f "$MODULE/target/classes/native/linux-x86_64/libaimgpu_jni_gpu.so" ]]; then
  echo "gpu-jni-check: no GPU JNI library in target/classes; build rocm-native on a machine with nvcc first" >&2
  exit 1
fi
cp -r "$MODULE/target/classes" "$OUT/rocm-classes"
cp "$SLF4J" "$OUT/"
"$JAVA_HOME/bin/javac" -d "$OUT/classes" -cp "$OUT/rocm-classes" "$HERE/GpuJniCheck.java"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging --compress=2 --strip-debug --no-header-files \
  --no-man-pages --output "$OUT/jre"
du -sh "$OUT"
echo "gpu-jni-check: bundle ready in $OUT; carry that folder to the GPU machine"
