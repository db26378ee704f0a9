"""Line width of the chapters' code: at most MAX_SHARE of code lines over WIDTH characters, none over HARD.

    python .ci/width.py nbs/*.ipynb

A check, not a formatter: wrap a long line by hand where it reads best (fastcore and TRL keep 1-3 % over 120)."""
import sys, nbformat
WIDTH, HARD, MAX_SHARE = 120, 160, 0.03
n = over = 0; hard = []
for f in sys.argv[1:]:
    for c in nbformat.read(f, 4).cells:
        if c.cell_type != 'code': continue
        for i, l in enumerate(c.source.split('\n')):
            n += 1; over += len(l) > WIDTH
            if len(l) > HARD: hard.append(f"{f} cell {c.get('id')} line {i + 1}: {len(l)} characters")
share = over / max(n, 1)
print(f"{over} of {n} code lines ({share:.1%}) over {WIDTH} characters; {len(hard)} over {HARD}")
if hard: print('\n'.join(hard[:40]))
sys.exit(share > MAX_SHARE or bool(hard))
