"""Every servicedesk.v1 message and enum, from the generated _pb2 modules."""

from .proto.common_pb2 import *  # noqa: F401,F403
from .proto.org_pb2 import *  # noqa: F401,F403
from .proto.audit_pb2 import *  # noqa: F401,F403
from .proto.calendar_pb2 import *  # noqa: F401,F403
from .proto.sla_pb2 import *  # noqa: F401,F403
from .proto.requests_pb2 import *  # noqa: F401,F403
from .proto.c_api_pb2 import *  # noqa: F401,F403
