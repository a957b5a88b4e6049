"""`python -m reader` runs the presscheck command line."""

from reader.cli import main

raise SystemExit(main())
