#!/usr/bin/env bash
# Fetch, here (a registry is reachable), the wheels gpu_run.sh needs on a lent nvidia-h200 machine (none there):
# what the lab imports that the machine's image lacks or holds too old (transformers 5.17 there, >= 5.24 needed).
# 59 MiB with bitsandbytes (43 MiB); the checkout adds about 4 MiB: under the 64 MiB a call carries. The lab travels as
# the checkout itself (gpu_run.sh puts it on PYTHONPATH). They land in .whl/ (git-ignored through .git/info/exclude);
# then: run(carry=['.whl'], command='bash benchmarks/gpu_run.sh $OUT', timeout_s=600).
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >> .git/info/exclude
plat=(--platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64
      --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64 --platform any)
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${plat[@]}" -d .whl \
  transformers==5.24.0 trl==1.16.0 bitsandbytes==0.50.2 datasets==5.2.0 dill==0.4.1 multiprocess==0.70.19 \
  fastcore==2.2.41 huggingface_hub==2.4.0 httpx2==2.16.2 httpcore2==2.16.2 trio==0.35.0 outcome==1.3.0.post0 \
  sniffio==1.3.1 truststore==0.10.5 defusedxml==0.7.1 liger-kernel==0.8.5
du -sh .whl; ls .whl
