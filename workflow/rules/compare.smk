# compare rules: see README.md, "Layout".
