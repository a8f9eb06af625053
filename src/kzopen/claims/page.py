"""The reviewer's reproducibility page: the claims audit as a Markdown fragment and as a
self-contained HTML page (inline CSS and JavaScript, no external resources).

Both are rendered from ``results/claims_audit.csv`` and ``results/claims_summary.csv`` only;
nothing here computes a statistic.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Mapping
from typing import Any

import pandas as pd

from kzopen.claims.registry import STATUS_LABEL, STATUS_MEANING, STATUSES, TIERS
from kzopen.core.tables import html_table, md_cell

REPORTED_LABEL = "reported in the article"


def _md(text: object) -> str:
    """One Markdown table cell (missing values empty)."""
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return md_cell("" if s == "<NA>" else s)


def _links_md(evidence: str) -> str:
    parts = []
    for token in str(evidence).split():
        parts.append(f"<{token}>" if token.startswith(("http://", "https://")) else token)
    return _md(" ".join(parts))


def _checkable(audit: pd.DataFrame) -> str:
    """'N checkable claims, M qualitative statements' (qualitative: nothing to check)."""
    q = int((audit["status"] == "not_quantitative").sum())
    return f"{len(audit) - q} checkable claims, {q} qualitative statements with nothing to check"


def render_markdown(
    audit: pd.DataFrame,
    summary: pd.DataFrame,
    heading_level: int = 2,
    *,
    registry: str = "the claims registry",
) -> str:
    """Markdown fragment: counts by status, contradicted claims first, then all claims. The
    text names the file of the claims registry, ``registry``."""
    h = "#" * heading_level
    n = len(audit)
    lines = [
        f"{h} Claims audit",
        "",
        f"Every claim of the article ({n}: {_checkable(audit)}) with the value {REPORTED_LABEL}, "
        "the value reproduced by this pipeline from real data or given by an outside source, and "
        "a status whose strength follows the tier of its best evidence (primary, "
        "secondary-reliable, tertiary, none; `docs/claims.md`). Reported values are claims, not "
        f"data: none is used as an observation. Claim ids are those of `{registry}`.",
        "",
        f"{h}# Summary by status",
        "",
        "| status | claims | meaning |",
        "|---|---:|---|",
    ]
    for r in summary.itertuples(index=False):
        lines.append(f"| {STATUS_LABEL[r.status]} | {int(r.n)} | {_md(STATUS_MEANING[r.status])} |")
    lines += [f"| **total** | {int(summary['n'].sum())} | |", ""]

    contra = audit[audit["status"] == "contradicted_by_source"]
    lines += [f"{h}# Claims contradicted by primary sources", ""]
    if contra.empty:
        lines += ["None.", ""]
    for r in contra.itertuples(index=False):
        lines += [
            f"- **`{r.claim_id}`**: \u201c{_md(r.quote)}\u201d",
            f"  - {REPORTED_LABEL}: {_md(r.reported)} {_md(r.unit)}".rstrip(),
            f"  - source / pipeline: {_md(r.reproduced)}",
            f"  - evidence tier: {_md(r.evidence_tier)}",
            f"  - evidence: {_links_md(r.evidence)}",
            f"  - note: {_md(r.note)}",
        ]
    lines += ["", f"{h}# All claims", ""]
    lines += [
        f"| claim | kind | {REPORTED_LABEL} | reproduced / reference | status | tier | method | "
        "evidence | note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    order = {s: i for i, s in enumerate(STATUSES)}
    ranked = audit.assign(_o=audit["status"].map(order)).sort_values(["_o"], kind="stable")
    for r in ranked.itertuples(index=False):
        lines.append(
            f"| `{r.claim_id}` | {_md(r.kind)} | {_md(r.reported)} | {_md(r.reproduced)} | "
            f"{STATUS_LABEL[r.status]} | {_md(r.evidence_tier)} | {_md(r.method)} | "
            f"{_links_md(r.evidence)} | {_md(r.note)} |"
        )
    return "\n".join(lines) + "\n"


_CSS = """
span.value{border-bottom:1px dotted #8a8a8a;cursor:help}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:80rem;padding:0 1rem;color:#222;line-height:1.4}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.3rem .4rem;vertical-align:top;text-align:left}
th{background:#f2f2f2;position:sticky;top:0}
.q{font-style:italic;max-width:22rem}
.st{font-family:monospace;white-space:nowrap;padding:.05rem .3rem;border-radius:3px}
.contradicted_by_source{background:#f6c6b8}.differs{background:#fbe3a7}
.reproduced{background:#c8e6c9}.consistent_only{background:#d7e8f7}
.unverifiable{background:#e6e6e6}.not_quantitative{background:#f4f4f4}
.card{border-left:4px solid #D55E00;padding:.3rem .8rem;margin:.6rem 0;background:#fdf5f2}
#filters label{margin-right:1rem;white-space:nowrap}
a{word-break:break-all}
"""

_JS = """
(function(){
  var boxes=document.querySelectorAll('#filters input[type=checkbox]');
  var rows=document.querySelectorAll('#claims tbody tr');
  var shown=document.getElementById('shown');
  function apply(){
    var on={},tier={};boxes.forEach(function(b){
      (b.classList.contains('tier')?tier:on)[b.value]=b.checked;});
    var n=0;rows.forEach(function(r){
      var v=on[r.dataset.status]&&tier[r.dataset.tier];r.hidden=!v;if(v){n++;}});
    shown.textContent=n;
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  document.getElementById('all').addEventListener('click',function(){
    boxes.forEach(function(b){b.checked=true;});apply();});
  apply();
})();
"""


def _e(text: object) -> str:
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return html.escape("" if s == "<NA>" else s)


def _links_html(evidence: str) -> str:
    out = []
    for token in str(evidence).split():
        if token.startswith(("http://", "https://")):
            out.append(f'<a href="{html.escape(token)}" rel="noreferrer">{html.escape(token)}</a>')
        else:
            out.append(html.escape(token))
    return " ".join(out)


def _traced(text: object, claim_id: str, made: Mapping[str, Any] | None) -> str:
    """The reproduced value with its trail, as in the article (a ``span.value`` with the file,
    row, column, rule and package functions behind it, and a tooltip)."""
    if not made or not _e(text):
        return _e(text)
    attrs = {
        "data-key": f"claim.{claim_id}.reproduced",
        "data-file": made["file"],
        "data-row": urllib.parse.urlencode({"claim_id": claim_id}),
        "data-column": "reproduced",
        "data-rule": made.get("rule") or "",
        "data-functions": " ".join(made.get("functions", [])),
    }
    attrs["title"] = " | ".join(
        [
            f"{made['file']}, row claim_id={claim_id}, column reproduced",
            f"rule {attrs['data-rule']}",
            "calls " + ", ".join(made.get("functions", [])),
        ]
    )
    inner = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
    return f'<span class="value" {inner}>{_e(text)}</span>'


def _filters_html(counts: Mapping[str, int], n: int) -> list[str]:
    """The status and tier check boxes above the table of all claims."""
    parts: list[str] = []
    parts.append('<h2>All claims</h2><div id="filters"><b>Show status:</b> ')
    for s in STATUSES:
        parts.append(
            f'<label><input type="checkbox" value="{s}" checked> '
            f'<span class="st {s}">{_e(STATUS_LABEL[s])}</span> ({int(counts.get(s, 0))})</label>'
        )
    parts.append("<br><b>Show tier:</b> ")
    for t in TIERS:
        parts.append(f'<label><input type="checkbox" class="tier" value="{t}" checked> {t}</label>')
    parts.append(
        '<button type="button" id="all">show all</button> '
        f'<span><span id="shown">{n}</span> of {n} shown</span></div>'
    )
    return parts


def render_html(
    audit: pd.DataFrame, summary: pd.DataFrame, title: str, made: Mapping[str, Any] | None = None
) -> str:
    """A standalone page: summary, contradicted claims, then all claims with a status filter.
    ``made`` (file, rule, functions of the audit table) traces each reproduced value."""
    counts = dict(zip(summary["status"], summary["n"], strict=True))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>Every claim of the article ({len(audit)}: {_e(_checkable(audit))}): the value "
        f"<em>{REPORTED_LABEL}</em>, the value reproduced by the pipeline from real data or "
        "given by an outside source, a status and the tier of its best evidence (primary, "
        "secondary-reliable, tertiary, none); a status is never stronger than its tier. Reported "
        "values are claims, not data.</p>",
        "<h2>Summary by status</h2>",
    ]
    by_status = [
        (
            f'<span class="st {s}">{_e(STATUS_LABEL[s])}</span>',
            str(int(counts.get(s, 0))),
            _e(STATUS_MEANING[s]),
        )
        for s in STATUSES
    ]
    total = ("<b>total</b>", str(len(audit)), "")
    parts.append(html_table(["status", "claims", "meaning"], [*by_status, total]))
    parts.append("<h2>Claims contradicted by primary sources</h2>")
    contra = audit[audit["status"] == "contradicted_by_source"]
    if contra.empty:
        parts.append("<p>None.</p>")
    for r in contra.itertuples(index=False):
        parts.append(
            f'<div class="card"><p><code>{_e(r.claim_id)}</code>: <q>{_e(r.quote)}</q></p>'
            f"<p><b>{REPORTED_LABEL}:</b> {_e(r.reported)} {_e(r.unit)}<br>"
            f"<b>source / pipeline:</b> {_e(r.reproduced)}<br>"
            f"<b>evidence tier:</b> {_e(r.evidence_tier)}<br>"
            f"<b>evidence:</b> {_links_html(r.evidence)}<br>"
            f"<b>note:</b> {_e(r.note)}</p></div>"
        )
    parts += _filters_html(counts, len(audit))
    head = [
        "claim",
        "section",
        "quote",
        "kind",
        REPORTED_LABEL,
        "reproduced / reference",
        "status",
        "tier",
        "method",
        "evidence",
        "note",
    ]
    claims = list(audit.itertuples(index=False))
    rows = [
        (
            f"<code>{_e(r.claim_id)}</code>",
            _e(r.section),
            f'<div class="q">{_e(r.quote)}</div>',
            _e(r.kind),
            f"{_e(r.reported)} {_e(r.unit)}",
            _traced(r.reproduced, r.claim_id, made),
            f'<span class="st {_e(r.status)}">{_e(STATUS_LABEL[r.status])}</span>',
            _e(r.evidence_tier),
            _e(r.method),
            _links_html(r.evidence),
            _e(r.note),
        )
        for r in claims
    ]
    row_attrs = [
        f' id="{_e(r.claim_id)}" data-status="{_e(r.status)}" data-tier="{_e(r.evidence_tier)}"'
        for r in claims
    ]
    parts.append(html_table(head, rows, table_attrs=' id="claims"', row_attrs=row_attrs))
    parts += [f"<script>{_JS}</script>", "</body></html>"]
    return "\n".join(parts) + "\n"
