"""Reader of V-Dem's country-year data (v14, the ``vdemlite`` subset) and its codebook.

The publisher ships R data files. They are read with ``pyreadr`` (librdata bindings), which
returns each R data frame as a pandas frame without needing R. Labels and scale types come
from V-Dem's own codebook table, never typed here: the reader keeps only the variable tags
and the bounds each scale type allows.

Interval measures (indices on 0-1, measurement-model estimates on an unbounded scale) go into
the long index table. Nominal measures (which local or regional offices are elected) are
categories: they are returned separately, with their codebook response labels, and are
tabulated, never averaged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyreadr

from kzopen.core.errors import InputError
from kzopen.ingest.common import check_unique, finish_index_table, range_schema, validate

DATA_FRAME = "vdemlite"
CODEBOOK_FRAME = "codebook"
KEY_COLUMNS = ["country_name", "country_text_id", "year"]
# Measurement-model estimates are standard-normal-like; published values lie within about +-4.3.
MODEL_BOUNDS = (-5.0, 5.0)


@dataclass(frozen=True)
class VdemMeasure:
    """One V-Dem variable read: its tag, its scale kind and whether higher means more open."""

    tag: str
    kind: str  # "index01" (0-1), "model" (measurement-model scale) or "nominal"
    higher_is_better: bool = True


VDEM_MEASURES = [
    # local and regional government (the article's level)
    VdemMeasure("v2xel_locelec", "index01"),
    VdemMeasure("v2ellocpwr", "model"),
    VdemMeasure("v2xel_regelec", "index01"),
    VdemMeasure("v2elrgpwr", "model"),
    # national openness and accountability
    VdemMeasure("v2x_diagacc", "model"),
    VdemMeasure("v2cltrnslw", "model"),
    VdemMeasure("v2x_pubcorr", "index01", higher_is_better=False),
    VdemMeasure("v2dlconslt", "model"),
    VdemMeasure("v2x_cspart", "index01"),
    # which offices are elected: categories
    VdemMeasure("v2ellocelc", "nominal"),
    VdemMeasure("v2elsrgel", "nominal"),
    VdemMeasure("v2elreggov", "nominal"),  # a regional government exists (0 no, 1 yes)
]
# what pyreadr raises on a file that is not R data, truncated or of an unknown object type
RDATA_ERRORS = (
    pyreadr.custom_errors.PyreadrError,
    pyreadr.custom_errors.LibrdataError,
    ValueError,
    OSError,
)
BOUNDS = {"index01": (0.0, 1.0), "model": MODEL_BOUNDS, "nominal": (0.0, 5.0)}
CATEGORY_COLUMNS = ["iso3", "country", "year", "indicator", "indicator_label", "code", "category"]


def read_r_frame(path: str | Path, name: str) -> pd.DataFrame:
    """The R data frame ``name`` stored in an .rda/.RData file."""
    if not Path(path).is_file():
        raise InputError(path, "file not found")
    try:
        frames = pyreadr.read_r(str(path))
    except RDATA_ERRORS as exc:
        raise InputError(
            path,
            f"cannot be read as R data ({type(exc).__name__}: {exc})",
            expected="the publisher's .rda/.RData file, unmodified",
        ) from None
    if name not in frames:
        raise InputError(
            path,
            f"no R object named {name!r} (objects: {sorted(frames)})",
            expected=f"an R data frame {name!r}",
        )
    return frames[name]


def read_codebook(path: str | Path) -> pd.DataFrame:
    """Codebook rows of the variables read: tag, name (label), question, scale, responses."""
    cb = read_r_frame(path, CODEBOOK_FRAME)
    cols = ["tag", "name", "question", "scale", "responses"]
    for c in cols:
        if c not in cb.columns:
            raise InputError(path, "required column missing", column=c, expected=f"columns {cols}")
    cb = cb[cols].assign(tag=cb["tag"].astype(str).str.strip())
    cb = cb.drop_duplicates("tag")
    wanted = [m.tag for m in VDEM_MEASURES]
    missing = [t for t in wanted if t not in set(cb["tag"])]
    if missing:
        raise InputError(
            path, f"variables not in the codebook: {missing}", column="tag", expected=str(wanted)
        )
    out = cb.set_index("tag").loc[wanted].reset_index()
    for c in ("name", "question", "scale", "responses"):
        out[c] = out[c].fillna("").astype(str).str.strip()
    return out


def measure_label(tag: str, codebook: pd.DataFrame) -> str:
    """The codebook's name of ``tag``, with the direction where higher is worse."""
    row = codebook.set_index("tag").loc[tag]
    m = next(m for m in VDEM_MEASURES if m.tag == tag)
    return row["name"] + ("" if m.higher_is_better else " (higher = more corrupt)")


