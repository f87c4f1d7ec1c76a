"""The data version: one row whose number changes in every transaction that changes the portfolio's data."""

from sqlalchemy import DDL, BigInteger, event
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db

THE_ROW_ID = 1


class DataVersion(db.Model):
    """The one row (id 1) holding the data version every cached read is keyed by."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


# create_all (tests, `bench`) gets the row as the migration does.
event.listen(
    DataVersion.__table__,
    "after_create",
    DDL(f"INSERT INTO data_version (id, version) VALUES ({THE_ROW_ID}, 1)"),
)
