"""Weight memory of each 4-bit choice, measured on real-size models (published configs, random weights) loaded by the
lab's own `load` on the CPU, against `models.expected_weight_bytes` computed on the `meta` device.
    python benchmarks/quant_memory.py OUT_DIR [MODEL_ID ...]
Writes OUT_DIR/quant_memory.json. On a GPU machine it loads onto the GPU and adds `torch.cuda.memory_allocated`."""
import sys, json, time, tempfile, platform, gc
from pathlib import Path
import torch, transformers
from vlm_studies.families import get_adapter, real_size_config
from vlm_studies.models import load, weight_bytes, expected_weight_bytes
from vlm_studies.offline import train_tokenizer, build_random

out = Path(sys.argv[1] if len(sys.argv) > 1 else '.'); out.mkdir(parents=True, exist_ok=True)
ids = sys.argv[2:] or ['Qwen/Qwen2-VL-2B-Instruct', 'OpenGVLab/InternVL3-1B-hf', 'Qwen/Qwen2.5-VL-3B-Instruct']
gpu = torch.cuda.is_available()
res = dict(machine=torch.cuda.get_device_name() if gpu else f"{platform.machine()} CPU, {torch.get_num_threads()} threads",
           torch=torch.__version__, transformers=transformers.__version__, models={})
for mid in ids:
    t0 = time.perf_counter()
    cfg0 = real_size_config(mid)
    fam = get_adapter(cfg0.model_type)
    tok = train_tokenizer(fam.special_tokens, named_tokens=fam.named_tokens)
    cfg = real_size_config(mid, tokenizer=tok)
    with torch.device('meta'): meta = build_random(cfg)
    ckpt = Path(tempfile.mkdtemp())/mid.split('/')[1]
    torch.manual_seed(0); torch.set_default_dtype(torch.bfloat16)
    m = build_random(cfg)                                    # built in bf16 (no fp32 copy), saved as the hub ships them
    torch.set_default_dtype(torch.float32)
    m.save_pretrained(ckpt); fam.build_processor(tok, config=cfg).save_pretrained(ckpt)
    del m; gc.collect()
    rows = {}
    for label, kw in [('bf16', dict(dtype='bf16')), ('4bit', dict(quantization='4bit', dtype='bf16')),
                      ('4bit+quantize_vision', dict(quantization='4bit', dtype='bf16', quantize_vision=True)),
                      ('4bit, fp16 compute, fp32 vision (T4)', dict(quantization='4bit', dtype='fp16'))]:
        if gpu: torch.cuda.empty_cache(); base = torch.cuda.memory_allocated()
        t1 = time.perf_counter()
        vlm = load(str(ckpt), **kw)
        got = weight_bytes(vlm.model, fam)
        want = expected_weight_bytes(meta, fam, kw.get('quantization'), kw.get('quantize_vision', False),
                                     dict(bf16=torch.bfloat16, fp16=torch.float16)[kw['dtype']])
        rows[label] = dict(measured_mb={k: round(v / 1e6, 1) for k, v in got.items()},
                           expected_mb={k: round(v / 1e6, 1) for k, v in want.items()}, equal=got == want, load_s=round(time.perf_counter() - t1, 1))
        if gpu: rows[label]['cuda_allocated_mb'] = round((torch.cuda.memory_allocated() - base) / 1e6, 1)
        print(mid, label, rows[label], flush=True)
        del vlm; gc.collect()
    res['models'][mid] = dict(rows=rows, seconds=round(time.perf_counter() - t0, 1))
    (out/'quant_memory.json').write_text(json.dumps(res, indent=1))
print(json.dumps(res, indent=1))
