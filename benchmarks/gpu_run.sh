#!/usr/bin/env bash
# The GPU figures in one prepared run, on a bare lent machine (no registry there): the lab and what it needs beyond
# the machine's own packages travel as wheels in .whl/ (see the device tool's README), installed to /tmp/site.
#   bash benchmarks/gpu_run.sh OUT_DIR [--dry-run]      # writes OUT_DIR/bench_gpu.json and OUT_DIR/gpu_run.log
# Rehearsed on the CPU in CI with --dry-run (tiny model, a few steps of each part). Expected on an H100/H200 from the
# figures of the first lent runs: ~40 s to build the real-size checkpoint, training 2 methods x 2 sides x up to 5
# batch sizes of 6 steps (~5 min), evaluation (~1.5 min), loader (~10 s): about 7 minutes in all, under the 10-minute cap.
set -uo pipefail
out=${1:?usage: gpu_run.sh OUT_DIR [--dry-run]}; shift
cd "$(dirname "$0")/.."
mkdir -p "$out"
if [ -d .whl ] && ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD${PYTHONPATH:+:$PYTHONPATH}
else
  export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 VLM_STUDIES_HOME=${VLM_STUDIES_HOME:-$(mktemp -d)}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | tee "$out/gpu_run.log"
timeout 570 python3 benchmarks/gpu_run.py --out "$out" "$@" 2>&1 | grep --line-buffered -v 'it/s]$' | tee -a "$out/gpu_run.log"
