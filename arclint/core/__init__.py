"""The bottom layer: what every stage needs (values, documents, file access and path display, limits, the
recursion guard, errors). Nothing here imports another part of arclint."""
