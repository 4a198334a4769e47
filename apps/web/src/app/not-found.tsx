import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-md flex-col items-start gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="text-slate-600 dark:text-slate-400">There is no page at this address.</p>
      <Link href="/" className={buttonClasses('primary')}>
        Go to the home page
      </Link>
    </div>
  );
}
