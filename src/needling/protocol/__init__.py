"""Treatment series as readable steps ("Roll 1.5 mm, 15 passes", "Wait 4 weeks")."""

from needling.protocol.series import Protocol, Session, parse_protocol_file, protocol_from_dict, short_protocol
from needling.protocol.steps import (
    PRP,
    VALID_FORMS,
    Apply,
    Minoxidil,
    Needle,
    Peel,
    Step,
    Subcision,
    Wait,
    describe,
    parse_step,
)

__all__ = [
    "PRP",
    "VALID_FORMS",
    "Apply",
    "Minoxidil",
    "Needle",
    "Peel",
    "Protocol",
    "Session",
    "Step",
    "Subcision",
    "Wait",
    "describe",
    "parse_protocol_file",
    "parse_step",
    "protocol_from_dict",
    "short_protocol",
]
