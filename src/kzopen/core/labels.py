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
    "vdem": "V-Dem Institute, Varieties of Democracy",
    # the other sources of the data manifest
    "article": "The re-examined article: its text and the project's transcriptions of its claims,"
    " tables and outside evidence",
    "country_groups": "Country groups: country_converter's table with the project's CIS coding",
    "kz_bns_regions": "Bureau of National Statistics of Kazakhstan, regional population",
    "portal_units": "The article's portal units (project table)",
}
# Short names of the publishers, for figure labels where the full name does not fit.
SHORT_SOURCES = {
    "ti_cpi": "TI",
    "wb_wgi": "World Bank",
    "ibp_open_budget_survey": "IBP",
    "un_egov_survey": "UN DESA",
    "wjp_rule_of_law": "WJP",
    "freedom_house_fiw": "Freedom House",
    "vdem": "V-Dem",
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
# Indicators as running text names them ("source/indicator"): the catalogue's labels carry the
# publisher's item codes ("C3.", "Factor 3:"), which read as identifiers in a sentence.
INDICATORS = {
    "freedom_house_fiw/c3_openness_transparency": "openness and transparency of government"
    " (Freedom House)",
    "ti_cpi/cpi_score": "the Corruption Perceptions Index",
    "un_egov_survey/epi": "e-participation (UN E-Government Survey)",
    "wb_wgi/cc": "control of corruption (Worldwide Governance Indicators)",
    "wb_wgi/va": "voice and accountability (Worldwide Governance Indicators)",
    "wjp_rule_of_law/f3_open_government": "open government (World Justice Project)",
    "ibp_open_budget_survey/budget_transparency": "budget transparency (Open Budget Survey)",
    "vdem/v2xel_locelec": "the local government index (V-Dem)",
    "vdem/v2xel_regelec": "the regional government index (V-Dem)",
}
KINDS = {"source": SOURCES, "group": GROUPS, "indicator": INDICATORS}
# Table columns whose cells are identifiers of one kind.
COLUMNS = {"source": "source", "group": "group", "group_a": "group", "group_b": "group"}


def label(kind: str, code: object) -> str:
    """The human name of ``code`` (the code itself when the table has no entry)."""
    return KINDS[kind].get(str(code), str(code))


def indicator_name(source: str, indicator: str, fallback: str) -> str:
    """The running-text name of an indicator (``fallback``, the catalogue label, if none)."""
    return INDICATORS.get(f"{source}/{indicator}", fallback)
