"""The regenerated article: values context, number formatting, tables, manuscript rendering.

Modules: :mod:`~kzopen.core.fmt` (all number formatting + the orphan-number check),
:mod:`~kzopen.core.tables` (CSV/Markdown/LaTeX/HTML renderers), :mod:`~kzopen.article.values`
(the named-values context), :mod:`~kzopen.article.template` (what the template can call),
:mod:`~kzopen.article.render` (Jinja2 -> Markdown -> pandoc HTML and Typst PDF), :mod:`~kzopen.article.specs` (table captions and columns),
:mod:`~kzopen.article.notebooks` (executing the exploratory notebooks),
:mod:`~kzopen.article.plots` (the article's own figures; plotting only).
"""
