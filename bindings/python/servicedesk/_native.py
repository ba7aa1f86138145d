"""ctypes declarations of the servicedesk C ABI (servicedesk/c.h). Internal."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any, Callable, Optional

from . import _config

c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p
c_size_t = ctypes.c_size_t
c_int = ctypes.c_int
c_int64 = ctypes.c_int64
c_int32 = ctypes.c_int32

SD_FORMAT_PROTO = 0


class Buffer(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint8)), ("size", c_size_t)]


EVENT_CALLBACK = ctypes.CFUNCTYPE(None, c_void_p, c_size_t, c_void_p)

_LIB_NAME = "libservicedesk.so.0"


def _candidates() -> list:
    out = []
    env = os.environ.get("SERVICEDESK_LIBRARY")
    if env:
        out.append(env)
    here = os.path.dirname(os.path.abspath(__file__))
    out.append(os.path.join(here, _LIB_NAME))
    rel = getattr(_config, "LIBDIR_FROM_PACKAGE", "")
    if rel:
        out.append(os.path.normpath(os.path.join(here, rel, _LIB_NAME)))
    if _config.LIBDIR:
        out.append(os.path.join(_config.LIBDIR, _LIB_NAME))
    found = ctypes.util.find_library("servicedesk")
    if found:
        out.append(found)
    out.append(_LIB_NAME)  # the dynamic loader's search path
    return out


def _load() -> ctypes.CDLL:
    errors = []
    for path in _candidates():
        if os.path.isabs(path) and not os.path.exists(path):
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:  # try the next place
            errors.append(f"{path}: {e}")
    raise ImportError("servicedesk: cannot load libservicedesk.so.0 (" +
                      "; ".join(errors) + ")")


lib = _load()

_S = (c_char_p, c_size_t)  # a string or bytes in: pointer + length
_OUT = (ctypes.POINTER(Buffer),)
_DESK_ACTOR = (c_void_p,) + _S

# name -> argument types (every function returns an sd_status int).
_SIGNATURES = {
    "sd_clock_create": (ctypes.POINTER(c_void_p), c_int64),
    "sd_clock_destroy": (ctypes.POINTER(c_void_p),),
    "sd_clock_set": (c_void_p, c_int64),
    "sd_clock_advance": (c_void_p, c_int64),
    "sd_clock_now": (ctypes.POINTER(c_int64), c_void_p),
    "sd_desk_open": (ctypes.POINTER(c_void_p),) + _S + (c_void_p, c_int),
    "sd_desk_open_with_options":
        (ctypes.POINTER(c_void_p),) + _S + (c_void_p, c_int) + _S,
    "sd_desk_close": (ctypes.POINTER(c_void_p),),
    "sd_desk_now": (ctypes.POINTER(c_int64), c_void_p),
    "sd_center_create": _OUT + _DESK_ACTOR + _S,
    "sd_center_get": _OUT + _DESK_ACTOR + _S,
    "sd_center_get_by_code": _OUT + _DESK_ACTOR + _S,
    "sd_center_update": _OUT + _DESK_ACTOR + _S,
    "sd_center_deactivate": _OUT + _DESK_ACTOR + _S,
    "sd_center_list": _OUT + _DESK_ACTOR + _S,
    "sd_organization_create": _OUT + _DESK_ACTOR + _S + _S + _S,
    "sd_organization_get": _OUT + _DESK_ACTOR + _S,
    "sd_organization_update": _OUT + _DESK_ACTOR + _S,
    "sd_organization_deactivate": _OUT + _DESK_ACTOR + _S + _S,
    "sd_organization_list": _OUT + _DESK_ACTOR + _S,
    "sd_contact_create": _OUT + _DESK_ACTOR + _S,
    "sd_contact_get": _OUT + _DESK_ACTOR + _S,
    "sd_contact_update": _OUT + _DESK_ACTOR + _S,
    "sd_contact_deactivate": _OUT + _DESK_ACTOR + _S,
    "sd_contact_list": _OUT + _DESK_ACTOR + _S,
    "sd_staff_create": _OUT + _DESK_ACTOR + _S,
    "sd_staff_get": _OUT + _DESK_ACTOR + _S,
    "sd_staff_update": _OUT + _DESK_ACTOR + _S,
    "sd_staff_deactivate": _OUT + _DESK_ACTOR + _S,
    "sd_staff_list": _OUT + _DESK_ACTOR + _S,
    "sd_manager_reassign": _OUT + _DESK_ACTOR + _S + _S + _S,
    "sd_manager_current": _OUT + _DESK_ACTOR + _S,
    "sd_manager_at": _OUT + _DESK_ACTOR + _S + (c_int64,),
    "sd_manager_history": _OUT + _DESK_ACTOR + _S,
    "sd_manager_clients": _OUT + _DESK_ACTOR + _S + _S,
    "sd_event_list": _OUT + _DESK_ACTOR + (c_int64, c_size_t),
    "sd_event_subscribe": (ctypes.POINTER(c_int64), c_void_p, EVENT_CALLBACK,
                           c_void_p),
    "sd_event_unsubscribe": (c_void_p, c_int64),
    "sd_calendar_create": (ctypes.POINTER(c_void_p),) + _S + (c_int,),
    "sd_calendar_create_from_text": (ctypes.POINTER(c_void_p),) + _S,
    "sd_calendar_create_russia": (ctypes.POINTER(c_void_p),) + _S + _S +
                                 (c_int,),
    "sd_calendar_create_always_open": (ctypes.POINTER(c_void_p),),
    "sd_calendar_destroy": (ctypes.POINTER(c_void_p),),
    "sd_calendar_add": (ctypes.POINTER(c_int64), c_void_p, c_int64, c_int64),
    "sd_calendar_between": (ctypes.POINTER(c_int64), c_void_p, c_int64,
                            c_int64),
    "sd_calendar_is_open": (ctypes.POINTER(c_int), c_void_p, c_int64),
    "sd_calendar_next_opening": (ctypes.POINTER(c_int64), c_void_p, c_int64),
    "sd_calendar_spec": _OUT + (c_void_p, c_int),
    "sd_calendar_text_parse": _OUT + _S + (c_int,),
    "sd_calendar_text_format": _OUT + _S + (c_int,),
    "sd_calendar_russia_spec": _OUT + _S + _S + (c_int,),
    "sd_calendar_russia_years": (ctypes.POINTER(c_size_t),
                                 ctypes.POINTER(c_int32), c_size_t),
    "sd_stored_calendar_create": _OUT + _DESK_ACTOR + _S,
    "sd_stored_calendar_get": _OUT + _DESK_ACTOR + _S,
    "sd_stored_calendar_update": _OUT + _DESK_ACTOR + _S,
    "sd_stored_calendar_list": _OUT + _DESK_ACTOR + _S,
    "sd_stored_calendar_load": (ctypes.POINTER(c_void_p),) + _DESK_ACTOR + _S,
    "sd_sla_catalog": _OUT + (c_int,),
    "sd_sla_get_policy": _OUT + _DESK_ACTOR,
    "sd_sla_set_policy": _OUT + _DESK_ACTOR + _S,
    "sd_sla_resolve_targets": _OUT + _DESK_ACTOR + _S,
    "sd_sla_start_clocks": _OUT + _DESK_ACTOR + _S + _S + (c_int64,),
    "sd_sla_pause": _OUT + _DESK_ACTOR + _S + (c_int64,),
    "sd_sla_resume": _OUT + _DESK_ACTOR + _S + (c_int64,),
    "sd_sla_stop": _OUT + _DESK_ACTOR + _S + (c_int, c_int64),
    "sd_sla_recompute": _OUT + _DESK_ACTOR + _S + _S,
    "sd_sla_clocks": _OUT + _DESK_ACTOR + _S,
    "sd_sla_tick": _OUT + _DESK_ACTOR + (c_int64, c_size_t),
    "sd_request_open": _OUT + _DESK_ACTOR + _S,
    "sd_request_get": _OUT + _DESK_ACTOR + _S,
    "sd_request_list": _OUT + _DESK_ACTOR + _S,
    "sd_request_queue": _OUT + _DESK_ACTOR + _S + _S,
    "sd_request_assign_queued": _OUT + _DESK_ACTOR + _S,
    "sd_request_assign": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S + _S,
    "sd_request_start": _OUT + _DESK_ACTOR + _S + (c_int64,),
    "sd_request_wait_on_client": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_request_resume": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_request_respond": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_request_record_outcome": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_request_resolve": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_request_close": _OUT + _DESK_ACTOR + _S + (c_int64,),
    "sd_request_reopen": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_request_cancel": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_request_rate": _OUT + _DESK_ACTOR + _S + (c_int64, c_int) + _S,
    "sd_request_change_priority": _OUT + _DESK_ACTOR + _S + (c_int64, c_int),
    "sd_request_change_kind": _OUT + _DESK_ACTOR + _S + (c_int64, c_int),
    "sd_dialog_open": _OUT + _DESK_ACTOR + _S + _S,
    "sd_dialog_get": _OUT + _DESK_ACTOR + _S,
    "sd_dialog_list": _OUT + _DESK_ACTOR + _S,
    "sd_dialog_take": _OUT + _DESK_ACTOR,
    "sd_dialog_take_specific": _OUT + _DESK_ACTOR + _S,
    "sd_dialog_post": _OUT + _DESK_ACTOR + _S + _S,
    "sd_dialog_handover": _OUT + _DESK_ACTOR + _S + _S + _S,
    "sd_dialog_close": _OUT + _DESK_ACTOR + _S,
    "sd_dialog_position": _OUT + _DESK_ACTOR + _S,
    "sd_dialog_set_available": _OUT + _DESK_ACTOR + _S + (c_int,),
    "sd_dialog_presence": _OUT + _DESK_ACTOR + _S,
    "sd_installation_create": _OUT + _DESK_ACTOR + _S,
    "sd_installation_update": _OUT + _DESK_ACTOR + _S,
    "sd_installation_get": _OUT + _DESK_ACTOR + _S,
    "sd_installation_list": _OUT + _DESK_ACTOR + _S + _S,
    "sd_visit_schedule": _OUT + _DESK_ACTOR + _S,
    "sd_visit_complete": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_visit_cancel": _OUT + _DESK_ACTOR + _S + (c_int64,) + _S,
    "sd_visit_get": _OUT + _DESK_ACTOR + _S,
    "sd_visit_list": _OUT + _DESK_ACTOR + _S + _S,
    "sd_report_compliance": _OUT + _DESK_ACTOR + _S,
    "sd_report_compliance_csv": _OUT + _DESK_ACTOR + _S,
    "sd_report_backlog_csv": _OUT + _DESK_ACTOR + _S,
    "sd_report_to_csv": _OUT + _S + (c_int,),
    "sd_report_backlog_to_csv": _OUT + _S + (c_int,),
}

for _name, _args in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.argtypes = list(_args)
    _f.restype = c_int

lib.sd_version.argtypes = []
lib.sd_version.restype = c_char_p
lib.sd_last_error.argtypes = []
lib.sd_last_error.restype = c_char_p
lib.sd_buffer_free.argtypes = [ctypes.POINTER(Buffer)]
lib.sd_buffer_free.restype = None


def last_error() -> str:
    return lib.sd_last_error().decode("utf-8", "replace")


def take(buf: Buffer) -> bytes:
    """Copies a library-owned buffer's bytes and frees it."""
    try:
        if not buf.data or buf.size == 0:
            return b""
        return ctypes.string_at(buf.data, buf.size)
    finally:
        lib.sd_buffer_free(ctypes.byref(buf))


