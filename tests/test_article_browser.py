"""The built HTML article as a reader sees it: headless Chromium loads it, every image must
have loaded, every internal link must resolve, and a screenshot is saved."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Injected into a copy of the page: after load, record every image's state and every
# in-page link target in a data attribute, which --dump-dom then prints.
PROBE = """<script>
window.addEventListener('load', function () {
  var imgs = Array.from(document.images).map(function (i) {
    return {src: i.getAttribute('src').slice(0, 40), complete: i.complete, width: i.naturalWidth};
  });
  var links = Array.from(document.querySelectorAll('a[href]')).map(function (a) {
    var h = a.getAttribute('href');
    return {href: h, ok: h.charAt(0) !== '#' || !!document.getElementById(decodeURIComponent(h.slice(1)))};
  });
  document.body.setAttribute('data-probe', JSON.stringify({images: imgs, links: links}));
});
</script>"""


def _chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.e2e
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_article_in_headless_chromium(built_repo: Path, tmp_path: Path) -> None:
    html = built_repo / "build" / "article" / "article.html"
    page = html.read_text(encoding="utf-8")
    probed = html.with_name("article.probe.html")  # same folder: relative links stay valid
    probed.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    try:
        res = _chromium(["--virtual-time-budget=10000", "--dump-dom", probed.as_uri()], tmp_path)
    finally:
        probed.unlink()
    m = re.search(r'data-probe="([^"]*)"', res.stdout)
    assert m, f"probe did not run; chromium stderr:\n{res.stderr[-2000:]}"
    probe = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))

    assert probe["images"], "the article has no images"
    broken = [i for i in probe["images"] if not (i["complete"] and i["width"] > 0)]
    assert not broken, f"images that did not load: {broken}"
    # images are embedded (self-contained HTML)
    assert all(i["src"].startswith("data:") for i in probe["images"])

    internal = [ln for ln in probe["links"] if ln["href"].startswith("#")]
    assert internal, "no internal links found"
    dangling = [ln["href"] for ln in internal if not ln["ok"]]
    assert not dangling, f"internal links without a target: {dangling}"
    # relative links to repository files (scripts named in figure captions) must exist
    relative = [ln["href"] for ln in probe["links"] if not re.match(r"^(#|[a-z]+:)", ln["href"])]
    missing = [h for h in relative if not (html.parent / h.split("#")[0]).resolve().exists()]
    assert not missing, f"relative links to missing files: {missing}"
    # links into another built page (reproducibility.html#<claim_id>) must hit an id there
    no_anchor = []
    for h in relative:
        if "#" in h and h.split("#")[0].endswith(".html"):
            target, anchor = h.split("#", 1)
            page_text = (html.parent / target).read_text(encoding="utf-8")
            if f'id="{anchor}"' not in page_text:
                no_anchor.append(h)
    assert not no_anchor, f"links to anchors that the target page lacks: {no_anchor}"

    # Saved beside the test's own files, not in the build: the build's outputs stay untouched.
    shot = tmp_path / "article_screenshot.png"
    res = _chromium(
        [
            "--window-size=1200,1800",
            "--virtual-time-budget=10000",
            f"--screenshot={shot}",
            html.as_uri(),
        ],
        tmp_path,
    )
    assert shot.exists() and shot.stat().st_size > 10_000, res.stderr[-2000:]
