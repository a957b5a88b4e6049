"""Errors a user can act on: the CLI prints them as one line and exits 1."""


class UserError(Exception):
    """A problem the user can fix; its message names the file and what to do."""


class DatabaseError(UserError):
    """The annotation database cannot be read or written safely."""


class IngestError(UserError):
    """A file or text cannot be opened as an article."""
