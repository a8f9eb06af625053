"""What changed between two versions of the article, number by number.

``python -m kzopen.diff OLD NEW`` compares two built checkouts (or two
``results/article_values.json`` files); ``make diff BASE=<git ref>`` builds the working tree,
builds or reuses the version at ``BASE`` in ``.cache/diff/<commit>/`` and compares the two.
Both write ``build/article/changes.html`` (a self-contained page) and ``results/changes.csv``
(one row per change), most important first:

1. claim verdicts (``results/claims_audit.csv``);
2. article values whose *printed* text changed, grouped by the section that prints them
   (``build/article/article_placeholders.json`` says where and how each value is printed);
3. values that appeared or disappeared; changes to the wording of the text;
4. values that changed below their printed precision or are not printed;
5. table cells (the tables the article prints, ``results/*.csv``);
6. figures (a pixel difference, side by side, the changed region outlined);
7. the causes: configuration keys, raw files (by manifest checksum), code and templates.

See docs/changes.md.
"""

from kzopen.diff.changes import KINDS, Change, Comparison, compare_builds

__all__ = ["KINDS", "Change", "Comparison", "compare_builds"]
