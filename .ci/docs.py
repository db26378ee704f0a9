"""Build the docs site offline with mkdocs-material + mkdocs-jupyter (nbdev-docs needs Quarto, which cannot be installed
here): `python .ci/docs.py OUT`. Called by `.ci/docs`, which installs the `docs` extra first when it is missing.

Everything mkdocs reads is generated into a temporary folder and removed afterwards, never committed:
- the front page is README.md (itself generated from nbs/index.ipynb), its chapter table linked to the pages;
- a page per chapter `nbs/NN_name.ipynb` at `name.html` (nbdev's URLs, so `_modidx` links and module docstrings hold),
  with its committed outputs (not executed), `#| hide` cells and nbdev directives removed as nbdev-docs does;
- an API page per module: each exported name rendered by nbdev's `show_doc` (signature with docments, docstring),
  a class's public methods under it, a config dataclass's fields with their help text;
- a page linking the Colab notebooks (colab/README.md's table) on Colab and GitHub.
Search is mkdocs-material's own (lunr in a web worker, in the browser); `theme.font: false` keeps every asset local.
Pages are `name.html` (`use_directory_urls: false`), so the site also reads from file://, search aside (its worker
needs http; material's `offline` plugin would fix that but fetches a shim from unpkg.com at build time)."""
import dataclasses, importlib, inspect, os, re, shutil, subprocess, sys, tempfile, time, warnings
from pathlib import Path
import nbformat, yaml

root = Path(__file__).resolve().parent.parent
SKIP_CHAPTERS = ('90_', '91_')        # the old import paths' shims: nothing to read

def project():
    "name, description and URLs from pyproject.toml"
    try: import tomllib
    except ImportError: import tomli as tomllib   # Python 3.10
    p = tomllib.loads((root/'pyproject.toml').read_text())['project']
    return p['name'], p['description'], p['urls']['Repository'].rstrip('/'), p['urls'].get('Documentation', '')

NAME, DESCRIPTION, REPO, SITE_URL = project()
BLOB = f'{REPO}/blob/main'

def plain(s):
    "A heading's text without markdown: the nav title"
    return re.sub(r'[`*_]', '', s).strip()

def chapter_slug(nb):
    "nbdev's page name: `10_models.ipynb` -> `models`"
    return re.sub(r'^\d+[a-z]?_', '', nb.stem)

def chapters():
    "(path, slug, nav title) of every chapter, in chapter order"
    res = []
    for nb in sorted((root/'nbs').glob('[0-9][0-9]*_*.ipynb')):
        if nb.name.startswith(SKIP_CHAPTERS): continue
        cells = nbformat.read(nb, as_version=4).cells
        title = next((m.group(1) for c in cells if c.cell_type == 'markdown'
                      for m in [re.search(r'^# (.+)$', c.source, re.M)] if m), chapter_slug(nb))
        res.append((nb, chapter_slug(nb), plain(title)))
    return res

def chapter_module(nb):
    "The module a chapter exports (`#| default_exp`), or None"
    m = re.search(r'#\|\s*default_exp\s+([\w.]+)', nb.read_text())
    return m.group(1) if m else None

# ---------------------------------------------------------------- chapters
def process_chapter(nb, out, modules):
    "Write `nb` as nbdev-docs would show it: hidden cells and directives gone, outputs as committed"
    from nbdev.process import NBProcessor
    from nbdev.processors import strip_ansi, hide_line, rm_header_dash, clean_magics, hide_, strip_hidden_metadata
    proc = NBProcessor(nb, procs=[strip_ansi, hide_line, rm_header_dash, clean_magics, hide_, strip_hidden_metadata],
                       rm_directives=True)
    proc.process()
    nbk = proc.nb
    nbk.cells = [c for c in nbk.cells if c.source.strip() or c.get('outputs')]   # e.g. `#| default_exp` alone
    for c in nbk.cells:                                   # fastcore's AttrDict keeps the `_`-suffixed keys out of JSON
        for k in [k for k in c if k.endswith('_')]: del c[k]
    links = [f'[source notebook]({BLOB}/nbs/{nb.name})']
    mod = chapter_module(nb)
    if mod in modules: links.insert(0, f'module `vlm_studies.{mod}`: [API reference](api/{mod}.html)')
    note = nbformat.v4.new_markdown_cell(' · '.join(links))
    is_title = lambda c: c.cell_type == 'markdown' and re.search(r'^# ', c.source, re.M)
    first_h1 = next((i for i, c in enumerate(nbk.cells) if is_title(c)), -1)
    nbk.cells.insert(first_h1 + 1, note)
    nbk.metadata.pop('widgets', None)
    nbformat.write(nbformat.from_dict(nbk), out)

