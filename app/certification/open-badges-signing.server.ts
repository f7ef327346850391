/**
 * Signing Open Badges 3.0 credentials as VC-JWT (the "JSON Web Token Proof Format" of OB 3.0 §8.2),
 * and the public documents a verifier needs: the issuer Profile and the JWKS.
 *
 * Algorithm: RS256 with a 2048-bit RSA key. OB 3.0 says the signing algorithm "MUST be RS256 as a
 * minimum … support for other algorithms is permitted but their use limits interoperability": RS256 is
 * the one algorithm every conforming verifier (including 1EdTech's validator) must accept, so a badge
 * signed with it verifies everywhere. EdDSA/ES256 would give shorter keys and signatures, nothing a
 * certificate needs.
 *
 * Rules followed (OB 3.0 §8.2.2–8.2.5):
 * - JOSE header: exactly `alg`, `kid` and `typ: "JWT"` (no other headers are allowed); `kid` is a URL
 *   that dereferences to the public JWK (never containing `d`).
 * - Claims: `iss` = `issuer.id`, `jti` = `id`, `sub` = `credentialSubject.id`, `nbf` = `validFrom`,
 *   `exp` = `validUntil` (the VC-DM 2.0 names of the dates the spec maps), `vc` = the credential.
 * - Verification checks the signature against the published keys and that every claim matches the
 *   credential it carries, then that the credential is inside its validity period.
 *
 * Keys are parameters: the caller stores the private JWK (database, secret store) and publishes
 * `buildJwks()` at `/.well-known/jwks.json` and each key at its `kid` URL.
 */
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
} from "jose";
import type { OpenBadgeCredential } from "./open-badges";

export const OPEN_BADGES_JWT_ALG = "RS256" as const;

export type SigningKey = {
  /** URL that serves `publicJwk` (and the `kid` of the JWT header and the JWKS entry). */
  kid: string;
  privateJwk: JWK;
  publicJwk: PublicJwk;
};

/** The public half as published: RSA modulus and exponent plus identification, never private members. */
export type PublicJwk = { kty: "RSA"; n: string; e: string; kid: string; alg: typeof OPEN_BADGES_JWT_ALG; use: "sig" };

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** Where a key's public JWK is served: `<origin>/issuer/keys/<RFC 7638 thumbprint>`. */
export function keyUrl(baseUrl: string, thumbprint: string): string {
  return `${new URL(baseUrl).origin}/issuer/keys/${thumbprint}`;
}

export function toPublicJwk(jwk: JWK, kid: string): PublicJwk {
  if (jwk.kty !== "RSA" || typeof jwk.n !== "string" || typeof jwk.e !== "string") {
    throw new Error("Open Badges signing keys are RSA keys");
  }
  return { kty: "RSA", n: jwk.n, e: jwk.e, kid, alg: OPEN_BADGES_JWT_ALG, use: "sig" };
}

/** A new RSA-2048 key pair for RS256, with its `kid` URL under the site's origin. */
export async function generateSigningKey(baseUrl: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(OPEN_BADGES_JWT_ALG, { modulusLength: 2048, extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = keyUrl(baseUrl, await calculateJwkThumbprint({ kty: "RSA", n: privateJwk.n, e: privateJwk.e }));
  return { kid, privateJwk: { ...privateJwk, kid, alg: OPEN_BADGES_JWT_ALG }, publicJwk: toPublicJwk(privateJwk, kid) };
}

/** JWKS for `/.well-known/jwks.json`: every key that may still verify a credential (keep retired ones). */
export function buildJwks(keys: Array<Pick<SigningKey, "publicJwk">>): { keys: PublicJwk[] } {
  return {
    keys: keys.map(({ publicJwk }) => {
      const leaked = PRIVATE_MEMBERS.filter((member) => member in publicJwk);
      if (leaked.length > 0) throw new Error(`Refusing to publish private key members: ${leaked.join(", ")}`);
      return toPublicJwk(publicJwk, publicJwk.kid);
    }),
  };
}

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** Signs the credential as a Compact JWS (the `.jwt` file a learner downloads). */
export async function signOpenBadgeCredential(
  credential: OpenBadgeCredential,
  key: Pick<SigningKey, "kid" | "privateJwk">,
): Promise<string> {
  const privateKey = await importJWK({ ...key.privateJwk, alg: OPEN_BADGES_JWT_ALG }, OPEN_BADGES_JWT_ALG);
  return new SignJWT({ vc: credential })
    .setProtectedHeader({ alg: OPEN_BADGES_JWT_ALG, kid: key.kid, typ: "JWT" })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setSubject(credential.credentialSubject.id)
    .setNotBefore(seconds(credential.validFrom))
    .setExpirationTime(seconds(credential.validUntil))
    .sign(privateKey);
}

export class OpenBadgeVerificationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OpenBadgeVerificationError";
  }
}

type CredentialLike = {
  id?: unknown;
  issuer?: unknown;
  validFrom?: unknown;
  validUntil?: unknown;
  credentialSubject?: { id?: unknown };
};

const issuerIdOf = (issuer: unknown) =>
  typeof issuer === "string" ? issuer : (issuer as { id?: unknown } | undefined)?.id;

/**
 * Verifies a VC-JWT OpenBadgeCredential against a JWKS (e.g. the parsed `/.well-known/jwks.json`) and
 * returns the credential. Throws `OpenBadgeVerificationError` for a bad signature, an unknown key,
 * a claim that does not match the credential, or a credential outside its validity period.
 */
export async function verifyOpenBadgeJwt(
  jwt: string,
  jwks: { keys: JWK[] },
  options: { now?: Date } = {},
): Promise<OpenBadgeCredential> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch (cause) {
    throw new OpenBadgeVerificationError("Not a compact JWS", { cause });
  }
  const extra = Object.keys(header).filter((name) => !["alg", "kid", "typ", "jwk"].includes(name));
  if (extra.length > 0) throw new OpenBadgeVerificationError(`JOSE headers not allowed by OB 3.0: ${extra.join(", ")}`);

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
      algorithms: [OPEN_BADGES_JWT_ALG],
      currentDate: options.now,
    }));
  } catch (cause) {
    throw new OpenBadgeVerificationError(`Signature or validity check failed: ${(cause as Error).message}`, { cause });
  }

  const vc = payload.vc as CredentialLike | undefined;
  if (!vc || typeof vc !== "object") throw new OpenBadgeVerificationError("The JWT carries no `vc` claim");
  const mismatches: string[] = [];
  if (payload.iss === undefined || payload.iss !== issuerIdOf(vc.issuer)) mismatches.push("iss ≠ issuer.id");
  if (payload.jti === undefined || payload.jti !== vc.id) mismatches.push("jti ≠ id");
  if (payload.sub === undefined || payload.sub !== vc.credentialSubject?.id) mismatches.push("sub ≠ credentialSubject.id");
  if (typeof vc.validFrom !== "string" || payload.nbf !== seconds(vc.validFrom)) mismatches.push("nbf ≠ validFrom");
  if (vc.validUntil !== undefined && (typeof vc.validUntil !== "string" || payload.exp !== seconds(vc.validUntil))) {
    mismatches.push("exp ≠ validUntil");
  }
  if (mismatches.length > 0) throw new OpenBadgeVerificationError(`Claims do not match the credential: ${mismatches.join("; ")}`);
  return vc as OpenBadgeCredential;
}
