"""User administration services; account rules live in tracker.accounts.services."""

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.extensions import db


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.username)))
