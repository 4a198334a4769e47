import { ApiStatusCard } from '@/components/api-status-card';
import { HomeActions } from '@/components/layout/home-actions';

export default function HomePage() {
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Full-stack starter</h1>
        <p className="text-slate-600 dark:text-slate-400">
          A Next.js web app and a NestJS API with PostgreSQL, sharing typed contracts in one
          monorepo: accounts with MFA, notes that update live across tabs and devices, and a
          realtime room.
        </p>
        <HomeActions />
      </div>
      <ApiStatusCard />
    </div>
  );
}
