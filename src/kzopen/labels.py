"""Human names of sources, groups and identifiers: the one label table for everything a reader
of the printed manuscript sees (tables, prose, figure text). Code identifiers stay in results
files and in the HTML edition's provenance."""

from __future__ import annotations

SOURCES = {
    "ti_cpi": "Transparency International, Corruption Perceptions Index",
    "wb_wgi": "World Bank, Worldwide Governance Indicators",
    "ibp_open_budget_survey": "International Budget Partnership, Open Budget Survey",
    "un_egov_survey": "UN DESA, E-Government Survey",
    "wjp_rule_of_law": "World Justice Project, Rule of Law Index",
    "freedom_house_fiw": "Freedom House, Freedom in the World",
}
GROUPS = {
    "cis": "CIS members in the year",
    "cis_ever": "CIS, ever members",
    "central_asia": "Central Asia",
    "europe": "Europe (UN M49 and Kosovo, non-CIS)",
    "europe_no_kosovo": "Europe (UN M49, non-CIS)",
    "eu27": "EU-27",
    "coe": "Council of Europe (non-CIS)",
}
KINDS = {"source": SOURCES, "group": GROUPS}
# Table columns whose cells are identifiers of one kind.
COLUMNS = {"source": "source", "group": "group", "group_a": "group", "group_b": "group"}


def label(kind: str, code: object) -> str:
    """The human name of ``code`` (the code itself when the table has no entry)."""
    return KINDS[kind].get(str(code), str(code))
