# portal rules: see README.md, "Layout".
