"""The GPU figures in one prepared run: training (the stock TRL path against ours), evaluation (ours against
generate-then-parse one at a time, and a batch-invariance certificate) and the loader.

    python benchmarks/gpu_run.py --out DIR                 # a CUDA GPU: real-size Qwen2-VL-2B, random weights, bf16
    python benchmarks/gpu_run.py --out DIR --dry-run       # anywhere: the tiny model, a few steps of each part (CI)
    python benchmarks/gpu_run.py --out DIR --parts packing --dry-run   # the CPU packing figures only

Each part writes its figures into DIR/bench_gpu.json as soon as it has them (atomically); a part that fails records
its error there and the others still run. The exit status is 1 if any part failed. `benchmarks/gpu_run.sh` wraps it
for a bare lent machine (wheels carried, no registry)."""
import argparse, dataclasses, gc, json, platform, random, sys, tempfile, time, traceback
from pathlib import Path
import datasets, torch, transformers, trl
from peft import LoraConfig
from transformers import PrinterCallback, TrainerCallback
from trl import SFTConfig, SFTTrainer
from vlm_studies.bench import dev_shaped_samples, bench_eval, bench_data, matmul_flops, NLVR2_LIKE_SIZES
from vlm_studies.core import atomic_write_json, library_deprecations
from vlm_studies.evaluate import evaluate
from vlm_studies.families import get_adapter, real_size_config
from vlm_studies.models import load
from vlm_studies.offline import train_tokenizer, build_random
from vlm_studies.packing import PackingCollator, answer_only_batch, padding_fraction_saved, train_tokens_per_s
from vlm_studies.train import AnswerOnlyCollator, index_dataset, lora_target_regex, apply_liger

CAP_GIB = 15.0     # a free Colab T4's memory: each side trains under it, whatever the card

def nlvr2_sized(samples, seed:int=0):
    "`samples` with each image resized to an NLVR2-like photo size, so examples spread in length as the real ones do."
    rng = random.Random(seed)
    return [dataclasses.replace(s, images=[im.resize(rng.choice(NLVR2_LIKE_SIZES)) for im in s.load_images()]) for s in samples]

class Figures:
    "The run's figures: one JSON file rewritten whole after each part."
    def __init__(self, path, **head): self.path, self.d = Path(path), dict(head, parts={})
    def part(self, name, fn, *a):
        t0 = time.perf_counter()
        try: r = dict(fn(*a), ok=True)
        except Exception as e:
            traceback.print_exc()
            r = dict(ok=False, error=f"{type(e).__name__}: {e}"[:2000])
        r['seconds'] = round(time.perf_counter() - t0, 1)
        self.d['parts'][name] = r
        atomic_write_json(self.path, self.d)
        print(f"== {name}: {'ok' if r['ok'] else r['error']} ({r['seconds']} s)", flush=True)
        return r

def _peak_gib(device): return torch.cuda.max_memory_allocated() / 2**30 if device == 'cuda' else None

def _free(device):
    gc.collect()
    if device == 'cuda': torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()

class _Clock(TrainerCallback):
    "Seconds of each optimizer step, the device synchronised at both ends."
    def __init__(self, device): self.device, self.steps, self.t = device, [], None
    def _sync(self):
        if self.device == 'cuda': torch.cuda.synchronize()
    def on_step_begin(self, args, state, control, **kw): self._sync(); self.t = time.perf_counter()
    def on_step_end(self, args, state, control, **kw): self._sync(); self.steps.append(time.perf_counter() - self.t)

class _Counting:
    "A collator that records the real (non-pad) tokens of each batch it makes."
    def __init__(self, inner): self.inner, self.tokens = inner, []
    def __call__(self, features):
        b = self.inner(features)
        self.tokens.append(int(b['attention_mask'].sum()) if 'attention_mask' in b else int(b['input_ids'].numel()))
        return b

def stock_dataset(vlm, samples):
    "The samples in TRL's vision prompt-completion format, as TRL's VLM SFT example feeds them (its collator encodes)."
    rows = [dict(images=s.load_images(), prompt=vlm.adapter.messages(s),
                 completion=[dict(role='assistant', content=[dict(type='text', text=s.answer)])]) for s in samples]
    return datasets.Dataset.from_list(rows)

