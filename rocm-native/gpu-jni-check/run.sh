#!/usr/bin/env bash
# Runs on the GPU machine from the repository root.
D=rocm-native/target/gpu-jni-check
set -u
nvidia-smi -L; nvidia-smi --query-gpu=driver_version --format=csv,noheader
JAVA=$D/jre/bin/java
command -v java >/dev/null && java -version 2>&1 | head -1
ldd $D/rocm-classes/native/linux-x86_64/libaimgpu_jni_gpu.so | grep cudart
if ldd $D/rocm-classes/native/linux-x86_64/libaimgpu_jni_gpu.so | grep -q "not found"; then
  CUDART=$(find / -name 'libcudart.so.13*' -not -path '/proc/*' 2>/dev/null | head -1)
  echo "libcudart.so.13 not at the build path; using $CUDART"
  export LD_LIBRARY_PATH=$(dirname "$CUDART")
fi
timeout 240 $JAVA -Xmx1g -cp $D/classes:$D/rocm-classes:$D/slf4j-api-1.7.36.jar GpuJniCheck 2>&1 | grep -v '^SLF4J'
