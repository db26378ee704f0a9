"""Check the built docs site in Debian's headless Chromium: `python .ci/docs_check.py OUT` (OUT from `bash .ci/docs OUT`).

OUT is served on a free localhost port; every page (each chapter, the front page, the Colab page, each API page) must
load with no SEVERE console message and every <img> on it loaded (naturalWidth > 0); every chapter must have its
page; searching `score_choices` in mkdocs-material's search box must list the API page of `models`. A screenshot of
a chapter's first figure is kept in $VLM_STUDIES_TEST_ARTIFACTS/docs_chapter.png (default test_artifacts/).
Without /usr/bin/chromium + /usr/bin/chromedriver it fails, or skips with exit 0 when DOCS_CHECK_OPTIONAL=1."""
import functools, http.server, os, re, sys, tempfile, threading, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
CHROMIUM, DRIVER = Path('/usr/bin/chromium'), Path('/usr/bin/chromedriver')
SHOT_PAGE = 'why.html'                        # 14b_why: occlusion and attention maps over a pair, the lens, which image
SEARCH_TERM, SEARCH_TARGET = 'score_choices', 'api/models.html'

def fail(msg): sys.exit(f'docs check FAILED: {msg}')

def chapter_pages():
    "The page each chapter must have: `nbs/10_models.ipynb` -> `models.html` (as .ci/docs.py names them)"
    return {nb.name: re.sub(r'^\d+[a-z]?_', '', nb.stem) + '.html' for nb in sorted((root/'nbs').glob('[0-9][0-9]*_*.ipynb'))
            if not nb.name.startswith(('90_', '91_'))}

def serve(folder):
    "A quiet http.server on a free localhost port, in a daemon thread"
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f'http://127.0.0.1:{httpd.server_address[1]}'

def browser_for(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions(); opts.binary_location = str(CHROMIUM)
    for a in ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
              '--disable-background-networking', '--disable-component-update', f'--user-data-dir={profile}',
              '--window-size=1280,1400']: opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(str(DRIVER)), options=opts)

def check_page(b, url):
    "Load `url`; the SEVERE console messages, and (images checked, the broken ones' src)"
    from selenium.webdriver.support.ui import WebDriverWait
    b.get(url)
    WebDriverWait(b, 30).until(lambda b: b.execute_script('return document.readyState') == 'complete')
    WebDriverWait(b, 30).until(lambda b: b.execute_script('return Array.from(document.images).every(i => i.complete)'))
    imgs = b.execute_script('return Array.from(document.images).map(i => [i.naturalWidth, i.src.slice(0, 80)])')
    severe = [e['message'] for e in b.get_log('browser') if e['level'] == 'SEVERE']
    return severe, len(imgs), [src for w, src in imgs if not w > 0]

def check_search(b, base):
    "Type SEARCH_TERM in the search box; the result links (the API page must be among them)"
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    b.get(f'{base}/index.html')
    shown = lambda css: next((e for e in b.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None)
    if not shown('input.md-search__input'):                      # a narrow window: the search icon opens it
        WebDriverWait(b, 30).until(lambda b: shown('label[for="__search"]')).click()
    box = WebDriverWait(b, 30).until(lambda b: shown('input.md-search__input'))
    box.click(); box.send_keys(SEARCH_TERM)
    result_css = '.md-search-result__item a.md-search-result__link'
    links = lambda b: [a.get_attribute('href') for a in b.find_elements(By.CSS_SELECTOR, result_css)]
    try: WebDriverWait(b, 60).until(lambda b: any(SEARCH_TARGET in (h or '') for h in links(b)))
    except Exception: fail(f'searching {SEARCH_TERM!r} did not list {SEARCH_TARGET} (results: {links(b) or "none"}; '
                           f'console: {[e["message"] for e in b.get_log("browser")][:5]})')
    return links(b)

def screenshot(b, base, dest):
    "The first figure of SHOT_PAGE, scrolled into view"
    b.get(f'{base}/{SHOT_PAGE}')
    b.execute_script("const i = document.querySelector('.jp-OutputArea img, article img');"
                     "if (i) i.scrollIntoView({block: 'center'});")
    time.sleep(0.5)
    dest.parent.mkdir(parents=True, exist_ok=True)
    b.save_screenshot(str(dest))

def main(out):
    out = Path(out).resolve()
    if not (out/'index.html').exists(): fail(f'{out}/index.html not found: build the site first (bash .ci/docs {out})')
    if not (CHROMIUM.exists() and DRIVER.exists()):
        msg = f'no {CHROMIUM} and {DRIVER} (apt-get install chromium chromium-driver)'
        if os.environ.get('DOCS_CHECK_OPTIONAL') == '1': print(f'docs check skipped: {msg}'); return
        fail(msg + '; set DOCS_CHECK_OPTIONAL=1 to skip')
    expected = chapter_pages()
    missing = [f'{nb} -> {p}' for nb, p in expected.items() if not (out/p).exists()]
    if missing: fail(f'chapters without a page: {missing}')
    others = sorted(p.relative_to(out).as_posix() for p in out.rglob('*.html')
                    if p.name != '404.html' and p.relative_to(out).as_posix() not in expected.values())
    pages = list(expected.values()) + others
    art = Path(os.environ.get('VLM_STUDIES_TEST_ARTIFACTS') or root/'test_artifacts')
    t0, n_img, problems = time.time(), 0, []
    httpd, base = serve(out)
    with tempfile.TemporaryDirectory() as profile:
        b = browser_for(profile)
        try:
            n_chapter_img = 0
            for p in pages:
                severe, n, broken = check_page(b, f'{base}/{p}')
                n_img += n; n_chapter_img += n if p in expected.values() else 0
                problems += [f'{p}: console: {m}' for m in severe] + [f'{p}: image not loaded: {s}' for s in broken]
            hits = check_search(b, base)
            screenshot(b, base, art/'docs_chapter.png')
        finally:
            b.quit(); httpd.shutdown()
    if problems: fail(f'{len(problems)} problem(s):\n  ' + '\n  '.join(problems))
    if not n_chapter_img: fail('no image on any chapter page: the notebooks\' figures did not make it into the site')
    print(f'docs check: {len(pages)} pages loaded without console errors ({len(expected)} chapters, {len(others)} others), '
          f'{n_img} images loaded ({n_chapter_img} on chapters), search {SEARCH_TERM!r}: {len(hits)} results '
          f'incl. {SEARCH_TARGET}; '
          f'screenshot {art/"docs_chapter.png"} ({time.time() - t0:.1f} s)')

if __name__ == '__main__':
    if len(sys.argv) != 2: sys.exit('usage: python .ci/docs_check.py OUT')
    main(sys.argv[1])