def train_side(side, ckpt, method, samples, batch_size, steps, device, max_pixels):
    "Tokens/s and peak memory of `steps` LoRA steps on one side: 'stock' (TRL's own VLM collation, padded) or 'ours'."
    _free(device)
    vlm = load(str(ckpt), quantization='4bit' if method == 'qlora' else None, dtype='bf16' if device == 'cuda' else 'fp32',
               max_pixels=max_pixels)
    info = dict(attn_implementation=vlm.model.config._attn_implementation)
    if side == 'ours' and device == 'cuda':
        try: apply_liger(vlm); info['liger'] = 'applied'
        except Exception as e: info['liger'] = f"not applied: {e}"[:300]
    lora = LoraConfig(r=16, lora_alpha=32, target_modules=lora_target_regex('language', vlm.adapter), task_type='CAUSAL_LM')
    common = dict(output_dir=tempfile.mkdtemp(prefix=f'gpurun-{side}-'), per_device_train_batch_size=batch_size, max_steps=steps,
                  learning_rate=1e-4, logging_steps=1, save_strategy='no', report_to='none', disable_tqdm=True,
                  bf16=device == 'cuda', use_cpu=device != 'cuda', activation_checkpointing=True, dataloader_num_workers=0,
                  max_length=None, seed=0)
    if side == 'stock':
        args, data, collator = SFTConfig(**common), stock_dataset(vlm, samples), None
    else:
        args = SFTConfig(**common, remove_unused_columns=False, dataset_kwargs={'skip_prepare_dataset': True})
        data, collator = index_dataset(samples), _Counting(PackingCollator(vlm, samples))
    clock = _Clock(device)
    with library_deprecations():
        tr = SFTTrainer(model=vlm.model, args=args, train_dataset=data, data_collator=collator, processing_class=vlm.processor,
                        peft_config=lora, callbacks=[clock])
    if collator is None: collator = tr.data_collator = _Counting(tr.data_collator)
    tr.remove_callback(PrinterCallback)           # no log dicts: the figures are what this prints
    _free(device)
    tr.train()
    timed = clock.steps[1:] or clock.steps           # the first step warms up kernels and the allocator
    toks = collator.tokens[len(collator.tokens) - len(timed):]
    r = dict(info, batch_size=batch_size, steps=len(clock.steps), tokens_per_s=sum(toks) / sum(timed),
             tokens_per_step=sum(toks) / len(toks), peak_gib=_peak_gib(device),
             trainable_params=sum(p.numel() for p in tr.model.parameters() if p.requires_grad),
             params=sum(p.numel() for p in tr.model.parameters()))
    del tr, vlm; _free(device)
    return r

def largest_batch(side, ckpt, method, samples, sizes, steps, device, max_pixels):
    "`train_side` at each batch size in `sizes` until one no longer fits; every fitting size's figures."
    fits = {}
    for bs in sizes:
        try: fits[bs] = train_side(side, ckpt, method, samples, bs, steps, device, max_pixels)
        except torch.OutOfMemoryError: _free(device); break
        print(f"   {method} {side} batch {bs}: {fits[bs]['tokens_per_s']:,.0f} tokens/s, peak {fits[bs]['peak_gib']} GiB", flush=True)
    if not fits: raise RuntimeError(f"{method} {side}: batch {sizes[0]} does not fit under {CAP_GIB} GiB")
    return fits

def part_train(a, ckpt, samples, matmul):
    res = dict(workload=dict(examples=len(samples), note='NLVR2-shaped pairs at NLVR2-like photo sizes'))
    for method in a.methods:
        stock = largest_batch('stock', ckpt, method, samples, a.batch_sizes, a.steps, a.device, a.max_pixels)
        ours = largest_batch('ours', ckpt, method, samples, a.batch_sizes, a.steps, a.device, a.max_pixels)
        s, o = stock[max(stock)], ours[max(ours)]
        equal = max(set(stock) & set(ours))
        for r in (s, o): r['model_tflops_6nt'] = 6 * r['params'] * r['tokens_per_s'] / 1e12   # 6·N·tokens, an estimate
        res[method] = dict(stock=s, ours=o, stock_by_batch=stock, ours_by_batch=ours,
                           train_speedup_vs_stock=o['tokens_per_s'] / s['tokens_per_s'],
                           train_peak_memory_ratio=(ours[equal]['peak_gib'] / stock[equal]['peak_gib']) if a.device == 'cuda' else None,
                           equal_batch=equal, matmul_tflops=matmul / 1e12)
        print(f"   {method}: ours/stock {res[method]['train_speedup_vs_stock']:.2f}x tokens/s", flush=True)
    res['train_speedup_vs_stock'] = {m: res[m]['train_speedup_vs_stock'] for m in a.methods}
    res['train_peak_memory_ratio'] = {m: res[m]['train_peak_memory_ratio'] for m in a.methods}
    return res

