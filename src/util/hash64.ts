// A fast 64-bit string hash for names of our own cache files (not crypto: every user checks
// the entry it finds against what it stands for).
/**
 * A 64-bit hash of a string as 16 hex digits (two 32-bit multiplicative lanes over its code
 * units' low bytes, four at a time; not crypto: entries are checked against the text). Runs
 * before the JIT warms up, so it does few, simple steps.
 */
export function textKey(text: string): string {
  const n = text.length;
  const buf = Buffer.alloc((n + 7) & ~3);
  buf.write(text, 0, "latin1");
  const words = new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
  let a = 0x811c9dc5 ^ n;
  let b = 0x6a09e667 ^ Math.imul(n, 0x9e3779b1);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    a = Math.imul(a ^ w, 0x01000193);
    a ^= a >>> 13;
    b = Math.imul(b ^ w, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= b >>> 16;
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