def s(value: Any, what: str = "argument") -> tuple:
    """A str/bytes argument as (pointer, length); InvalidArgument naming
    `what` for a str UTF-8 cannot carry (a lone surrogate)."""
    if value is None:
        return (None, 0)
    if isinstance(value, (bytearray, memoryview)):
        value = bytes(value)
    if not isinstance(value, (str, bytes)):
        from ._errors import InvalidArgument
        raise InvalidArgument(
            f"{what}: expected a str, got {type(value).__name__}")
    if isinstance(value, str):
        try:
            value = value.encode("utf-8")
        except UnicodeEncodeError as e:
            from ._errors import InvalidArgument
            raise InvalidArgument(
                f"{what}: is not valid Unicode text ({e.reason} at index "
                f"{e.start})") from None
    return (value, len(value))


def integer(value: Any, what: str, bits: int) -> int:
    """`value` as a signed `bits`-bit integer, or InvalidArgument naming
    `what`: ctypes and protobuf would wrap, truncate or raise their own
    errors."""
    from ._errors import InvalidArgument
    # bool is an int in Python, and a float would be truncated.
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise InvalidArgument(
            f"{what}: expected an integer, got {type(value).__name__}")
    value = value.__index__()
    if not -2**(bits - 1) <= value < 2**(bits - 1):
        raise InvalidArgument(f"{what}: {value} is out of range")
    return value


