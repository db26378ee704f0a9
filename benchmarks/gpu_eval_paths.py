"""Where NLVR2 choice scoring spends its time on a GPU, and which path is fastest there. Real-size Qwen2-VL-2B
(published sizes, random weights, bf16) on dev-shaped 448 px pairs, all through the lab's own code:
    python benchmarks/gpu_eval_paths.py OUT_DIR
Times, per path and batch size, samples/s of `VLM.score_choices`: plain batches (`cache=False, share_prefix=False`),
with the vision cache only (`share_prefix=False`, the GPU default), and with the shared image prefix (the CPU default); plus
generate-then-parse one at a time, and the CPU share of each (encoding the batch). Writes OUT_DIR/gpu_eval_paths.json."""
import sys, json, time, tempfile
from pathlib import Path
import torch, transformers
from vlm_studies.bench import dev_shaped_samples
from vlm_studies.models import predict_choice, real_size_vlm

out = Path(sys.argv[1] if len(sys.argv) > 1 else '.'); out.mkdir(parents=True, exist_ok=True)
n = int(sys.argv[2]) if len(sys.argv) > 2 else 64
vlm = real_size_vlm('Qwen/Qwen2-VL-2B-Instruct', 'cuda', torch.bfloat16, 448 * 448)
samples = dev_shaped_samples(n, 448, Path(tempfile.mkdtemp())/'data')
res = dict(device=torch.cuda.get_device_name(), torch=torch.__version__, transformers=transformers.__version__, samples=n,
           model=vlm.model_id, image_size=448, pairs=len({tuple(map(str, s.images)) for s in samples}))
def timed(f):
    torch.cuda.synchronize(); t0 = time.perf_counter(); r = f(); torch.cuda.synchronize(); return time.perf_counter() - t0, r
dec = lambda sc: [predict_choice(x, samples[0].choices) for x in sc]
timed(lambda: vlm.score_choices(samples[:8], batch_size=8, share_prefix=False))   # warm-up
paths, ref = {}, None
for bs in (8, 16, 32):
    t, sc = timed(lambda: vlm.score_choices(samples, batch_size=bs, cache=False, share_prefix=False)); ref = ref or dec(sc)
    paths[f'plain_bs{bs}'] = dict(samples_per_s=n / t, same=dec(sc) == ref)
    t, sc = timed(lambda: vlm.score_choices(samples, batch_size=bs, share_prefix=False))
    paths[f'cache_bs{bs}'] = dict(samples_per_s=n / t, same=dec(sc) == ref)
t, sc = timed(lambda: vlm.score_choices(samples, share_prefix=True))
paths['shared_prefix'] = dict(samples_per_s=n / t, same=dec(sc) == ref)
for bs in (8, 16, 32):                                                # the CPU half: building the batch alone
    t, _ = timed(lambda: [vlm.encode_continuations(samples[b:b+bs], [s.choices for s in samples[b:b+bs]]) for b in range(0, n, bs)])
    paths[f'plain_bs{bs}']['encode_s_per_sample'] = t / n
k = min(n, 16)
t, gens = timed(lambda: [vlm.generate(s, max_new_tokens=8) for s in samples[:k]])
res['generate_single_samples_per_s'] = k / t
res['paths'] = paths
best = max(paths, key=lambda p: paths[p]['samples_per_s'])
res['best'] = best; res['best_vs_generate_single'] = paths[best]['samples_per_s'] / res['generate_single_samples_per_s']
res['peak_gpu_gib'] = torch.cuda.max_memory_allocated() / 2**30
(out/'gpu_eval_paths.json').write_text(json.dumps(res, indent=1))
print(json.dumps(res, indent=1))
