/** A hint cut into plain text and `code` (the parts between backticks), to show commands as code. */
export function hintParts(hint: string): { text: string; code: boolean }[] {
  const pieces = hint.split('`');
  // An odd number of backticks: the last one opens nothing.
  if (pieces.length % 2 === 0) return [{ text: hint, code: false }];
  return pieces.map((text, i) => ({ text, code: i % 2 === 1 })).filter((part) => part.text !== '');
}
