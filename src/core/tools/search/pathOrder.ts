/** Orders strings by their UTF-8 bytes (code point order), as ripgrep and git sort names. */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts surrogates (astral characters) before U+E000–U+FFFF; UTF-8 puts them after.
    const xAstral = x >= 0xd800 && x <= 0xdfff;
    const yAstral = y >= 0xd800 && y <= 0xdfff;
    if (xAstral !== yAstral && (xAstral ? y : x) >= 0xe000) return xAstral ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Orders posix relative paths folder by folder, the order of a sorted directory walk (`rg --sort path`):
 * 'a/b.txt' comes before 'a.txt' because the folder name 'a' sorts before 'a.txt'.
 */
export function comparePathOrder(a: string, b: string): number {
  if (a === b) return 0;
  const left = a.split('/');
  const right = b.split('/');
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const order = compareUtf8(left[i] as string, right[i] as string);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}
