"""The printed precision of the article's numbers, apart from how they are printed.

:class:`kzopen.core.fmt.Formatter` takes its defaults from here. A compute rule that needs the
printed precision (the bootstrap intervals' stability at the printed decimals,
``compare.mcerror``) imports this module alone, so an edit to how a number prints
(``core/fmt.py``) reruns only the rules that render text.
"""

DECIMALS = 2  # numbers in running text and tables
P_DECIMALS = 3  # p-values
P_FLOOR = 0.001  # below it a p-value prints as "< .001"
