/** Pages other code sends people to. */

/** The task list: home for a signed-in person, and where signing in leads unless `next` says otherwise. */
export const TASKS_PAGE = '/tasks';
