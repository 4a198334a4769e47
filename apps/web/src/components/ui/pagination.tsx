import { Button } from './button';

export function Pagination({
  page,
  totalPages,
  onPage,
  disabled = false,
}: {
  page: number;
  totalPages: number;
  onPage: (page: number) => void;
  disabled?: boolean;
}) {
  if (totalPages <= 1 && page <= 1) return null;
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3">
      <Button variant="secondary" onClick={() => onPage(page - 1)} disabled={disabled || page <= 1}>
        Previous page
      </Button>
      <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
        Page {page} of {Math.max(totalPages, page)}
      </p>
      <Button
        variant="secondary"
        onClick={() => onPage(page + 1)}
        disabled={disabled || page >= totalPages}
      >
        Next page
      </Button>
    </nav>
  );
}
