"""Real-size Qwen2-VL-2B (published sizes, random weights) through the lab's own `load`, `score_choices` and
`generate` on a CUDA GPU, in bf16 and in 4-bit NF4 (QLoRA's loading preset). Run on a lent GPU machine:
    python benchmarks/gpu_real_size.py OUT_DIR
Writes OUT_DIR/gpu_real_size.json. The model's tokenizer is the tiny local one (no hub here): the sequence shapes
(image tokens, prompt length) are those of a real NLVR2 prompt; only the text ids differ."""
import sys, json, time, tempfile, platform
from pathlib import Path
import torch, transformers
from vlm_studies.families import get_adapter, real_size_config
from vlm_studies.models import load, predict_choice
from vlm_studies.offline import train_tokenizer, build_random
from vlm_studies.nlvr2 import shapes_nlvr2, NLVR2_CHOICES

out = Path(sys.argv[1] if len(sys.argv) > 1 else '.'); out.mkdir(parents=True, exist_ok=True)
res = dict(device=torch.cuda.get_device_name(), torch=torch.__version__, transformers=transformers.__version__,
           python=platform.python_version(), model='Qwen/Qwen2-VL-2B-Instruct sizes, random weights', image='448x448 pair')

def sync(): torch.cuda.synchronize()
def timed(f, reps=1):
    f(); sync(); t0 = time.perf_counter()
    for _ in range(reps): r = f()
    sync(); return (time.perf_counter() - t0) / reps, r

# 1. build and save a real-size checkpoint folder (random weights, bf16) with the local tokenizer and real processor
t0 = time.perf_counter()
fam, tok = get_adapter('qwen2_vl'), train_tokenizer()
proc = fam.build_processor(tok, min_pixels=4*28*28, max_pixels=448*448)
with torch.device('cuda'): m = build_random(real_size_config('Qwen/Qwen2-VL-2B-Instruct', tokenizer=tok)).to(torch.bfloat16)
res['params_b'] = round(sum(p.numel() for p in m.parameters()) / 1e9, 3)
ckpt = Path(tempfile.mkdtemp())/'qwen2vl-2b-random'
m.save_pretrained(ckpt); proc.save_pretrained(ckpt); del m; torch.cuda.empty_cache()
res['build_save_s'] = round(time.perf_counter() - t0, 1)

ds = shapes_nlvr2(64, split='dev', seed=0, image_size=448)
for quant in [None, '4bit']:
    key = quant or 'bf16'
    torch.cuda.reset_peak_memory_stats(); t0 = time.perf_counter()
    vlm = load(str(ckpt), quantization=quant, dtype='bf16', max_pixels=448*448)
    r = dict(load_s=round(time.perf_counter() - t0, 1), weights_gib=round(torch.cuda.memory_allocated() / 2**30, 2))
    enc = vlm.encode(ds[0]); r['prompt_tokens'] = int(enc['input_ids'].shape[1]); r['image_patches'] = int(enc['pixel_values'].shape[0])
    for bs in [1, 8, 16]:
        torch.cuda.reset_peak_memory_stats()
        dt, sc = timed(lambda: vlm.score_choices(ds[:32], NLVR2_CHOICES, batch_size=bs))
        r[f'score_choices_bs{bs}_samples_per_s'] = round(32 / dt, 2)
        r[f'score_choices_bs{bs}_peak_gib'] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
    single = torch.stack([vlm.score_choices(s, NLVR2_CHOICES) for s in ds[:8]])
    r['batch_vs_single_max_abs_diff'] = float((vlm.score_choices(ds[:8], NLVR2_CHOICES, batch_size=8) - single).abs().max())
    r['batch_vs_single_same_decisions'] = predict_choice(single, NLVR2_CHOICES) == predict_choice(vlm.score_choices(ds[:8], NLVR2_CHOICES), NLVR2_CHOICES)
    dt1, _ = timed(lambda: [vlm.generate(s, max_new_tokens=8) for s in ds[:8]])
    dt8, _ = timed(lambda: vlm.generate(ds[:8], max_new_tokens=8, batch_size=8))
    r['generate_one_at_a_time_samples_per_s'] = round(8 / dt1, 2)
    r['generate_batch8_samples_per_s'] = round(8 / dt8, 2)
    r['choice_bs16_vs_generate_single_speedup'] = round(r['score_choices_bs16_samples_per_s'] / r['generate_one_at_a_time_samples_per_s'], 1)
    res[key] = r
    print(key, json.dumps(r, indent=1), flush=True)
    del vlm; torch.cuda.empty_cache()

(out/'gpu_real_size.json').write_text(json.dumps(res, indent=2) + '\n')
print(json.dumps(res, indent=2))
