"""Workflow plumbing: the Snakemake adapter, config, manifest, paths, code dependencies and
build lock. Imports only kzopen.core."""
