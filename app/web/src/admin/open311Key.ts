import { apiKeySha256 } from "../../../shared/townProfile.js";

/** A new Open311 api key: "o311_" and 24 random bytes in base64url (32 characters), from the browser's CSPRNG. */
export function newOpen311Key(): { key: string; sha256: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const base64url = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  const key = `o311_${base64url}`;
  return { key, sha256: apiKeySha256(key) };
}