# ---------------------------------------------------------------- API reference
def module_names():
    "Modules with names of their own to document (manifests only forwards to `data`: skipped)"
    res = []
    for p in sorted((root/NAME).glob('*.py')):
        if p.stem.startswith('_'): continue
        mod = importlib.import_module(f'{NAME}.{p.stem}')
        if any(n in vars(mod) for n in getattr(mod, '__all__', [])): res.append(p.stem)
    return res

def _source_line(obj):
    try: return inspect.getsourcelines(inspect.unwrap(getattr(obj, 'fget', obj)))[1]
    except (TypeError, OSError): return None

def doc_md(obj, name, level):
    "nbdev's `show_doc` markdown for `obj`, its heading anchored as nbdev's (`#vlm.score_choices`)"
    from nbdev.showdoc import show_doc
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        md = show_doc(obj, name=name, title_level=level)._repr_markdown_()
    line = _source_line(obj)                            # nbdev 3.3 looks the line up under the full name and misses it
    md = md.replace('#LNone', f'#L{line}' if line else '')
    h = '#' * level
    md = md.replace(f'\n{h} {name}\n', f'\n{h} {name} {{#{name.lower()}}}\n', 1)
    return f'\n{md}\n'                                  # blank lines around: a `---` right under text makes a heading

def fields_md(cls):
    "A config dataclass's fields with their help text (config.option's metadata), as the CLI's --help shows them"
    rows = []
    for f in dataclasses.fields(cls):
        if not f.metadata.get('help'): continue
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else '')
        extra = f" (one of {', '.join(f'`{c}`' for c in f.metadata['choices'])})" if f.metadata.get('choices') else ''
        cell = lambda s: str(s).replace('|', '\\|').replace('\n', ' ')
        text = '`'.join(t if i % 2 else t.replace('<', '&lt;') for i, t in enumerate(cell(f.metadata['help']).split('`')))
        rows.append(f"| `{f.name}` | `{cell(default)}` | {text}{cell(extra)} |")  # `<x>` outside code is not HTML
    return '\n\n| field | default | what it does |\n|---|---|---|\n' + '\n'.join(rows) + '\n' if rows else ''

def value_md(name, value, level):
    "A constant: its value (show_doc documents callables)"
    r = repr(value)
    if len(r) > 400: r = r[:400] + ' …'
    return f'\n---\n\n{"#" * level} {name} {{#{name.lower()}}}\n\n```python\n{name} = {r}\n```\n'

def public_members(cls, modname):
    "A class's public methods and properties defined (or `@patch`ed) in module `modname`"
    res = []
    for k, v in vars(cls).items():
        if k.startswith('_'): continue
        f = v.fget if isinstance(v, property) else getattr(v, '__func__', v)
        if inspect.isfunction(f) and f.__module__ == modname: res.append((k, v))
    return res

