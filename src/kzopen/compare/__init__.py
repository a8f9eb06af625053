"""CIS versus Europe on the real indices (rules in workflow/rules/compare.smk).

:mod:`~kzopen.compare.stats` (the two-group tests, effect size, resampling),
:mod:`~kzopen.compare.tasks` (which comparisons, the families and their adjustment),
:mod:`~kzopen.compare.position` and :mod:`~kzopen.compare.rank_uncertainty` (Kazakhstan's rank),
:mod:`~kzopen.compare.trends`, :mod:`~kzopen.compare.robustness` (descriptive counts),
:mod:`~kzopen.compare.reported` (the article's averages, as claims),
:mod:`~kzopen.compare.figure_data` and :mod:`~kzopen.compare.plots` (figures: data, drawing),
:mod:`~kzopen.compare.mcerror` (Monte-Carlo error of the bootstrap bounds). results/summary.md
is rendered by the article layer (rule article_summary), from the article's values.
"""
