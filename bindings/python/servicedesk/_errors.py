"""Exceptions: one class per absl::StatusCode, all subclasses of Error."""

from __future__ import annotations


class Error(Exception):
    """A failed servicedesk call. `code` is the absl::StatusCode number,
    `code_name` its name ("NOT_FOUND", ...), `message` the library's text."""

    code = 2
    code_name = "UNKNOWN"

    def __init__(self, message: str = "", code: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.code_name}: {self.message}"


class Cancelled(Error):
    code, code_name = 1, "CANCELLED"


class Unknown(Error):
    code, code_name = 2, "UNKNOWN"


class InvalidArgument(Error, ValueError):
    code, code_name = 3, "INVALID_ARGUMENT"


class DeadlineExceeded(Error):
    code, code_name = 4, "DEADLINE_EXCEEDED"


class NotFound(Error, LookupError):
    code, code_name = 5, "NOT_FOUND"


class AlreadyExists(Error):
    code, code_name = 6, "ALREADY_EXISTS"


class PermissionDenied(Error, PermissionError):
    code, code_name = 7, "PERMISSION_DENIED"


class ResourceExhausted(Error):
    code, code_name = 8, "RESOURCE_EXHAUSTED"


class FailedPrecondition(Error):
    code, code_name = 9, "FAILED_PRECONDITION"


class Conflict(Error):
    """ABORTED: a stale record version (reload and retry) or a conflicting
    concurrent write."""

    code, code_name = 10, "ABORTED"


Aborted = Conflict


class OutOfRange(Error):
    code, code_name = 11, "OUT_OF_RANGE"


class Unimplemented(Error):
    code, code_name = 12, "UNIMPLEMENTED"


class Internal(Error):
    code, code_name = 13, "INTERNAL"


class Unavailable(Error):
    code, code_name = 14, "UNAVAILABLE"


class DataLoss(Error):
    code, code_name = 15, "DATA_LOSS"


class Unauthenticated(Error):
    code, code_name = 16, "UNAUTHENTICATED"


_BY_CODE = {
    cls.code: cls
    for cls in (Cancelled, Unknown, InvalidArgument, DeadlineExceeded, NotFound,
                AlreadyExists, PermissionDenied, ResourceExhausted,
                FailedPrecondition, Conflict, OutOfRange, Unimplemented,
                Internal, Unavailable, DataLoss, Unauthenticated)
}


def error_for(code: int, message: str) -> Error:
    cls = _BY_CODE.get(code)
    if cls is None:
        return Error(message, code)
    return cls(message)
