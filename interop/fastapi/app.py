"""A FastAPI task service as the seed documents write it, for Tasklane's interoperability tests.

Handlers are plain `def` (the seeds write `async def`): their database and key-set calls block,
and FastAPI runs plain functions in its thread pool instead of on the event loop.
"""

from datetime import datetime
from typing import List

from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from sqlmodel import Session, select

from auth import verify_user_id_match
from db import Task, TaskCreate, TaskResponse, TaskUpdate, create_db_and_tables, get_session

# Collection routes at "" rather than the seed's "/": "/api/{user_id}/tasks" then answers
# directly instead of through a 307 to the trailing-slash URL.
router = APIRouter(prefix="/api/{user_id}/tasks", tags=["tasks"])


def _find_task(session: Session, user_id: str, task_id: int) -> Task:
    task = session.exec(select(Task).where(Task.id == task_id, Task.user_id == user_id)).first()
    if not task:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Task not found")
    return task


def _save(session: Session, task: Task) -> Task:
    session.add(task)
    session.commit()
    session.refresh(task)
    return task


@router.get("", response_model=List[TaskResponse])
def list_tasks(
    user_id: str = Depends(verify_user_id_match),
    session: Session = Depends(get_session),
):
    return session.exec(select(Task).where(Task.user_id == user_id).order_by(Task.id.desc())).all()


@router.post("", response_model=TaskResponse, status_code=status.HTTP_201_CREATED)
def create_task(
    task_data: TaskCreate,
    user_id: str = Depends(verify_user_id_match),
    session: Session = Depends(get_session),
):
    task = Task(user_id=user_id, title=task_data.title, description=task_data.description, completed=False)
    return _save(session, task)


@router.get("/{task_id}", response_model=TaskResponse)
def get_task(
    task_id: int,
    user_id: str = Depends(verify_user_id_match),
    session: Session = Depends(get_session),
):
    return _find_task(session, user_id, task_id)


@router.put("/{task_id}", response_model=TaskResponse)
def update_task(
    task_id: int,
    task_data: TaskUpdate,
    user_id: str = Depends(verify_user_id_match),
    session: Session = Depends(get_session),
):
    task = _find_task(session, user_id, task_id)
    task.title = task_data.title
    task.description = task_data.description
    if task_data.completed is not None:
        task.completed = task_data.completed
    task.updated_at = datetime.utcnow()
    return _save(session, task)


@router.delete("/{task_id}")
def delete_task(
    task_id: int,
    user_id: str = Depends(verify_user_id_match),
    session: Session = Depends(get_session),
):
    task = _find_task(session, user_id, task_id)
    session.delete(task)
    session.commit()
    return {"success": True, "message": "Task deleted successfully"}


@router.patch("/{task_id}/complete", response_model=TaskResponse)
def toggle_task_completion(
    task_id: int,
    user_id: str = Depends(verify_user_id_match),
    session: Session = Depends(get_session),
):
    task = _find_task(session, user_id, task_id)
    task.completed = not task.completed
    task.updated_at = datetime.utcnow()
    return _save(session, task)


app = FastAPI(title="Tasklane interop: FastAPI task service")
app.include_router(router)


@app.on_event("startup")
def on_startup() -> None:
    create_db_and_tables()


@app.get("/health")
def health():
    return {"status": "ok"}
