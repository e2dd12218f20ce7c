"""Run arclint as ``python -m arclint``."""

from arclint.cli import main

main()
