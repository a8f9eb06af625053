# Provenance report: `snakemake --report build/article/report.html` (make report). Every
# figure and results table wrapped in report() appears with its .rst caption; this file sets
# the report's front-page description.


report: "../report/workflow.rst"
