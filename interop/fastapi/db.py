from datetime import datetime
from typing import Optional

from psycopg2 import errors as pg_errors
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Field, Session, SQLModel, create_engine

from config import DATABASE_URL


class TaskCreate(SQLModel):
    title: str = Field(min_length=1, max_length=255)
    description: Optional[str] = Field(default=None, max_length=10000)


class TaskUpdate(TaskCreate):
    # Not in seed 002, whose PUT only replaces title and description: Tasklane's clients send
    # `completed` in PUT bodies too (seed 002's own updateTask does).
    completed: Optional[bool] = None


class Task(SQLModel, table=True):
    # Prefixed: the fixture may share a database with Tasklane's own `tasks` table.
    __tablename__ = "interop_task"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: str = Field(index=True, max_length=255)
    title: str = Field(max_length=255)
    description: Optional[str] = Field(default=None, max_length=10000)
    completed: bool = Field(default=False)
    # Naive UTC, as the seeds write it (datetime.utcnow): the JSON carries no offset.
    created_at: datetime = Field(default_factory=datetime.utcnow)
    updated_at: datetime = Field(default_factory=datetime.utcnow)


class TaskResponse(SQLModel):
    id: int
    user_id: str
    title: str
    description: Optional[str]
    completed: bool
    created_at: datetime
    updated_at: datetime


engine = create_engine(DATABASE_URL)

# Any fixed number: it serialises table creation between fixtures starting side by side.
_SCHEMA_LOCK = 7_261_001


def _create_database_if_missing() -> None:
    url = make_url(DATABASE_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}).first()
            if found:
                return
            try:
                conn.execute(text(f"CREATE DATABASE {conn.dialect.identifier_preparer.quote(url.database)}"))
            except DBAPIError as error:
                # Another fixture created it between our check and our CREATE.
                if not isinstance(error.orig, (pg_errors.DuplicateDatabase, pg_errors.UniqueViolation)):
                    raise
    finally:
        admin.dispose()


def create_db_and_tables() -> None:
    _create_database_if_missing()
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        SQLModel.metadata.create_all(conn)


def get_session():
    with Session(engine) as session:
        yield session