def module_page(stem, chapter_of):
    "The API page of module `stem`"
    modname = f'{NAME}.{stem}'
    mod = importlib.import_module(modname)
    doc = (mod.__doc__ or '').split('\n\nDocs:')[0].strip()
    out = [f'# {stem}', '', f'`{modname}`' + (f' — {doc}' if doc else ''), '']
    links = [f'[source]({BLOB}/{NAME}/{stem}.py)']
    if stem in chapter_of: links.insert(0, f'chapter: [{chapter_of[stem][1]}](../{chapter_of[stem][0]}.html)')
    out += [' · '.join(links), '']
    own, moved, reexported = [], [], []
    for n in mod.__all__:
        if n not in vars(mod): moved.append(n); continue        # forwarded by the module's __getattr__ (MovedWarning)
        o = vars(mod)[n]
        src = getattr(o, '__module__', modname) if (inspect.isclass(o) or inspect.isfunction(o)) else modname
        (own if src == modname else reexported).append((n, o, src))
    for n, o, _ in own:
        if inspect.isclass(o) or callable(o):
            out.append(doc_md(o, n, 2))
            if inspect.isclass(o):
                if dataclasses.is_dataclass(o): out.append(fields_md(o))
                for k, v in public_members(o, modname): out.append(doc_md(v, f'{n}.{k}', 3))
        else: out.append(value_md(n, o, 2))
    if reexported:
        out += ['---', '', '## Re-exported here', '', '| name | defined in |', '|---|---|']
        link = lambda n, src: (f'[`{src}`]({src.split(".")[-1]}.html#{n.lower()})' if src.startswith(f'{NAME}.')
                               else f'`{src}`')
        out += [f'| `{n}` | {link(n, src)} |' for n, _, src in reexported]
    if moved:
        out += ['', '---', '', '## Old names', '',
                'Importing these from here still works for one release, with a `MovedWarning` naming the new place: '
                + ', '.join(f'`{n}`' for n in moved) + '.']
    return '\n'.join(out) + '\n'

def api_index(modules, chapter_of):
    items = [f'- [`{NAME}.{s}`]({s}.md)' + (f' — chapter {chapter_of[s][1]}' if s in chapter_of else '') for s in modules]
    return ('# API reference\n\nOne page per module, each exported name with its signature, parameters (documented where '
            "they stand) and docstring, rendered by nbdev's `show_doc`.\n\n" + '\n'.join(items) + '\n')

# ---------------------------------------------------------------- front page and Colab
def colab_url(nb_name):
    return f'https://colab.research.google.com/github/{REPO.split("github.com/")[1]}/blob/main/colab/{nb_name}'

def colab_names(): return sorted(p.stem for p in (root/'colab').glob('*.ipynb'))

def front_page(chs, modules):
    "README.md, its chapter table and Colab names linked to the pages"
    text = (root/'README.md').read_text()
    text = re.sub(r'^<!--.*?-->\s*', '', text, flags=re.S)
    slugs = {nb.stem: slug for nb, slug, _ in chs}
    def row(m):
        cells = m.group(0).split(' | ')
        nbs = re.findall(r'`(\d\d[a-z]?_\w+)`', cells[0])
        mods = re.findall(r'`(\w+)`', cells[1]) if len(cells) > 1 else []
        if nbs and all(s in slugs for s in nbs):
            cells[0] = re.sub(r'`(\d\d[a-z]?_\w+)`', lambda x: f'[`{x[1]}`]({slugs[x[1]]}.ipynb)', cells[0])
        if mods and all(s in modules for s in mods):
            cells[1] = re.sub(r'`(\w+)`', lambda x: f'[`{x[1]}`](api/{x[1]}.md)', cells[1])
        return ' | '.join(cells)
    text = re.sub(r'^\| `\d\d[a-z]?_.*$', row, text, flags=re.M)
    names = '|'.join(colab_names())
    text = re.sub(rf'\*\*({names})\*\*', lambda m: f'[**{m[1]}**]({colab_url(m[1] + ".ipynb")})', text)
    return text.replace('the notebooks in `colab/`', 'the [notebooks in `colab/`](colab_notebooks.md)', 1)
    return text

def colab_page():
    "colab/README.md with each notebook linked on Colab and GitHub"
    text = (root/'colab'/'README.md').read_text()
    text = re.sub(r'`(\w+)\.ipynb`', lambda m: f'**{m[1]}**: [open in Colab]({colab_url(m[1] + ".ipynb")}) · '
                                               f'[GitHub]({BLOB}/colab/{m[1]}.ipynb)', text)
    text = text.replace('`make_notebooks.py`', f'[`make_notebooks.py`]({BLOB}/colab/make_notebooks.py)')
    return text.replace('`nbs/21_colab.ipynb`', '[`nbs/21_colab.ipynb`](colab.ipynb)')

