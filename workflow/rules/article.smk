# article rules: see README.md, "Layout".
