"""Each widget of reader/widgets alone in a tiny host app (a package, so that its test
modules may share names with tests/app's, which drive the whole app)."""
