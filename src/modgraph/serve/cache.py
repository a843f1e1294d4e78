"""Answers kept in memory: the catalogue does not change while it is served, so the same request
(path, parameters, negotiated media type) always gets the same bytes. Least recently used answers
leave first once the cache holds ``capacity`` bytes; an answer over a sixteenth of it is not kept."""

from __future__ import annotations

from collections import OrderedDict


class AnswerCache:
    """A byte-bounded LRU map from a request key to an answer (body, media type)."""

    def __init__(self, capacity: int = 64_000_000) -> None:
        self.capacity = capacity
        self.size = 0
        self._answers: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        """The answer kept for ``key``, or None."""
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple, body: bytes, media: str) -> None:
        """Keep an answer (if it is small enough), dropping the least recently used ones to make room."""
        if not self.capacity or len(body) > self.capacity // 16 or key in self._answers:
            return
        self._answers[key] = (body, media)
        self.size += len(body)
        while self.size > self.capacity:
            _, (old, _) = self._answers.popitem(last=False)
            self.size -= len(old)
