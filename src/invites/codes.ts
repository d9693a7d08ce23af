/**
 * Invitation codes (§5): 60 random bits written in Crockford's base32 (no I, L, O or U, so a
 * code read aloud or typed from paper survives), as XXXX-XXXX-XXXX. Only a hash is stored.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function generateCode(): string {
  const bytes = randomBytes(8);
  let bits = bytes.readBigUInt64BE() >> 4n; // 60 bits
  let out = '';
  for (let i = 0; i < 12; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/** What a partner typed, read the way Crockford's base32 is meant to be read. */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export function hashCode(surveyId: number, input: string): string {
  return createHash('sha256').update(`${surveyId}:${normaliseCode(input)}`, 'utf8').digest('hex');
}
