import { createHash, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, importPKCS8, type JWK, type JWTPayload } from 'jose';
import { generate } from 'selfsigned';

/** A published signing key as Entra's JWKS lists it: RSA, `kid` = `x5t` = SHA-1 thumbprint, with `x5c`. */
export interface PublishedKey extends JWK {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
}

export interface SigningKey {
  kid: string;
  publicJwk: PublishedKey;
  publicKeyPem: string;
  sign(payload: JWTPayload): Promise<string>;
}

/**
 * One RS256 key per simulator instance, wrapped in a self-signed certificate because Entra's
 * JWKS carries `x5c`/`x5t` and some validators use the certificate rather than `n`/`e`.
 */
export async function createSigningKey(): Promise<SigningKey> {
  const pems = await generate([{ name: 'commonName', value: 'entra-simulator-token-signing' }], { keySize: 2048, algorithm: 'sha256' });
  const der = Buffer.from(pems.cert.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
  const kid = createHash('sha1').update(der).digest('base64url');
  const publicKey: KeyObject = createPublicKey(pems.public);
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const privateKey = await importPKCS8(pems.private, 'RS256');
  return {
    kid,
    publicJwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n, e, x5c: [der.toString('base64')] },
    publicKeyPem: pems.public,
    sign: (payload) =>
      new SignJWT({ ...payload, uti: payload.uti ?? randomUUID().replace(/-/g, '').slice(0, 22) })
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid, x5t: kid } as { alg: string })
        .sign(privateKey),
  };
}
