"""Captions and column selections of the tables the article renders, keyed by table name.

A results table without an entry here is rendered with all its columns under their own names.
"""

from __future__ import annotations

from kzopen.core.tables import TableSpec

REPORTED = "Reported in the article; verification status from the project's claim review."

TABLE_SPECS: dict[str, TableSpec] = {
    "table1_legislation": TableSpec(
        name="table1_legislation",
        caption="Legislative framework on budget openness as listed in the article (Table 1).",
        columns={
            "legal_act": "Legal act",
            "clauses_reported": "Clauses (as reported)",
            "verification_status": "Status",
            "verification_note": "What the review found",
        },
        note=REPORTED,
    ),
    "table2_website_criteria": TableSpec(
        name="table2_website_criteria",
        caption="Website criteria and findings as listed in the article (Table 2).",
        columns={
            "criterion_reported": "Criterion (as printed)",
            "finding_reported": "Finding (as reported)",
            "items_reported": "Items",
            "verification_status": "Status",
            "verification_note": "What the review found",
        },
        note=REPORTED,
    ),
    "corrections": TableSpec(
        name="corrections",
        caption="Corrections to the printed article: claims that differ from the data or are "
        "contradicted by an authoritative source.",
        columns={
            "claim_id": "Claim",
            "printed_wording": "Printed wording",
            "printed_value": "Printed value",
            "corrected_value": "Value from data or source",
            "source": "Source",
            "suggested_correction": "Suggested correction",
        },
        note="Suggested sentences are filled from a fixed template (kzopen.claims_corrections).",
    ),
    "indicator_catalogue": TableSpec(
        name="indicator_catalogue",
        caption="Indicators ingested from the open country indices.",
        columns={
            "source": "Source",
            "indicator_label": "Indicator",
            "scale_min": "Scale min",
            "scale_max": "Scale max",
            "first_year": "First year",
            "last_year": "Last year",
            "n_countries": "Countries",
        },
    ),
}


def spec_for(name: str) -> TableSpec:
    return TABLE_SPECS.get(name, TableSpec(name=name, caption=name.replace("_", " ").capitalize()))
