export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl px-6 py-16">
      <h1 className="text-3xl font-semibold tracking-tight">Tasklane</h1>
      <p className="mt-4 text-zinc-600 dark:text-zinc-400">
        A multi-user task manager. The web app is on its way; the API is ready today.
      </p>
      <ul className="mt-8 space-y-2 text-sm">
        <li>
          <code>POST /api/auth/sign-up/email</code> and <code>/api/auth/sign-in/email</code>: an account and a session
        </li>
        <li>
          <code>GET /api/auth/token</code>: a JWT for API clients
        </li>
        <li>
          <code>/api/me/tasks</code>: the task API (Bearer token), or <code>/api/proxy/me/tasks</code> from this site
        </li>
        <li>
          <code>GET /api/openapi.json</code>: the task API, described
        </li>
        <li>
          <code>GET /api/health</code>: whether the database answers
        </li>
      </ul>
    </main>
  );
}
