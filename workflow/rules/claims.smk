# claims rules: see README.md, "Layout".
