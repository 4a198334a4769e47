/**
 * Misconfigurations of nginx, written as edits of the rendered templates. Each edit must apply
 * exactly once: when a template changes so that it no longer does, the case fails loudly instead
 * of starting a correct proxy and passing for the wrong reason.
 */

/**
 * `text` with the one occurrence of `from` replaced by `to` (with a RegExp, `to` may use `$1`…);
 * throws when `from` is absent or found more than once.
 */
export function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const pattern =
    typeof from === 'string'
      ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')
      : new RegExp(from.source, from.flags.includes('g') ? from.flags : `${from.flags}g`);
  const found = text.match(pattern)?.length ?? 0;
  if (found !== 1) {
    throw new Error(
      `nginx patch: expected ${String(from)} once in the rendered configuration, found it ${found} times`,
    );
  }
  return typeof from === 'string' ? text.replace(pattern, () => to) : text.replace(pattern, to);
}

/** Edits per rendered conf.d file, e.g. `{ '40-api.conf': (text) => replaceOnce(text, …) }`. */
export type NginxEdits = Record<string, (text: string) => string>;

/**
 * The `nginxPatch` for startStack applying `edits`; `check()` throws unless every file named in
 * `edits` was rendered (and so edited).
 */
export function nginxPatch(edits: NginxEdits) {
  const seen = new Set<string>();
  return {
    patch: (file: string, text: string) => {
      const edit = edits[file];
      if (!edit) return text;
      seen.add(file);
      return edit(text);
    },
    check: () => {
      const missing = Object.keys(edits).filter((file) => !seen.has(file));
      if (missing.length > 0)
        throw new Error(`nginx patch: no rendered file named ${missing.join(', ')}`);
    },
  };
}
