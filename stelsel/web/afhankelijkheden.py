"""Request dependencies as annotated types, so a route names what it needs in one word instead
of repeating `= Depends(...)` in every signature:

    def route(id: uuid.UUID, session: Sessie) -> ...

The caller's identity lives with accounts (stelsel.accounts.deps); this module holds only what
every domain shares below it."""

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from stelsel.web.deps import get_session

Sessie = Annotated[Session, Depends(get_session)]
