"""Safe retries: a write sent again with the same ``Idempotency-Key`` gets the first answer, written once.

The key is per user. The first successful answer (status and body) is stored in the same transaction
as the write it answers, so either both are committed or neither is. A retry with the same key and the
same request (method, path and body) gets that answer again and writes nothing; the same key with a
different request is refused with 422. Two copies racing each other meet the unique (user, key)
constraint: the loser rolls back and replays the winner's answer. Keys are kept for a day
(:data:`KEEP`), pruned whenever a new one is stored. Failed requests are not stored: they wrote
nothing, so a retry simply runs again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Header, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from needling.clinic import services as S
from needling.clinic.models import IdempotencyRecord, User
from needling.clinic.transactions import held

#: How long a key is remembered.
KEEP = timedelta(days=1)
HEADER = "Idempotency-Key"

#: The optional header: 1-200 visible ASCII characters (a UUID is the usual choice).
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Optional: a retry with the same key gets the first answer and writes nothing twice (kept 1 day).",
    ),
]


def request_hash(request: Request, body: BaseModel) -> str:
    """SHA-256 of the method, the path and the body as canonical JSON."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{request.method} {request.url.path}\n{canonical}".encode()).hexdigest()


class Idempotent:
    """One write endpoint call, with or without a key.

    Parameters
    ----------
    db : Session
    user : User
        Keys are per user: another user's identical key is another key.
    key : str or None
        The ``Idempotency-Key`` header; without it the call is an ordinary write.
    request : Request
    body : BaseModel
        The validated request body.
    """

    def __init__(self, db: Session, user: User, key: str | None, request: Request, body: BaseModel) -> None:
        self.db, self.user, self.key = db, user, key
        self.hash = request_hash(request, body) if key is not None else ""
        self.path = request.url.path

    def _stored(self) -> IdempotencyRecord | None:
        return self.db.scalars(
            select(IdempotencyRecord).where(
                IdempotencyRecord.user_id == self.user.id,
                IdempotencyRecord.key == self.key,
                IdempotencyRecord.created >= S.now() - KEEP,
            )
        ).first()

    def _answer(self, record: IdempotencyRecord) -> JSONResponse:
        if record.request_hash != self.hash:
            raise HTTPException(
                status_code=422,
                detail=[
                    {
                        "loc": ["header", HEADER],
                        "msg": f"{HEADER} was already used for a different request; send a new key for a new request",
                        "type": "value_error",
                    }
                ],
            )
        S.audit(self.db, self.user, "read", "idempotency", record.id, f"replayed {self.path}")
        self.db.commit()
        return JSONResponse(record.response, status_code=record.status_code, headers={"Idempotent-Replayed": "true"})

    def replay(self) -> JSONResponse | None:
        """The stored answer if this key was used before (422 if for another request), else None."""
        if self.key is None:
            return None
        record = self._stored()
        return self._answer(record) if record is not None else None

    def run(self, write: Callable[[], tuple[int, Any]]) -> Any:
        """Replay a stored answer, or do ``write`` (giving status and content) and store its answer with it.

        The write's operations commit together with the stored answer, so a retry never finds one without
        the other.
        """
        if (replayed := self.replay()) is not None:
            return replayed
        with held(self.db):
            status_code, content = write()
            self.db.flush()
        return self.finish(status_code, content)

    def finish(self, status_code: int, content: Any) -> Any:
        """Store the answer with the write and commit; if a racing copy committed first, replay its answer."""
        if self.key is None:
            self.db.commit()
            return content
        self.db.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created < S.now() - KEEP))
        self.db.add(
            IdempotencyRecord(
                user_id=self.user.id,
                key=self.key,
                request_hash=self.hash,
                status_code=status_code,
                response=jsonable_encoder(content),
                created=S.now(),
            )
        )
        try:
            self.db.commit()
        except IntegrityError:
            self.db.rollback()  # the racing copy's write stands; ours is undone as a whole
            record = self._stored()
            if record is None:
                raise
            return self._answer(record)
        return content
