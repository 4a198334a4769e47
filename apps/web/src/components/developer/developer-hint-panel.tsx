import { type DeveloperSubject, developerNote } from '@/lib/developer/note';
import { HintText } from './hint-text';

const CODE = 'rounded bg-black/5 px-1 py-0.5 dark:bg-white/10';

/**
 * The developer's view of a connection problem: the finding's code and title, what was seen and
 * the fix. Loaded only by DeveloperHint (components/developer-hint.tsx), in development builds.
 */
export default function DeveloperHintPanel(subject: DeveloperSubject) {
  const note = developerNote(subject);
  return (
    <div
      data-testid="developer-hint"
      className="flex flex-col gap-1 border-t border-dashed border-current/30 pt-2 text-sm"
    >
      <p>
        <span className="font-semibold">For developers:</span>{' '}
        <code className={CODE}>{note.finding}</code> {note.title}
      </p>
      <p className="wrap-anywhere">
        <HintText hint={note.hint} codeClassName={CODE} />
      </p>
      {note.originToAllow && (
        <p>
          Origin to add to <code className={CODE}>CORS_ORIGINS</code>:{' '}
          <code data-testid="cors-origin" className={`${CODE} wrap-anywhere`}>
            {note.originToAllow}
          </code>
        </p>
      )}
    </div>
  );
}
