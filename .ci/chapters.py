"""Execute chapters top to bottom and keep the outputs a reader should see.

    python .ci/chapters.py nbs/19b_sweep.ipynb ...               # run each (as nbdev-test does: `slow`/`gpu` cells skipped), save its outputs
    python .ci/chapters.py --flags slow nbs/19b_sweep.ipynb ...  # the slow cells too
    python .ci/chapters.py --check nbs/*.ipynb                  # each has outputs, none names a machine path (CI)

A cell skipped by its flag keeps the outputs of its last real run. Saved outputs are scrubbed: stderr (logging,
warnings, progress bars) and widget state are dropped, and machine paths (temporary folders, the checkout) are
written as `<tmp>` and `.`, so a chapter's outputs read the same on any machine."""
import re, sys
from pathlib import Path
from fastcore.nbio import read_nb, write_nb
from nbdev.config import get_config
from nbdev.test import test_nb

ROOT = Path(__file__).resolve().parent.parent
PATHS = [(re.compile(r'/tmp/tmp[\w-]+'), '<tmp>'), (re.compile(r'/var/folders/[\w/-]+?/T/tmp[\w-]+'), '<tmp>'), (re.compile(re.escape(str(ROOT))), '.')]
MACHINE = re.compile(r'(?<!<tmp>)(/tmp/|/home/|/root/|/work/|/Users/|[A-Z]:\\\\)')

def scrub_text(s:str) -> str:
    for pat, sub in PATHS: s = pat.sub(sub, s)
    return s

def scrub(nb):
    "Drop stderr and widget outputs; write machine paths as placeholders. Returns the notebook."
    for c in nb.cells:
        if c.cell_type != 'code': continue
        keep = []
        for o in c.get('outputs', []):
            if o.get('output_type') == 'stream':
                if o.get('name') == 'stderr': continue
                o['text'] = scrub_text(''.join(o['text']) if isinstance(o['text'], list) else o['text'])
            data = o.get('data')
            if data is not None:
                data.pop('application/vnd.jupyter.widget-view+json', None)
                for k in ('text/plain', 'text/markdown', 'text/html'):
                    if k in data: data[k] = scrub_text(''.join(data[k]) if isinstance(data[k], list) else data[k])
                if not data: continue
            keep.append(o)
        c['outputs'] = keep
    return nb

def machine_paths(nb) -> list:
    "The outputs that still name a path of this machine."
    return [(c.get('id'), m.group(0)) for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])
            for t in [str(o.get('text', '')) + str(o.get('data', {}).get('text/plain', ''))] for m in [MACHINE.search(t)] if m]

def run(fn, flags=()):
    ok, t = test_nb(fn, skip_flags=get_config().tst_flags.split(), force_flags=list(flags), save=True)
    if not ok: raise SystemExit(f"{fn} failed; nothing saved")
    nb = scrub(read_nb(fn)); write_nb(nb, fn)
    left = machine_paths(nb)
    if left: raise SystemExit(f"{fn}: outputs still name machine paths: {left[:5]}")
    print(f"{fn}: {t:.0f} s, {sum(bool(c.get('outputs')) for c in nb.cells if c.cell_type == 'code')} cells with outputs")

def check(fns) -> list:
    "What is wrong with the committed outputs of notebooks `fns`: a chapter without any, a machine path, a large output."
    bad = []
    for fn in fns:
        nb = read_nb(fn)
        outs = [o for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])]
        if not outs: bad.append(f"{fn}: no outputs (run `python .ci/chapters.py {fn}` and commit it)")
        bad += [f"{fn}: cell {cid} names a machine path ({m})" for cid, m in machine_paths(nb)]
        bad += [f"{fn}: an output of {len(str(o)) // 1024} KB" for o in outs if len(str(o)) > 400_000]
    return bad

if __name__ == '__main__':
    if sys.argv[1:2] == ['--check']:
        bad = check(sys.argv[2:])
        print('\n'.join(bad) or f"{len(sys.argv) - 2} chapters: each has outputs; no machine paths"); sys.exit(bool(bad))
    args, flags = sys.argv[1:], []
    while args and args[0] == '--flags': flags += args[1].split(); args = args[2:]
    failed = []
    for fn in args:
        try: run(Path(fn).resolve(), flags)
        except SystemExit as e: print(e); failed.append(fn)
    sys.exit(f"failed: {failed}" if failed else 0)
