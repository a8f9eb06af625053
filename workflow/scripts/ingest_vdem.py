"""Snakemake adapter: V-Dem's R data + codebook -> tidy index table, categories, labels."""

from kzopen.core.io import write_csv, write_parquet
from kzopen.ingest.vdem import read_codebook, read_vdem
from kzopen.pipeline.adapter import run


def main(sm):
    codebook = read_codebook(sm.input.codebook)
    table, categories = read_vdem(sm.input.data, codebook)
    write_parquet(table, sm.output.table)
    write_parquet(categories, sm.output.categories)
    write_csv(codebook, sm.output.codebook)


run(snakemake, main)
