"""HTTP content negotiation (RFC 9110, section 12.5.1): pick the offered media type an Accept header prefers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _ranges(accept: str) -> list[_Range]:
    ranges = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        kind, _, sub = media.partition("/")
        ranges.append(_Range(kind, sub, q, order))
    return ranges


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers: highest q-value of its most specific matching range, ties broken
    by the order of ``offers`` (the server's preference). No or an empty Accept takes the first offer;
    None when the client accepts none of them (answer 406)."""
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = _ranges(accept)
    if not ranges:
        return offers[0] if offers else None
    best, best_q = None, 0.0
    for offer in offers:
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        q = max(matching, key=lambda r: (r.specificity, -r.order)).q
        if q > best_q:
            best, best_q = offer, q
    return best

