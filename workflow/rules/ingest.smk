# Ingest: each vendored publisher file -> one validated tidy table; then one combined
# long table of all country indices (data/processed/indices.parquet).

# Raw files of each index source, below data/raw/ (config ingest.files); V-Dem's R data and
# codebook (config ingest.vdem) have a rule of their own.
FILE_SOURCES = config["ingest"]["files"]
VDEM_FILES = config["ingest"]["vdem"]
INDEX_SOURCES = {**FILE_SOURCES, "vdem": [VDEM_FILES["data"], VDEM_FILES["codebook"]]}


rule ingest_index:
    input:
        raw=lambda wc: [raw(p) for p in FILE_SOURCES[wc.source]],
        code=script_code("ingest_index.py"),
    output:
        table="data/processed/indices/{source}.parquet",
    log:
        "logs/ingest_index/{source}.log",
    wildcard_constraints:
        source="|".join(FILE_SOURCES),
    conda:
        CONDA_ENV
    params:
        # renamed columns or sheets of a new release (config ingest.column_map)
        column_map=lambda wc: config["ingest"]["column_map"].get(wc.source, {}),
    script:
        "../scripts/ingest_index.py"


rule ingest_vdem:
    input:
        data=raw(VDEM_FILES["data"]),
        codebook=raw(VDEM_FILES["codebook"]),
        code=script_code("ingest_vdem.py"),
    output:
        table="data/processed/indices/vdem.parquet",
        categories="data/processed/vdem_categories.parquet",
        codebook="results/vdem_codebook.csv",
    log:
        "logs/ingest_vdem.log",
    conda:
        CONDA_ENV
    script:
        "../scripts/ingest_vdem.py"


rule ingest_country_groups:
    input:
        raw=raw("groups/country_groups.csv"),
        code=script_code("ingest_country_groups.py"),
    output:
        table="data/processed/country_groups.parquet",
    log:
        "logs/ingest_country_groups.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    script:
        "../scripts/ingest_country_groups.py"


rule ingest_kz_population:
    input:
        raw=raw("indices/kz_bns_regions/population_avg_by_region_total_2009_2025.csv"),
        code=script_code("ingest_kz_population.py"),
    output:
        table="data/processed/kz_region_population.parquet",
    log:
        "logs/ingest_kz_population.log",
    conda:
        CONDA_ENV
    resources:
        mem_mb=500,
    script:
        "../scripts/ingest_kz_population.py"


rule combine_indices:
    input:
        tables=expand(rules.ingest_index.output.table, source=sorted(INDEX_SOURCES)),
        groups=rules.ingest_country_groups.output.table,
        code=script_code("ingest_combine_indices.py"),
    output:
        indices="data/processed/indices.parquet",
        catalogue="results/indicator_catalogue.csv",
    log:
        "logs/combine_indices.log",
    conda:
        CONDA_ENV
    params:
        dropped_codes=config["ingest"]["dropped_codes"],
        # named in error messages: an unknown code is fixed in the raw file, not the table
        raw_files={s: [raw(p) for p in INDEX_SOURCES[s]] for s in sorted(INDEX_SOURCES)},
    script:
        "../scripts/ingest_combine_indices.py"


final_outputs += [
    rules.combine_indices.output.indices,
    rules.combine_indices.output.catalogue,
    rules.ingest_kz_population.output.table,
]
