"""A Jupyter/Colab-first laboratory for vision-language models: NLVR2, Qwen2-VL prompting, LoRA/QLoRA, evaluation and internals

Modules:

- `vlm_studies.bench`: Where the time goes, as ratios measured side by side in one process: choice scoring vs generate-then-parse, batched generation, our image transform vs HF's, the data path vs the model's appetite, achieved FLOP/s against the machine's own matmul, and what reusing vision work buys on an NLVR2-dev-shaped workload.
- `vlm_studies.cli`: The `vlm-studies` command: `demo`, `train`, `merge`, `eval`, `score`, `run`, `cache`, `verify`, `repair`, `inspect`, `gallery`, `settings`, `tiny`, `bench` — each a thin front over library calls, its flags made from the config dataclasses those calls take.
- `vlm_studies.config`: One way to declare what can be configured: dataclass fields that carry their help text and allowed values, one typed conversion for values from files, the environment and the command line, and the decoding knobs.
- `vlm_studies.core`: Settings, the artifact root (Colab + Drive aware), seeding, atomic writes, crash-tolerant JSONL logs, and the check that the lab makes no deprecated calls.
- `vlm_studies.data`: The data layer: sources by spec, resumable cache builds in parquet shards, manifests with a sha256 per file, verify and repair, the UID index, and `open_dataset` / `load_nlvr2`: one iteration API for streamed and cached data.
- `vlm_studies.demo`: The lab's whole loop in one call, offline: synthetic shapes NLVR2 cached with manifests → zero-shot evaluation → LoRA fine-tune → evaluation → a report; what `vlm-studies demo` runs.
- `vlm_studies.evaluate`: Run a model over samples by choice scoring or generation, write the predictions in the release's format, and put a base model and its fine-tuned adapters side by side: tables, plots, the samples they disagree on, an error gallery.
- `vlm_studies.families`: One adapter per VLM family, keyed by the checkpoint's `model_type`: its transformers classes, chat format, special tokens, LoRA target modules, the modules kept in 16-bit under 4-bit loading, a tiny config and the real checkpoints' configs.
- `vlm_studies.metrics`: How a run is scored, by the task its samples carry: NLVR2's own metrics (accuracy, consistency, the balanced and unbalanced subsets, linguistic categories) with a strict answer parser, and ChartQA's relaxed accuracy, exact match, ROUGE-L and BLEU for the other image-text sets.
- `vlm_studies.models`: Load a checkpoint of any registered family, and the one engine that encodes, generates and scores choices: each image through the vision tower once, batches of similar length, each distinct image sent to the device once, the next batch prepared while the current one runs.
- `vlm_studies.offline`: Models to run the lab with no hub: a tokenizer trained here, tiny random-weight models of every family saved and loaded like hub checkpoints, and random-weight models at the published sizes for speed and memory figures.
- `vlm_studies.packing`: Padding-free training batches for the Qwen2-VL family: several examples in one row, each with its own multimodal positions, attention that never crosses from one example to another, and the same losses and gradients as a padded batch.
- `vlm_studies.playground`: Prompt a model about one image or a pair, turn the decoding knobs, and keep every call in a log: a function for code, and a widget UI for a notebook (Colab included).
- `vlm_studies.prefix_vlm`: Any HF vision encoder → a Perceiver resampler with N learned latents → a projector → any HF causal LM, the image latents fed as prefix embeddings, trained on the answer tokens only.
- `vlm_studies.reliability`: Kills at random points during a cache build, a batch run and a training run; corrupted shards, logs and checkpoints; bad and hostile inputs; two writers at once. Every item is a test that can fail, and the suite ends with a table: what was tried, how many times, survived, lost.
- `vlm_studies.sugarcrepe`: An image and two captions, one true: SugarCrepe (Hsieh et al., NeurIPS 2023) read from its authors' files, scored by the likelihood of each caption given the image (per token, and summed) or as a prompted two-option question, and reported per hard-negative type as the paper's table reports it.
- `vlm_studies.sweep`: An ablation as one experiment: a spec declares a grid (or explicit trials) over the training config, seeds to repeat and the sets to evaluate on; Optuna schedules and records the trials, resumable and shared between workers; the report compares trials pairwise on the same examples with McNemar's exact test.
- `vlm_studies.train`: LoRA / QLoRA fine-tuning with TRL's `SFTTrainer` and PEFT: a YAML config, answer-only labels, TensorBoard, held-out accuracy while training, checkpoints that survive a Colab disconnect, and `merge`.
- `vlm_studies.vision_cache`: Each image through the vision tower once: a feature cache keyed by the image's pixels and the processor's settings, and the seam that feeds cached features to any family's model in place of running its tower.
- `vlm_studies.vision_tokens`: The Qwen2-VL / Qwen2.5-VL image transform written out in plain torch, step by step, checked against the installed HF processor; the chat step that expands each image into its tokens; and a token-budget explorer.
- `vlm_studies.vsr`: One image, a caption about where two things are, True or False: the VSR task (Liu, Emerson and Collier, TACL 2023), read from the authors' annotation files, scored as their analysis scripts score it — accuracy, per relation and per meta-category — and registered as a task, so evaluation, the predictions file and `vlm-studies score --task vsr` follow."""

__version__ = "0.1.0"

import logging as _logging, os as _os
# bitsandbytes 0.50 (imported by peft) logs, on CPUs with AVX512-BF16, that an optional hub kernel is missing; the lab's
# CPU 4-bit road never uses that kernel (models._unpacked_4bit), so this one logger is quiet.
_logging.getLogger('bitsandbytes.backends.cpu.ops').setLevel(_logging.ERROR)
if _os.environ.get('VLM_STUDIES_STRICT_WARNINGS'):     # CI: a deprecated call made by the lab is an error (core.fail_on_deprecations)
    from .core import fail_on_deprecations as _strict
    _strict()
