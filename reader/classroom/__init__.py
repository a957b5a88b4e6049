"""Classroom exercises: packs of articles with instructions, tags and a key (`pack`,
`pack_zip`, `pack_create`, `pack_check`), students' hand-ins (`handin`), and a class scored
against the key (`compare`: `submissions` → `matching` → `scores`, `agreement`, `heat`;
`report_formats`, `class_view`). No UI."""
