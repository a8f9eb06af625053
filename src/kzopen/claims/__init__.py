"""The claims audit (rules in workflow/rules/claims.smk).

:mod:`~kzopen.claims.registry` (the claim register and outside facts: vocabulary, readers),
:mod:`~kzopen.claims.references` (reference values computed from real data),
:mod:`~kzopen.claims.audit` (one status per claim), :mod:`~kzopen.claims.page` (the
reproducibility page), :mod:`~kzopen.claims.corrections` (corrections to the printed article).
"""
