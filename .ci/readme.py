"""Render README.md from nbs/index.ipynb with nbconvert's markdown exporter (nbdev-readme needs Quarto, which
cannot be installed offline). Cells marked `#| hide` are left out and nbdev directives are stripped.
`python .ci/readme.py --check` exits 1 when README.md is out of sync."""
import sys, copy
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent

def render():
    nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
    cells = []
    for c in nb.cells:
        lines = c.source.splitlines()
        if c.cell_type == 'code' and any(l.strip().replace(' ', '') == '#|hide' for l in lines): continue
        c = copy.deepcopy(c)
        if c.cell_type == 'code': c.source = '\n'.join(l for l in lines if not l.lstrip().startswith('#|')).strip()
        c.outputs = [] if c.cell_type == 'code' else None
        if c.outputs is None: del c['outputs']
        cells.append(c)
    nb.cells = cells
    nb.metadata['language_info'] = {'name': 'python'}  # fenced blocks marked as python
    body, _ = MarkdownExporter().from_notebook_node(nb)
    while '\n\n\n' in body: body = body.replace('\n\n\n', '\n\n')
    return '<!-- generated from nbs/index.ipynb by .ci/readme.py: edit the notebook, not this file -->\n\n' + body.strip() + '\n'

if __name__ == '__main__':
    text, readme = render(), root/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            sys.exit('README.md is out of sync with nbs/index.ipynb: run `python .ci/readme.py` and commit')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        readme.write_text(text); print('wrote README.md')
