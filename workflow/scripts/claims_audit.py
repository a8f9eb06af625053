"""Snakemake adapter: claims registry + outside facts + reference values -> claims audit."""

from kzopen.claims.audit import audit_claims, check_audit, summarise
from kzopen.claims.registry import check_quotes, read_article_text, read_claims, read_outside_facts
from kzopen.core.io import read_results, write_csv
from kzopen.pipeline.adapter import run


def main(sm):
    claims = read_claims(sm.input.claims)
    check_quotes(claims, read_article_text(sm.input.text), sm.input.claims)
    facts = read_outside_facts(sm.input.facts, claims)
    refs = read_results(sm.input.reference)
    refs["consistent"] = refs["consistent"].astype("boolean")
    portal = read_results(sm.input.portal) if sm.input.portal else None
    audit = audit_claims(
        claims,
        facts,
        refs,
        portal,
        sm.params.grim_max_n,
        facts_path=sm.input.facts,
        refs_path=sm.input.reference,
        portal_path=str(sm.input.portal),
    )
    check_audit(audit, sm.output.audit)
    write_csv(audit, sm.output.audit)
    write_csv(summarise(audit), sm.output.summary)


run(snakemake, main)
