"""Shared building blocks below every domain and the article: errors, atomic I/O, number
formatting, tables, labels, figure style, the pandoc wrapper. Imports nothing else of kzopen."""
