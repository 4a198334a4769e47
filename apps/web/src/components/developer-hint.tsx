'use client';

import { lazy, Suspense } from 'react';
import type { DeveloperSubject } from '@/lib/developer/note';

/**
 * The only way into the developer modules (components/developer, lib/developer) and the finding
 * catalogue they read: variable names, commands, the origin to allow. `next build` compiles the
 * condition to false and drops the branch with its import, so none of that text reaches the
 * JavaScript sent to visitors (the browser tests grep the built chunks); `next dev` loads it.
 */
const DeveloperHintPanel =
  process.env.NODE_ENV === 'development'
    ? lazy(() => import('@/components/developer/developer-hint-panel'))
    : undefined;

/** What a developer needs to fix a connection problem; nothing outside development builds. */
export function DeveloperHint(subject: DeveloperSubject) {
  if (!DeveloperHintPanel) return null;
  return (
    <Suspense fallback={null}>
      <DeveloperHintPanel {...subject} />
    </Suspense>
  );
}
