import type { ReactNode } from 'react';
import { card } from '@/components/ui/styles';

/** One section of /settings: a titled card, named by its heading for assistive technology; `id` is its link target (/settings#reminders). */
export function SettingsSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className={`${card} flex flex-col gap-4 p-4 sm:p-6`}>
      <h2 id={`${id}-heading`} className="text-lg font-semibold tracking-tight">
        {title}
      </h2>
      {children}
    </section>
  );
}
