"""kzopen: a reproducible re-examination of an article on the transparency and openness
of local self-government in Kazakhstan (Bulletin NAS RK, 2024).

The package holds pure, typed functions; ``workflow/scripts`` are thin Snakemake adapters.
"""

__version__ = "0.1.0"
