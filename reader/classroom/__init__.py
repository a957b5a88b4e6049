"""Classroom exercises: packs of articles with instructions, tags and a key. No UI."""