def part_eval(a, ckpt, samples):
    vlm = load(str(ckpt), dtype='bf16' if a.device == 'cuda' else 'fp32', max_pixels=a.max_pixels)
    r = bench_eval(vlm, samples, batch_size=a.eval_batch, gen_batch_sizes=(1,), device=a.device)
    one = evaluate(vlm, samples, 'choice', batch_size=1, sort=False, cache=False, share_prefix=False, progress=False)
    many = evaluate(vlm, samples, 'choice', batch_size=a.eval_batch, progress=False)
    diff = max(abs(x['logprobs'][k] - y['logprobs'][k]) for x, y in zip(one, many) for k in x['logprobs'])
    r.update(eval_speedup_vs_generate=r['eval_choice_vs_generate_speedup'],
             eval_batch_agreement=sum(x['prediction'] == y['prediction'] for x, y in zip(one, many)) / len(one),
             eval_batch_max_score_diff=diff, certificate=f"batch 1 (plain) vs batch {a.eval_batch} (the evaluator's default path), "
                                                         f"{'bf16' if a.device == 'cuda' else 'fp32'}, {len(one)} examples")
    del vlm; _free(a.device)
    return r

def part_loader(a, folder, consumption):
    r = bench_data(folder)
    r.update(model_samples_per_s=consumption, loader_ratio=r['cached_samples_per_s'] / consumption if consumption else None)
    return r

def part_packing(a, vlm, samples):
    "Padding removed by packing on the NLVR2-shaped workload, and packed against padded tokens/s (the model as loaded)."
    lens = [answer_only_batch(vlm, [s])['input_ids'].shape[1] for s in samples]
    pad = train_tokens_per_s(vlm, samples, batch_size=8, steps=a.steps)
    pk = train_tokens_per_s(vlm, samples, batch_size=8, steps=a.steps, packed=True)
    return dict(lengths=dict(min=min(lens), max=max(lens), mean=sum(lens) / len(lens)),
                packing_padding_fraction_saved=padding_fraction_saved(lens, 8),
                padded_tokens_per_s=pad['tokens_per_s'], packed_tokens_per_s=pk['tokens_per_s'],
                packed_vs_padded_tokens_per_s=pk['tokens_per_s'] / pad['tokens_per_s'], batch_size=8, steps=a.steps,
                note='every parameter the model trains as loaded (full fine-tune), AdamW, real tokens only counted')

def real_checkpoint(folder, max_pixels):
    "A real-size Qwen2-VL-2B folder (published sizes, random weights, bf16) with the local tokenizer and the real processor."
    fam, tok = get_adapter('qwen2_vl'), train_tokenizer()
    proc = fam.build_processor(tok, min_pixels=4 * fam.factor ** 2, max_pixels=max_pixels)
    with torch.device('cuda'): m = build_random(real_size_config('Qwen/Qwen2-VL-2B-Instruct', tokenizer=tok)).to(torch.bfloat16)
    m.save_pretrained(folder); proc.save_pretrained(folder)
    del m; _free('cuda')
    return folder

