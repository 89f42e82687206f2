"""Dependencies injected into routes (tests override ``get_session``)."""

from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from api.db import get_session
from api.settings import Settings, get_settings

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
