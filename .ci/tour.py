"""Run README.md's "A short tour" as a new user would: every ```python block in one interpreter and every ```sh
command, in the order the README gives them, in a fresh folder that is also the artifact root.

CI has no hub, so a few hub names are swapped for their offline stand-ins (the table below; each must still occur in
the tour, so an edit of the README that drops one fails here instead of silently testing less). A command that needs
what no CI machine has (two GPUs, a server that never returns) is named in SKIP and reported as skipped.
Exit 1 at the first block that fails, naming it.

    python .ci/tour.py [README.md]
"""
import json, os, re, subprocess, sys, tempfile, time
from pathlib import Path

OFFLINE = [                                            # (what the README says, what CI runs instead)
    ("'Qwen/Qwen2-VL-2B-Instruct'", "'tiny:qwen2_vl'"),
    ("--model Qwen/Qwen2-VL-2B-Instruct", "--model tiny:qwen2_vl"),
    ("dataset='pingzhili/nlvr2'", "dataset='shapes'"),
    ("--dataset pingzhili/nlvr2", "--dataset shapes"),
    ("load_nlvr2('validation', mode='stream')", "load_nlvr2('validation', mode='stream', source='shapes')"),
    ("--config qwen2vl-2b-qlora-t4 run_name=nlvr2-qlora",  # the T4 preset, on the tiny model and a few shapes examples
     "--config qwen2vl-2b-qlora-t4 run_name=nlvr2-qlora model=tiny:qwen2_vl dataset=shapes n_train=16 n_eval=8 "
     "max_steps=2 batch_size=4 grad_accum=1 eval_steps=0 save_steps=2 precision=fp32"),
    ("overrides: {max_steps: 500}",                     # the sweep's spec: the same stand-ins, as YAML
     'overrides: {model: "tiny:qwen2_vl", dataset: shapes, n_train: 16, n_eval: 8, max_steps: 2, batch_size: 4, grad_accum: 1, '
     'eval_steps: 0, save_steps: 2, precision: fp32}'),
]
SKIP = {'accelerate launch': 'needs two GPUs', 'tensorboard --logdir': 'a server that runs until stopped'}


def tour_blocks(readme):
    "The (language, code) blocks of the tour section, in order."
    text = Path(readme).read_text()
    sec = text.split('## A short tour', 1)[1].split('\n## ', 1)[0]
    return re.findall(r'^```(python|sh)\n(.*?)^```$', sec, re.M | re.S)


def offline(blocks):
    "The blocks with the hub names swapped; every swap must find its text."
    out, used = [], set()
    for lang, code in blocks:
        for a, b in OFFLINE:
            if a in code: code = code.replace(a, b); used.add(a)
        out.append((lang, code))
    missing = [a for a, _ in OFFLINE if a not in used]
    if missing: sys.exit(f"tour: the README's tour no longer contains {missing}; update .ci/tour.py's OFFLINE table")
    return out


def stage(work):
    "What the tour's snippets expect in the current folder: the release's dev.json and images/ (a few generated examples), two PNGs."
    from vlm_studies.nlvr2 import write_nlvr2_images, render_scene, random_scene
    import random
    recs = [dict(identifier=f'dev-850-{p}-{s}', sentence=f'There are {s + 1} dogs.', label=['True', 'False'][(p + s) % 2])
            for p in range(4) for s in range(2)]
    (work/'dev.json').write_text(''.join(json.dumps(r) + '\n' for r in recs))
    write_nlvr2_images(recs, work/'images')
    for i, name in enumerate(['left.png', 'right.png']): render_scene(random_scene(random.Random(i)), 64).save(work/name)


def main(readme='README.md'):
    readme = Path(readme).resolve()
    blocks = offline(tour_blocks(readme))
    work = Path(tempfile.mkdtemp(prefix='tour-'))
    os.environ.update(VLM_STUDIES_HOME=str(work), MPLBACKEND='Agg')
    os.chdir(work); stage(work)
    ns, ran, skipped = {}, 0, []
    for i, (lang, code) in enumerate(blocks, 1):
        t0 = time.time()
        if lang == 'python':
            try: exec(compile(code, f'<README tour block {i}>', 'exec'), ns)
            except Exception as e: sys.exit(f"tour block {i} (python) failed: {type(e).__name__}: {e}\n{code}")
            ran += 1; print(f"tour block {i} (python, {time.time() - t0:.1f} s): ok", flush=True)
            continue
        for line in code.splitlines():
            cmd = line.split('#')[0].strip()
            if not cmd: continue
            why = next((w for k, w in SKIP.items() if cmd.startswith(k)), None)
            if why: skipped.append(f"{cmd.split()[0]} … ({why})"); continue
            t0 = time.time()
            r = subprocess.run(['bash', '-c', cmd], capture_output=True, text=True)
            if r.returncode: sys.exit(f"tour block {i}: `{cmd}` failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
            ran += 1; print(f"tour block {i} (sh, {time.time() - t0:.1f} s): {cmd[:90]}: ok", flush=True)
    print(f"tour: {ran} snippets ran in order, {len(skipped)} skipped: {'; '.join(skipped)}")


if __name__ == '__main__': main(*sys.argv[1:])
