"""Exports of annotations to files other tools read. No UI."""
