"""Portal satisfaction and regional dissatisfaction (rules in workflow/rules/portal.smk).

:mod:`~kzopen.portal.survey` (the inputs: units, reported percentages, counts, respondents),
:mod:`~kzopen.portal.grim` (GRIM, the one implementation), :mod:`~kzopen.portal.counts` (tests
on counts), :mod:`~kzopen.portal.conditional` (analyses without n, power),
:mod:`~kzopen.portal.analysis` (all results tables), :mod:`~kzopen.portal.settings`,
:mod:`~kzopen.portal.plots`.
"""
