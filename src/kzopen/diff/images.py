"""Changes in figures: a pixel difference of the PNGs (Pillow), shown side by side.

Files with equal bytes are equal and never decoded. For the others, the share of pixels that
differ and the bounding box of the difference are reported; the page shows both versions
scaled down, the box outlined and the changed pixels tinted on the new one.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from kzopen.diff.model import Change, Version

FIGURES = "figures"
THUMB_WIDTH = 640  # pixels of each image on the page
OUTLINE = (213, 94, 0)  # Okabe-Ito vermillion, like the project's figure palette
TINT = (204, 121, 167, 150)  # Okabe-Ito reddish purple, translucent


@dataclass(frozen=True)
class FigurePair:
    """The two versions of a changed figure for the page, as PNG data URIs ('' if absent)."""

    path: str
    old_uri: str
    new_uri: str


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _uri(img: Image.Image) -> str:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _thumb(img: Image.Image) -> tuple[Image.Image, float]:
    scale = min(1.0, THUMB_WIDTH / img.width)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.BOX), scale


def _outline(img: Image.Image, box: tuple[int, int, int, int] | None, scale: float) -> None:
    if box is not None:
        x0, y0, x1, y1 = (round(c * scale) for c in box)
        ImageDraw.Draw(img).rectangle([x0 - 3, y0 - 3, x1 + 2, y1 + 2], outline=OUTLINE, width=3)


def pixel_diff(old: Path, new: Path) -> tuple[str, FigurePair]:
    """What differs between two PNGs (a sentence) and the pair of images for the page."""
    a = Image.open(old).convert("RGB")
    b = Image.open(new).convert("RGB")
    ta, sa = _thumb(a)
    tb, sb = _thumb(b)
    if a.size != b.size:
        detail = f"size {a.width} × {a.height} → {b.width} × {b.height} pixels"
        return detail, FigurePair(str(new), _uri(ta), _uri(tb))
    r, g, bl = ImageChops.difference(a, b).split()
    changed = ImageChops.lighter(ImageChops.lighter(r, g), bl)  # > 0 where any channel differs
    box = changed.getbbox()
    n_changed = a.width * a.height - changed.histogram()[0]
    if box is None:
        return "file differs, pixels identical", FigurePair(str(new), _uri(ta), _uri(tb))
    mask = changed.point(lambda v: 255 if v else 0).resize(tb.size, Image.Resampling.BOX)
    mask = mask.point(lambda v: 255 if v else 0)
    tinted = Image.alpha_composite(tb.convert("RGBA"), Image.new("RGBA", tb.size, TINT))
    tb = Image.composite(tinted.convert("RGB"), tb, mask)
    _outline(ta, box, sa)
    _outline(tb, box, sb)
    x0, y0, x1, y1 = box
    detail = (
        f"{n_changed} pixels differ ({n_changed / (a.width * a.height):.2%}), in x {x0}–{x1}, "
        f"y {y0}–{y1} of {a.width} × {a.height}"
    )
    return detail, FigurePair(str(new), _uri(ta), _uri(tb))


def compare_figures(old: Version, new: Version) -> tuple[list[Change], list[FigurePair]]:
    """Every ``figures/*.png`` whose bytes differ, appeared or disappeared."""
    if old.root is None or new.root is None:
        return [], []
    names = sorted({p.name for v in (old, new) for p in (v.root / FIGURES).glob("*.png")})
    anchors = {
        e["name"]: e["anchor"]
        for v in (old, new)
        for e in v.placeholders or []
        if e["kind"] == "figure"
    }
    changes, pairs = [], []
    for name in names:
        pa, pb = old.root / FIGURES / name, new.root / FIGURES / name
        rel = f"{FIGURES}/{name}"
        if pa.is_file() and pb.is_file():
            ha, hb = _sha(pa), _sha(pb)
            if ha == hb:
                continue
            detail, pair = pixel_diff(pa, pb)
            pairs.append(FigurePair(rel, pair.old_uri, pair.new_uri))
        else:
            ha, hb = (_sha(pa) if pa.is_file() else ""), (_sha(pb) if pb.is_file() else "")
            detail = "figure added" if hb else "figure removed"
            one = Image.open(pb if hb else pa).convert("RGB")
            uri = _uri(_thumb(one)[0])
            pairs.append(FigurePair(rel, "" if hb else uri, uri if hb else ""))
        anchor = anchors.get(rel, "")
        changes.append(
            Change(
                "figure",
                rel,
                rel,
                old=ha[:12],
                new=hb[:12],
                detail=detail,
                anchor=f"article.html#{anchor}" if anchor else "",
            )
        )
    return changes, pairs