def count(value: Any, what: str, bits: int) -> int:
    """`value` as a non-negative `bits`-bit integer (a limit, a maximum), or
    InvalidArgument naming `what`."""
    n = integer(value, what, bits)
    if n < 0:
        from ._errors import InvalidArgument
        raise InvalidArgument(f"{what}: must not be negative, got {n}")
    return n


def enum_value(value: Any, enum: Any, prefix: str, what: str) -> int:
    """An enum argument: an int value or a (full or short, any case) name;
    None is the unspecified value (0)."""
    from ._errors import InvalidArgument
    if value is None:
        return 0
    if isinstance(value, str):
        name = value.upper()
        for candidate in (name, prefix + name):
            try:
                return enum.Value(candidate)
            except ValueError:
                pass
        raise InvalidArgument(
            f"{what}: unknown {enum.DESCRIPTOR.full_name} name {value!r}")
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise InvalidArgument(
            f"{what}: expected an int or a name, got {type(value).__name__}")
    return integer(value, what, 32)


def check(status: int) -> None:
    if status != 0:
        from ._errors import error_for
        raise error_for(status, last_error())


def call_out(fn: Callable[..., int], *args: Any) -> bytes:
    """Calls fn(&buffer, *args) and returns the buffer's bytes."""
    buf = Buffer()
    status = fn(ctypes.byref(buf), *args)
    data = take(buf)
    check(status)
    return data


def version() -> str:
    return lib.sd_version().decode()


def handle_out(fn: Callable[..., int], *args: Any) -> Optional[int]:
    """Calls fn(&handle, *args) and returns the handle."""
    h = c_void_p()
    check(fn(ctypes.byref(h), *args))
    return h.value
