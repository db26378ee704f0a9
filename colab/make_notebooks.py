"""Writes the Colab notebooks in this folder (run it after changing them here: `python colab/make_notebooks.py`).

Each notebook: an install cell (skipped where the lab is already installed), the Drive mount through
`vlm_studies.core.mount_drive` (outside Colab it says so and the artifact root falls back), a `parameters` cell
(papermill's tag: tests inject the tiny model and synthetic data there), then only library calls."""
import nbformat
from pathlib import Path

HERE = Path(__file__).parent
REPO = 'vlm-studies/vlm_studies'

def md(s): return nbformat.v4.new_markdown_cell(s.strip())
def code(s, tags=()):
    c = nbformat.v4.new_code_cell(s.strip())
    if tags: c.metadata['tags'] = list(tags)
    return c

def header(name, title, what):
    return [md(f"""
# {title}

[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{REPO}/blob/main/colab/{name}.ipynb)

{what}

Runtime → Change runtime type → a GPU (T4 is enough for the 2B models in 4 bit). Checkpoints, logs and bookmarks
go to `MyDrive/VLM_Studies_Files` on your Google Drive, so they outlive the Colab session."""),
        code(f"""
# Install the lab (Colab already has torch). Skipped where vlm_studies is installed.
import importlib.util
if importlib.util.find_spec('vlm_studies') is None:
    !pip install -q "vlm_studies @ git+https://github.com/{REPO}"
"""),
        code("""
from vlm_studies.core import mount_drive
ROOT = mount_drive()   # Google Drive in Colab; elsewhere it says so and uses the local artifact root
""")]

