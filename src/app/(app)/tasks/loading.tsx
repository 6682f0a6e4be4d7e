import { TaskListSkeleton } from '@/components/tasks/task-list-states';
import { card } from '@/components/ui/styles';

/** Shown while the server reads the first page (navigations into /tasks). */
export default function LoadingTasks() {
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Tasks</h1>
      <div className={`${card} overflow-hidden`}>
        <div className="h-[4.75rem] border-b border-zinc-200 dark:border-zinc-800" />
        <TaskListSkeleton />
      </div>
    </>
  );
}
