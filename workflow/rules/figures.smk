# figures rules: see README.md, "Layout".
