// Files chosen in the browser on their way to an import endpoint: read as base64 (binary-safe, unlike
// File.text(), which would turn an SPSS .sav's bytes into replacement characters), and what the first
// bytes say about a file.

/** The file's bytes as base64, for a JSON body `{file: …}`. */
export const toBase64 = (file: Blob) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('the file could not be read'));
    r.readAsDataURL(file);
  });

/** An SPSS system file starts with `$FL2` (or `$FL3`, ZLIB-compressed), whatever its name. */
export async function isSpssFile(file: Blob): Promise<boolean> {
  const b = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return b.length === 4 && b[0] === 0x24 && b[1] === 0x46 && b[2] === 0x4c && (b[3] === 0x32 || b[3] === 0x33);
}
