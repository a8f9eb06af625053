"""Readers of the vendored publisher files (rules in workflow/rules/ingest.smk).

One module per source (:mod:`~kzopen.ingest.cpi`, ``wgi``, ``obs``, ``egov``, ``wjp``, ``fiw``,
``kz_population``, ``country_groups``), the validation helpers they share
(:mod:`~kzopen.ingest.common`), the dispatch by source name (:mod:`~kzopen.ingest.sources`) and
the long index table they are combined into (:mod:`~kzopen.ingest.combine`).
"""
