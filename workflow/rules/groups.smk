# groups rules: see README.md, "Layout".
