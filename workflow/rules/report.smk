# report rules: see README.md, "Layout".
