import type { TaskDto } from '@/lib/api/task-schemas';
import type { Task } from '@/server/db/schema';

export function toTaskDto(task: Task): TaskDto {
  return {
    id: task.id,
    user_id: task.userId,
    title: task.title,
    description: task.description,
    completed: task.completed,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
  };
}
