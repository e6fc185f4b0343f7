// The one upload every peer sends: a form with one file field, read from disk as it is sent.
import { openAsBlob } from 'node:fs';

export const FIELD = 'file';
export const FILENAME = 'upload.bin';

/**
 * A spec FormData whose file part is a disk-backed Blob (fs.openAsBlob): nothing read up front.
 * The npm undici only recognises its own FormData class, so its peers pass that one.
 */
export async function diskForm(path, FormDataClass = globalThis.FormData) {
  const form = new FormDataClass();
  form.append(FIELD, await openAsBlob(path), FILENAME);
  return form;
}
