"""Words that depend on numbers are computed: direction, decisions, places, lists, plurals.

The unit tests use synthetic values (labelled). The end-to-end tests render the manuscript's
own abstract and Discussion from the session build's values, once as built and once with every
sign flipped or every Holm decision reversed, and check that the wording follows.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from kzopen.article.context import Context
from kzopen.article.metadata import load_metadata
from kzopen.article.render import build_markdown
from kzopen.article.template import TemplateFunctions
from kzopen.core.fmt import Formatter

REPO = Path(__file__).resolve().parent.parent
METADATA_SCHEMA = REPO / "workflow" / "schemas" / "metadata.schema.yaml"


def _functions(values: dict, tables: dict | None = None) -> TemplateFunctions:
    # synthetic values (labelled): not data
    ctx = Context(values=values, sources={}, tables=tables or {})
    return TemplateFunctions(ctx, Formatter(), "t")


def _row(name: str, diff: float, reject: bool) -> dict:
    return {"indicator_name": name, "diff": diff, "holm_reject": reject}


def test_by_decision_splits_by_holm_and_sign() -> None:
    rows = [
        _row("a", -1.0, True),
        _row("b", 2.0, True),
        _row("c", -3.0, False),
        _row("d", -1, True),
    ]
    got = _functions({}, {"t": rows}).by_decision("t")
    assert got == {
        "lower": "a and d",
        "higher": "b",
        "same": "c",
        "n_lower": 2,
        "n_higher": 1,
        "n_same": 1,
    }


def test_by_decision_is_empty_where_no_row_falls() -> None:
    got = _functions({}, {"t": [_row("a", 1.0, False)]}).by_decision("t")
    assert got["lower"] == got["higher"] == "" and got["same"] == "a" and got["n_same"] == 1


@pytest.mark.parametrize(("x", "word"), [(0.5, "rose"), (-0.5, "fell"), (0.0, "stayed")])
def test_sign_word(x: float, word: str) -> None:
    assert _functions({"s": x}).sign("s", "rose", "fell", "stayed") == word


@pytest.mark.parametrize(
    ("rank", "n", "words"),
    [
        (1, 37, "near the top"),
        (10, 22, "above the middle"),
        (5, 9, "in the middle"),
        (25, 37, "below the middle"),
        (34, 37, "near the bottom"),
        (37, 37, "near the bottom"),
    ],
)
def test_place_words(rank: int, n: int, words: str) -> None:
    assert _functions({"r": rank, "n": n}).place("r", "n") == words


@pytest.mark.parametrize(
    ("n", "lang", "word"),
    [(1, "ru", "показателю"), (21, "ru", "показателю"), (6, "ru", "показателям"), (3, "ru", "x")],
)
def test_plural_by_cldr_rules(n: int, lang: str, word: str) -> None:
    forms = {"one": "показателю", "other": "показателям"}
    if word == "x":  # a category with its own form (few) wins over other
        forms, word = {**forms, "few": "x"}, "x"
    assert _functions({}).plural(n, lang, **forms) == word


def test_mag_prints_the_size_of_a_signed_value() -> None:
    shown = _functions({"c": -0.13}).shown()
    assert shown["mag"]("c", 3) == "0.130" and shown["num"]("c", 3) == "\u22120.130"


# -- the manuscript's own wording, from the session build --------------------------------------

SIGNED = (".diff", ".kz_slope", ".change", ".hedges_g")


def _flip(ctx: Context) -> Context:
    """Every signed difference, slope and change negated, in values and tables."""
    out = copy.deepcopy(ctx)
    out.values = {k: -v if k.endswith(SIGNED) and v else v for k, v in out.values.items()}
    for rows in out.tables.values():
        for r in rows:
            for col in ("diff", "change", "hedges_g"):
                if isinstance(r.get(col), int | float):
                    r[col] = -r[col]
    return out


def _no_decisions(ctx: Context) -> Context:
    """Every Holm decision reversed to 'no difference'."""
    out = copy.deepcopy(ctx)
    out.values = {k: False if k.endswith(".holm_reject") else v for k, v in out.values.items()}
    for rows in out.tables.values():
        for r in rows:
            if "holm_reject" in r:
                r["holm_reject"] = False
    return out


def _render(ctx: Context, tmp_path: Path, section: str) -> str:
    md, check = tmp_path / f"{section}.md", tmp_path / f"{section}.check"
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    allow = config["article"]["orphan_allow"]
    build_markdown(REPO / "article", f"sections/{section}.md.j2", ctx, allow, md, check)
    return " ".join(md.read_text(encoding="utf-8").split())


@pytest.fixture(scope="module")
def built_ctx(built_repo: Path) -> Context:
    meta = load_metadata(REPO / "article" / "metadata.yaml", METADATA_SCHEMA)
    return Context.load(built_repo / "results" / "article_values.json", metadata=meta)


@pytest.mark.e2e
def test_abstract_direction_words_follow_the_signs(built_ctx: Context, tmp_path: Path) -> None:
    kz = "local.change.v2xel_locelec.last.change"
    trend = "trend.europe.ti_cpi.cpi_score.kz_slope"
    assert built_ctx.values[kz] > 0 and built_ctx.values[trend] > 0  # as built
    as_built = _render(built_ctx, tmp_path, "00_front_matter")
    flipped = _render(_flip(built_ctx), tmp_path, "00_front_matter")
    assert "after a rise of" in as_built and "after a fall of" in flipped
    assert "(higher is cleaner) rose" in as_built and "(higher is cleaner) fell" in flipped
    assert "вырос на" in as_built and "снизился на" in flipped
    assert "бірлікке өсті" in as_built and "бірлікке төмендеді" in flipped
    assert "lower than Europe on" in as_built and "lower than Europe" not in flipped
    assert "higher on" in flipped and "уступала Европе" not in flipped


@pytest.mark.e2e
def test_discussion_follows_the_holm_decisions(built_ctx: Context, tmp_path: Path) -> None:
    as_built = _render(built_ctx, tmp_path, "04b_discussion")
    none = _render(_no_decisions(built_ctx), tmp_path, "04b_discussion")
    flipped = _render(_flip(built_ctx), tmp_path, "04b_discussion")
    assert "both differences hold after Holm's adjustment" in as_built
    assert "neither difference holds after Holm's adjustment" in none
    assert "scoring lower on" not in none and "differs from Europe on some" in none
    assert "place the CIS below Europe" in as_built and "place the CIS above Europe" in flipped
    abstract = _render(_no_decisions(built_ctx), tmp_path, "00_front_matter")
    assert (
        "but showed no difference on" in abstract and "a difference that does not hold" in abstract
    )
    assert "после поправки Холма это различие не подтверждается" in abstract
