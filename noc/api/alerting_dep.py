"""How API routes reach the alerting service the composition root put on ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from alerting.service import AlertingService
from noc.store.events import AlreadyExistsError, LifecycleError, NotFoundError


def get_alerting(request: Request) -> AlertingService:
    service: AlertingService | None = getattr(request.app.state, "alerting", None)
    if service is None:
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="alerting is not running in this process",
        )
    return service


AlertingDep = Annotated[AlertingService, Depends(get_alerting)]


def store_error(err: Exception) -> HTTPException:
    """A store refusal as an HTTP answer: 404 for a missing record, 409 for a wrong step or a
    name already taken."""
    if isinstance(err, NotFoundError):
        return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=str(err))
    if isinstance(err, LifecycleError | AlreadyExistsError):
        return HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(err))
    raise err
