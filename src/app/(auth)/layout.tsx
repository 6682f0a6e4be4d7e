import Link from 'next/link';
import type { ReactNode } from 'react';
import { Logo } from '@/components/site-header';
import { card, focusRing } from '@/components/ui/styles';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center px-4 py-10">
      <Link href="/" className={`mb-6 self-center rounded-md ${focusRing}`}>
        <Logo />
      </Link>
      <div className={`${card} p-5 sm:p-8`}>{children}</div>
    </main>
  );
}
