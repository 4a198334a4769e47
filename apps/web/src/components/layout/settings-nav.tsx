'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const SETTINGS_SECTIONS = [
  { href: '/settings/profile', label: 'Profile' },
  { href: '/settings/account', label: 'Account' },
  { href: '/settings/sign-in', label: 'Sign-in methods' },
  { href: '/settings/password', label: 'Password' },
  { href: '/settings/sessions', label: 'Sessions' },
  { href: '/settings/mfa', label: 'Two-factor authentication' },
  { href: '/settings/api-keys', label: 'API keys' },
  { href: '/settings/security-activity', label: 'Security activity' },
] as const;

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings">
      <ul className="flex flex-wrap gap-1 md:flex-col">
        {SETTINGS_SECTIONS.map(({ href, label }) => (
          <li key={href} className="shrink-0">
            <Link
              href={href}
              aria-current={pathname === href ? 'page' : undefined}
              className="block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 aria-[current=page]:bg-sky-50 aria-[current=page]:text-sky-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-sky-950 dark:aria-[current=page]:text-sky-100"
            >
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