NOTEBOOKS = {
'Playground': header('Playground', 'Playground: prompt a VLM about an NLVR2 pair',
    "Load a model, pick images by NLVR2 UID, a random draw, a bookmark, an upload or a URL, turn the decoding "
    "knobs, Generate. Every call is logged to `logs/playground.jsonl`.") + [
    code("""
MODEL = 'Qwen/Qwen2-VL-2B-Instruct'   # hub id, Drive folder, or tiny:qwen2_vl for a tiny random model
ADAPTER = ''                           # a LoRA folder from Train_LoRA (optional)
DATASET = 'pingzhili/nlvr2'            # where UIDs come from: a hub id, a cache manifest, or 'shapes' (synthetic)
SPLIT = 'validation'
""", tags=['parameters']),
    code("""
from vlm_studies.playground import Playground, run, history
pg = Playground(model=MODEL, adapter=ADAPTER or None, dataset=DATASET, split=SPLIT, autoload=True)
pg.draw()   # start from a random example
pg
"""),
    md("The same from code: `run` answers one prompt and logs it; `history` reads the log back."),
    code("""
r = run(pg.prompt.value, pg.images, model=pg.vlm, uid=pg.uid, max_new_tokens=16)
print(r['response'], f"({r['latency_s']:.2f} s, {r['new_tokens']} tokens)")
history(5)
"""),    md("**Why did it answer that?** The Why? button, or `pg.explain()`, looks inside the decision on the pair and prompt on "
       "screen. It shows occlusion maps, attention per layer, the logit lens and which image the answer rests on. With an "
       "adapter loaded, the base model is shown beside it. Images larger than 8×8 vision tokens are occluded in 8×8 cells."),
    code("""
w = pg.explain()   # the same as the Why? button; the figure and the table appear in the UI above
for name, x in w.items(): print(name, x)
"""),
],
'Gallery': header('Gallery', 'Gallery: browse NLVR2 by UID and bookmarks',
    "Look at pairs with their sentence and label, draw random ones, inspect an example's metadata and keep "
    "bookmarks (on Drive) of the ones worth coming back to.") + [
    code("""
DATASET = 'pingzhili/nlvr2'   # a hub id, a cache manifest, or 'shapes' (synthetic)
SPLIT = 'validation'
N = 64                        # examples to browse (the synthetic set's size)
SEED = 0
""", tags=['parameters']),
    code("""
import itertools
from vlm_studies.data import open_dataset
from vlm_studies.gallery import show_pair, show_grid, random_samples, inspect
from vlm_studies.uid_cache import Bookmarks
ds = list(itertools.islice(iter(open_dataset(DATASET, SPLIT, n=N)), N))
show_grid(random_samples(ds, 4, seed=SEED));
"""),
    md("One example by UID, with everything known about it:"),
    code("""
uid = ds[0].uid
info = inspect(ds, uid)
show_pair(ds[0]);
"""),
    md("Bookmarks live in `analysis/bookmarks.json` under the artifact root (on Drive they outlast the session, and "
       "may come from other datasets); `bm.next(uid)` gives the bookmark after `uid`, cycling."),
    code("""
bm = Bookmarks()
bm.add(uid, tags=['colab'], note='first look')
here = {s.uid: s for s in ds}
marked = [u for u in bm.uids() if u in here]   # the bookmarks among the examples loaded here
show_pair(here[marked[0]]);
bm
"""),
],
'Train_LoRA': header('Train_LoRA', 'Train LoRA / QLoRA on NLVR2',
    "Fine-tune with a preset (QLoRA 4-bit for a T4) plus overrides. Checkpoints go to Drive; if Colab drops the "
    "session, run the notebook again: it resumes from the newest complete checkpoint.") + [
    code("""
PRESET = 'qwen2vl-2b-qlora-t4'   # or qwen2vl-2b-lora-a100, tiny-cpu, or a YAML file on Drive
OVERRIDES = ['run_name=colab-lora']   # key=value, e.g. 'max_steps=500', 'learning_rate=1e-4'
RESUME = True                    # continue the run named above when it has checkpoints
""", tags=['parameters']),
    code("""
from vlm_studies.train import make_config, train, plot_run
config = make_config(PRESET, OVERRIDES)
config
"""),
    code("""
summary = train(config, resume=RESUME)
print(f"held-out accuracy {summary['zero_shot_accuracy']:.3f} -> {summary['accuracy']:.3f}; adapter in {summary['run_dir']}/adapter")
plot_run(summary);
"""),
],
'Evaluate': header('Evaluate', 'Evaluate: base model vs fine-tuned adapters',
    "Evaluate a base model and any adapters on the same NLVR2 examples: accuracy with 95 % intervals, "
    "consistency, the examples where they disagree and an error gallery.") + [
    code("""
MODEL = 'Qwen/Qwen2-VL-2B-Instruct'
ADAPTERS = []                 # LoRA folders, e.g. [str(ROOT/'checkpoints'/'colab-lora'/'adapter')]
DATASET = 'pingzhili/nlvr2'   # a hub id, a cache manifest, or 'shapes'
SPLIT = 'validation'
LIMIT = 200                   # examples
MODE = 'choice'               # choice (score True/False) or generate (parse the answer)
OUT = 'eval-colab'            # folder under the artifact root's analysis/
""", tags=['parameters']),
    code("""
import itertools
from IPython.display import Markdown, Image, display
from vlm_studies.core import artifact_path
from vlm_studies.data import open_dataset
from vlm_studies.evaluate import compare
samples = list(itertools.islice(iter(open_dataset(DATASET, SPLIT, n=LIMIT)), LIMIT))
out = artifact_path('analysis', OUT)
reports = compare(MODEL, ADAPTERS, samples, mode=MODE, out=out)
display(Markdown((out/'comparison.md').read_text()))
display(Image(str(out/'compare.png')))
"""),
    code("""
if (out/'error_gallery.png').exists(): display(Image(str(out/'error_gallery.png')))
print((out/'disagreements.jsonl').read_text()[:2000] or 'no disagreements')
"""),
],
'Sweep': header('Sweep', 'Sweep: an ablation as one experiment',
    "Declare a grid over config keys and seeds; every trial is trained and evaluated as its own run folder, "
    "scheduled by an Optuna study whose SQLite file lives on Drive. If Colab drops the session, run the notebook "
    "again: finished trials are kept, the interrupted one resumes from its last complete checkpoint. The report "
    "compares trials pairwise on the same examples (McNemar's exact test).\n\n"
    "Several Colab sessions (or GPU boxes) can share one sweep: give each the same `STORAGE`, the URL of a database "
    "server they all reach (`postgresql+psycopg://USER:PASSWORD@HOST:5432/DB`; the lab prints and records it with "
    "the password hidden), and the same `NAME` (its folder on Drive, a disk every session writes), then run this "
    "notebook in each. They take the trials in turn; one that disconnects mid-trial has its trial retried by another, "
    "from its last checkpoint. Start the first session, then the others once it is training.") + [
    code("""
SPEC = dict(base='qwen2vl-2b-qlora-t4',                       # a train preset, or a YAML file on Drive
            overrides=dict(max_steps=300, n_train=2400, n_eval=500),
            grid=dict(lora_r=[8, 32]),                          # every combination of these values is a trial
            seeds=[0])                                          # ... repeated per seed; or a YAML spec file's path
NAME = 'lora-rank'                                             # the sweep's folder: checkpoints/sweeps/NAME on Drive
STORAGE = ''   # '': the study in the folder (study.db); a database URL that several sessions share, e.g.
               # 'postgresql+psycopg://lab:PASSWORD@db.example.org:5432/sweeps' (pip install "psycopg[binary]")
""", tags=['parameters']),
    code("""
from IPython.display import Markdown, Image, display
from vlm_studies.core import artifact_path
from vlm_studies.sweep import sweep
out = artifact_path('checkpoints', 'sweeps', NAME)   # study.db, trials/, results.csv, report.md
rows = sweep(SPEC, out, storage=STORAGE or None)   # every session: the same SPEC, NAME and STORAGE
display(Image(str(out/'report.png')))
display(Markdown((out/'report.md').read_text().replace('![per factor](report.png)', '')))
"""),
    md("Each trial's run folder holds its config, TensorBoard logs, checkpoints, adapter and per-example predictions:"),
    code("""
import pandas as pd
pd.read_csv(out/'results.csv')
"""),
],
}

def main():
    for name, cells in NOTEBOOKS.items():
        nb = nbformat.v4.new_notebook()
        nb.metadata = {'kernelspec': {'display_name': 'Python 3', 'language': 'python', 'name': 'python3'},
                       'accelerator': 'GPU', 'colab': {'provenance': []}}
        nb.cells = cells
        for i, c in enumerate(nb.cells): c['id'] = f'{name.lower()}-{i:02d}'
        nbformat.validate(nb)
        nbformat.write(nb, HERE/f'{name}.ipynb')
    return list(NOTEBOOKS)

if __name__ == '__main__': print('wrote', main())