def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', required=True, help='folder for bench_gpu.json')
    p.add_argument('--dry-run', action='store_true', help='the tiny model and a few steps of each part, on any device')
    p.add_argument('--parts', default='train,eval,loader', help='comma-separated: train, eval, loader, packing')
    p.add_argument('--merge-into', help="a bench JSON (e.g. benchmarks/bench_cpu.json) to add this run's figures to")
    a = p.parse_args(argv)
    a.parts = a.parts.split(',')
    if bad := set(a.parts) - {'train', 'eval', 'loader', 'packing'}: p.error(f"unknown parts {sorted(bad)}: train, eval, loader, packing")
    a.device = 'cuda' if torch.cuda.is_available() else 'cpu'
    a.cpu_packing = a.parts == ['packing'] and a.device == 'cpu'      # the packing figures of bench_cpu.json
    if not a.dry_run and a.device != 'cuda' and not a.cpu_packing:
        p.error("the full run needs a CUDA GPU; --dry-run rehearses it on this machine")
    dry = a.dry_run or a.cpu_packing
    a.methods = ['qlora', 'lora']
    a.batch_sizes, a.steps = ([1, 2] if dry else [2, 4, 8, 16, 32]), (2 if dry else 6)
    a.n_train, a.n_eval, a.image_size = (8, 8, 56) if dry else (256, 64, 448)
    a.max_pixels, a.eval_batch = (112 * 112 if dry else 448 * 448), (4 if dry else 16)
    if a.cpu_packing and not a.dry_run:       # the packing chapter's workload: 64 examples, the tiny model's default budget
        a.n_train, a.image_size, a.max_pixels, a.steps = 64, 112, None, 4
    return a

def main(argv=None):
    a = parse(argv)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    head = dict(device=torch.cuda.get_device_name() if a.device == 'cuda' else f"{platform.machine()} CPU, {torch.get_num_threads()} threads",
                dry_run=a.dry_run, torch=torch.__version__, transformers=transformers.__version__, trl=trl.__version__,
                started=time.strftime('%Y-%m-%dT%H:%M:%S'), cap_gib=CAP_GIB if a.device == 'cuda' else None)
    if a.device == 'cuda':
        torch.cuda.set_per_process_memory_fraction(min(1.0, CAP_GIB * 2**30 / torch.cuda.get_device_properties(0).total_memory))
    figs = Figures(out/'bench_gpu.json', **head)
    work = Path(tempfile.mkdtemp(prefix='gpurun-'))
    ckpt = 'tiny:qwen2_vl' if a.device == 'cpu' or a.dry_run else real_checkpoint(work/'qwen2vl-2b-random', a.max_pixels)
    figs.d['model'] = 'Qwen/Qwen2-VL-2B-Instruct sizes, random weights, bf16' if ckpt != 'tiny:qwen2_vl' else ckpt
    matmul = matmul_flops(4096 if a.device == 'cuda' else 1024, a.device, torch.bfloat16 if a.device == 'cuda' else torch.float32)
    figs.d['matmul_tflops'] = matmul / 1e12
    train_s = nlvr2_sized(dev_shaped_samples(a.n_train, image_size=a.image_size, folder=work/'train'))
    eval_s = dev_shaped_samples(a.n_eval, image_size=a.image_size, folder=work/'dev')
    ev = None
    if 'train' in a.parts: figs.part('train', part_train, a, ckpt, train_s, matmul)
    if 'eval' in a.parts or 'loader' in a.parts: ev = figs.part('eval', part_eval, a, ckpt, eval_s)
    if 'loader' in a.parts:
        figs.part('loader', part_loader, a, work/'dev', ev.get('choice_samples_per_s') if ev and ev['ok'] else None)
    if 'packing' in a.parts:
        figs.part('packing', part_packing, a, load(str(ckpt), max_pixels=a.max_pixels), train_s)
    p = figs.d['parts']
    keys = dict(train=['train_speedup_vs_stock', 'train_peak_memory_ratio'], loader=['loader_ratio'],
                eval=['eval_speedup_vs_generate', 'eval_batch_agreement', 'eval_batch_max_score_diff'],
                packing=['packing_padding_fraction_saved', 'packed_vs_padded_tokens_per_s'])
    figs.d['figures'] = {k: p[part].get(k) if p[part]['ok'] else None for part, ks in keys.items() if part in p for k in ks}
    figs.d['seconds'] = round(time.perf_counter() - t0, 1)
    atomic_write_json(out/'bench_gpu.json', figs.d)
    print(json.dumps(figs.d['figures'], indent=1))
    if a.merge_into:
        m = json.loads(Path(a.merge_into).read_text())
        m.update(figs.d['figures']); m.setdefault('figures', {}).update(figs.d['figures'])
        for k, v in p.items(): m[f'gpu_run_{k}'] = dict(v, device=head['device'], started=head['started'])
        atomic_write_json(a.merge_into, m)
    failed = [k for k, v in p.items() if not v['ok']]
    if failed: print(f"parts that failed: {failed} (their errors are in {out/'bench_gpu.json'})"); sys.exit(1)

if __name__ == '__main__': main()
