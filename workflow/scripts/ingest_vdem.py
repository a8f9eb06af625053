"""Snakemake adapter: V-Dem's R data + codebook -> tidy index table, categories, labels."""

from kzopen.adapter import run
from kzopen.ingest.vdem import read_codebook, read_vdem
from kzopen.io import write_csv, write_parquet


def main(sm):
    codebook = read_codebook(sm.input.codebook)
    table, categories = read_vdem(sm.input.data, codebook)
    write_parquet(table, sm.output.table)
    write_parquet(categories, sm.output.categories)
    write_csv(codebook, sm.output.codebook)


run(snakemake, main)