# ---------------------------------------------------------------- the site
EXTRA_CSS = '''/* nbdev-clean drops execution counts: `In [ ]:` prompts say nothing */
.jupyter-wrapper .jp-InputPrompt, .jupyter-wrapper .jp-OutputPrompt { display: none !important; }
.md-grid { max-width: 80rem; }   /* room for code cells and tables */
'''

def config(docs, site, nav):
    return dict(
        site_name=NAME, site_description=DESCRIPTION, site_url=SITE_URL, docs_dir=str(docs), site_dir=str(site),
        use_directory_urls=False,                                                       # pages are `name.html`, as nbdev's
        extra_css=['extra.css'],
        theme=dict(name='material', font=False,                                         # font: False, no Google Fonts
                   features=['navigation.top', 'search.highlight', 'search.suggest', 'content.code.copy', 'toc.follow'],
                   palette=[dict(scheme='default', toggle=dict(icon='material/brightness-7', name='dark mode')),
                            dict(scheme='slate', toggle=dict(icon='material/brightness-4', name='light mode'))]),
        plugins=['search',                  # no `offline` plugin: it fetches a shim from unpkg.com at build time
                 {'mkdocs-jupyter': dict(execute=False,        # the outputs are the committed ones
                                         include_source=False, include_requirejs=False, ignore_h1_titles=False,
                                         cache=False)}],        # its cache would land in .cache/ of the checkout
        markdown_extensions=['tables', 'attr_list', 'admonition', {'toc': dict(permalink=True)},
                             {'pymdownx.highlight': dict(anchor_linenums=False)}, 'pymdownx.superfences'],
        # no `repo_url`: material would ask api.github.com for stars at view time; a footer link instead
        extra=dict(social=[dict(icon='fontawesome/brands/github', link=REPO, name=f'{NAME} on GitHub')]),
        nav=nav)

def build(site):
    t0 = time.time()
    site = Path(site).resolve()
    if site.exists() and any(site.iterdir()) and not (site/'sitemap.xml').exists():   # mkdocs empties site_dir first
        sys.exit(f'{site} is not empty and holds no site built before: give an empty or new folder')
    os.chdir(root)                                      # nbdev reads its settings from pyproject.toml here
    tmp = Path(tempfile.mkdtemp(prefix='vlm_docs_'))
    try:
        docs = tmp/'docs'; (docs/'api').mkdir(parents=True)
        sys.path.insert(0, str(root))
        modules = module_names()
        chs = chapters()
        chapter_of = {}
        for nb, slug, title in chs:
            process_chapter(nb, docs/f'{slug}.ipynb', modules)
            if (m := chapter_module(nb)): chapter_of[m] = (slug, f'{nb.stem[:2]} · {title}')
        for stem in modules: (docs/'api'/f'{stem}.md').write_text(module_page(stem, chapter_of))
        (docs/'api'/'index.md').write_text(api_index(modules, chapter_of))
        (docs/'index.md').write_text(front_page(chs, modules))
        (docs/'colab_notebooks.md').write_text(colab_page())
        (docs/'extra.css').write_text(EXTRA_CSS)
        nav = [{'Home': 'index.md'}, {'Chapters': [{title: f'{slug}.ipynb'} for _, slug, title in chs]},
               {'API reference': ['api/index.md'] + [{s: f'api/{s}.md'} for s in modules]},
               {'Colab notebooks': 'colab_notebooks.md'}]
        (tmp/'mkdocs.yml').write_text(yaml.safe_dump(config(docs, site, nav), sort_keys=False, allow_unicode=True))
        print(f'generated {len(chs)} chapter pages and {len(modules)} API pages in {time.time() - t0:.1f} s; mkdocs build',
              flush=True)
        subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '--strict', '--quiet', '--clean', '-f', tmp/'mkdocs.yml'],
                       check=True, env={**os.environ, 'NO_MKDOCS_2_WARNING': '1'})    # --strict: a broken link fails
    finally: shutil.rmtree(tmp, ignore_errors=True)
    print(f'site built in {site} ({time.time() - t0:.1f} s)')

if __name__ == '__main__':
    if len(sys.argv) != 2: sys.exit('usage: python .ci/docs.py OUT')
    build(sys.argv[1])
