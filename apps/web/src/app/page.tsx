import { ApiStatusCard } from '../components/api-status-card';

export default function HomePage() {
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-4 py-10 sm:py-16">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Full-stack starter</h1>
        <p className="text-slate-600 dark:text-slate-400">
          A Next.js web app and a NestJS API with PostgreSQL, sharing typed contracts in one
          monorepo.
        </p>
      </header>
      <ApiStatusCard />
    </main>
  );
}
