import { type Strength } from './strength';

const LEVELS = [
  { label: 'Very weak', bar: 'bg-red-600' },
  { label: 'Weak', bar: 'bg-orange-500' },
  { label: 'Fair', bar: 'bg-amber-400' },
  { label: 'Good', bar: 'bg-lime-600' },
  { label: 'Strong', bar: 'bg-emerald-600' },
] as const;

/**
 * The strength meter under a new-password field: a bar of four segments, and in words the level
 * and the estimator's advice, announced politely as they change (the colours only repeat the words).
 */
export function PasswordStrength({ strength }: { strength: Strength | null }) {
  const level = strength ? LEVELS[strength.score] : null;
  return (
    <div className="flex flex-col gap-1">
      {strength && level && (
        <div aria-hidden="true" className="grid grid-cols-4 gap-1">
          {[1, 2, 3, 4].map((segment) => (
            <span
              key={segment}
              className={`h-1.5 rounded-full ${segment <= Math.max(strength.score, 1) ? level.bar : 'bg-slate-200 dark:bg-slate-700'}`}
            />
          ))}
        </div>
      )}
      <div aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
        {strength && level && (
          <>
            <p>
              Password strength: <strong>{level.label}</strong>
            </p>
            {strength.warning && <p>{strength.warning}</p>}
            {strength.suggestions.length > 0 && (
              <ul className="list-inside list-disc">
                {strength.suggestions.map((suggestion) => (
                  <li key={suggestion}>{suggestion}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}
