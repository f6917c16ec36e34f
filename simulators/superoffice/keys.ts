import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The RS256 key SuperID signs id_tokens with, published in the JWKS under `kid`. */
export interface SigningKey {
  kid: string;
  publicJwk: JWK;
  /** Signs the claims exactly as given (key order and value types kept, e.g. `iat` as a string). */
  sign(claims: Record<string, unknown>): Promise<string>;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk: JWK = { kty: jwk.kty, use: 'sig', alg: 'RS256', kid, n: jwk.n, e: jwk.e };
  const encoder = new TextEncoder();
  return {
    kid,
    publicJwk,
    // CompactSign, not SignJWT: the claims set is serialized untouched, so the simulator can
    // reproduce SuperID's string-valued `iat`.
    sign: (claims) =>
      new CompactSign(encoder.encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(privateKey),
  };
}
