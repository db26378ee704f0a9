"""Where a pipelined, cached choice-scoring batch spends its time on a GPU: wall time vs the GPU's busy time, and
the top CPU-side ops. Real-size Qwen2-VL-2B (random weights, bf16), 448 px dev-shaped pairs:
    python benchmarks/gpu_eval_profile.py OUT_DIR
Writes OUT_DIR/gpu_eval_profile.json and OUT_DIR/gpu_eval_profile.txt (the profiler's tables)."""
import sys, json, time, tempfile
from pathlib import Path
import torch
from torch.profiler import profile, ProfilerActivity
from vlm_studies.bench import dev_shaped_samples
from vlm_studies.models import real_size_vlm
from vlm_studies.vision_cache import VisionCache

out = Path(sys.argv[1] if len(sys.argv) > 1 else '.'); out.mkdir(parents=True, exist_ok=True)
vlm = real_size_vlm('Qwen/Qwen2-VL-2B-Instruct', 'cuda', torch.bfloat16, 448 * 448)
samples = dev_shaped_samples(64, 448, Path(tempfile.mkdtemp())/'data')
vlm.score_choices(samples[:16], batch_size=16, share_prefix=False)      # warm-up
chs = [s.choices for s in samples[:16]]
res = {}
torch.cuda.synchronize(); t0 = time.perf_counter(); prep = vlm.prepare_batch(samples[:16], chs); res['prepare_s'] = time.perf_counter() - t0
torch.cuda.synchronize(); t0 = time.perf_counter(); r = vlm.score_batch(prep, VisionCache()); res['launch_s'] = time.perf_counter() - t0
r.tolist(); res['run_s'] = time.perf_counter() - t0
with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as p:
    torch.cuda.synchronize(); t0 = time.perf_counter()
    vlm.score_choices(samples, batch_size=16, share_prefix=False)
    torch.cuda.synchronize(); res['wall_s'] = time.perf_counter() - t0
ev = p.key_averages()
res['gpu_busy_s'] = sum(e.self_device_time_total for e in ev) / 1e6
res['samples'] = 64; res['samples_per_s'] = 64 / res['wall_s']
(out/'gpu_eval_profile.txt').write_text(ev.table(sort_by='self_device_time_total', row_limit=25) + '\n\n' + ev.table(sort_by='self_cpu_time_total', row_limit=25))
(out/'gpu_eval_profile.json').write_text(json.dumps(res, indent=1))
print(json.dumps(res, indent=1))