def response_labels(responses: str) -> dict[int, str]:
    """'0: Generally, ... 1: Generally, ...' -> {0: 'Generally, ...', 1: ...}."""
    parts = re.split(r"(?:^|\s)(\d+):\s+", " " + responses)
    return {
        int(k): re.sub(r"\s+", " ", v).strip()
        for k, v in zip(parts[1::2], parts[2::2], strict=True)
    }


def _validated(path: str | Path, codebook: pd.DataFrame) -> pd.DataFrame:
    raw = read_r_frame(path, DATA_FRAME)
    tags = [m.tag for m in VDEM_MEASURES]
    for c in [*KEY_COLUMNS, *tags]:
        if c not in raw.columns:
            raise InputError(
                path, "required column missing", column=c, expected=f"columns {KEY_COLUMNS + tags}"
            )
    raw = raw[[*KEY_COLUMNS, *tags]].reset_index(drop=True)
    schema = pa.DataFrameSchema(
        {
            "country_text_id": pa.Column(
                str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=False, coerce=True
            ),
            "country_name": pa.Column(str, nullable=False, coerce=True),
            "year": pa.Column(float, pa.Check.in_range(1789, 2100), nullable=False, coerce=True),
            **range_schema({m.tag: BOUNDS[m.kind] for m in VDEM_MEASURES}),
        }
    )
    # rows are counted from 1 (the R data frame has no header line)
    raw = validate(raw, schema, path, first_row=1)
    if (raw["year"] % 1 != 0).any():
        i = int((raw["year"] % 1 != 0).to_numpy().argmax())
        raise InputError(path, "year is not a whole number", row=i + 1, column="year")
    for m in VDEM_MEASURES:
        if m.kind == "nominal" and (raw[m.tag].dropna() % 1 != 0).any():
            raise InputError(path, "a category is not a whole number", column=m.tag)
    check_unique(raw, ["country_text_id", "year"], path, first_row=1)
    return raw


def read_vdem(path: str | Path, codebook: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(long index table of the interval measures, long table of the nominal categories)."""
    raw = _validated(path, codebook)
    base = {
        "iso3": raw["country_text_id"],
        "country": raw["country_name"].str.strip(),
        "year": raw["year"].astype("int64"),
    }
    index_parts, cat_parts = [], []
    for m in VDEM_MEASURES:
        label = measure_label(m.tag, codebook)
        if m.kind == "nominal":
            labels = response_labels(codebook.set_index("tag").at[m.tag, "responses"])
            d = pd.DataFrame({**base, "indicator": m.tag, "indicator_label": label})
            d["code"] = raw[m.tag]
            d = d.dropna(subset=["code"]).astype({"code": "int64"})
            d["category"] = d["code"].map(labels).fillna("")
            cat_parts.append(d[CATEGORY_COLUMNS])
            continue
        lo, hi = BOUNDS[m.kind] if m.kind == "index01" else (float("nan"), float("nan"))
        d = pd.DataFrame({**base, "indicator": m.tag, "indicator_label": label})
        d = d.assign(value=raw[m.tag], std_error=float("nan"), scale_min=lo, scale_max=hi)
        index_parts.append(d)
    table = finish_index_table(pd.concat(index_parts, ignore_index=True), "vdem")
    cats = pd.concat(cat_parts, ignore_index=True)
    cats = cats.sort_values(["indicator", "year", "iso3"], kind="stable").reset_index(drop=True)
    return table, cats
