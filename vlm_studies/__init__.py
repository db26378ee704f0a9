"""A Jupyter/Colab-first laboratory for vision-language models: NLVR2, Qwen2-VL prompting, LoRA/QLoRA, evaluation and internals

Modules:

- `vlm_studies.bench`: Where the time goes, as ratios measured side by side in one process: choice scoring vs generate-then-parse, batched generation, our image transform vs HF's, the data path vs the model's appetite, achieved FLOP/s against the machine's own matmul, and what reusing vision work buys on an NLVR2-dev-shaped workload.
- `vlm_studies.evaluate`: NLVR2's own metrics, choice scoring and generation with a strict answer parser, base against fine-tuned side by side, the samples where they disagree, and the usual metrics for other tasks.
- `vlm_studies.manifests`: Resumable cache builds in parquet shards, manifests with a sha256 per file, verify and repair, the UID index, and `load_nlvr2`: one iteration API for streaming and cached data.
- `vlm_studies.models`: One adapter per VLM family (keyed by the checkpoint's `model_type`), loading with quantization presets, chat formatting, generation with decoding knobs, whole-continuation choice scoring, and tiny offline models.
- `vlm_studies.playground`: Prompt a model about one image or a pair, turn the decoding knobs, and keep every call in a log: a function for code, and a widget UI for a notebook (Colab included).
- `vlm_studies.prefix_vlm`: Any HF vision encoder → a Perceiver resampler with N learned latents → a projector → any HF causal LM, the image latents fed as prefix embeddings, trained on the answer tokens only.
- `vlm_studies.reliability`: Kills at random points during a cache build, a batch run and a training run; corrupted shards, logs and checkpoints; bad and hostile inputs; two writers at once. Every item is a test that can fail, and the suite ends with a table: what was tried, how many times, survived, lost.
- `vlm_studies.reuse`: A vision-feature cache keyed by the image's pixels and the processor's settings, and choice scoring that runs the shared image prefix of a group of examples once. Same decisions as the plain path, fewer FLOPs.
- `vlm_studies.train`: LoRA / QLoRA fine-tuning with TRL's `SFTTrainer` and PEFT: a YAML config, answer-only labels, TensorBoard, held-out accuracy while training, checkpoints that survive a Colab disconnect, and `merge`.
- `vlm_studies.vision_tokens`: The Qwen2-VL / Qwen2.5-VL image transform written out in plain torch, step by step, checked against the installed HF processor; the chat step that expands each image into its tokens; and a token-budget explorer."""

__version__ = "0.1.0"
