import { hintParts } from '@/lib/developer/hint-parts';

/** A developer hint, with the commands and names it quotes in backticks shown as code. */
export function HintText({ hint, codeClassName }: { hint: string; codeClassName: string }) {
  return (
    <>
      {hintParts(hint).map((part, i) =>
        part.code ? (
          <code key={i} className={`whitespace-nowrap ${codeClassName}`}>
            {part.text}
          </code>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
