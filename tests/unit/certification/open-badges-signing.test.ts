import { decodeJwt, decodeProtectedHeader, SignJWT, importJWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOpenBadgeCredential, type OpenBadgeCredential } from "~/certification/open-badges";
import {
  buildJwks,
  generateSigningKey,
  OpenBadgeVerificationError,
  signOpenBadgeCredential,
  verifyOpenBadgeJwt,
  type SigningKey,
} from "~/certification/open-badges-signing.server";
import { badgeInput, officialSchemaValidator } from "./open-badges-fixtures";

const baseUrl = "https://manabi.example.co.jp";
const duringValidity = new Date("2027-01-15T00:00:00Z");

let key: SigningKey;
let otherKey: SigningKey;
let credential: OpenBadgeCredential;
let jwt: string;

beforeAll(async () => {
  [key, otherKey] = await Promise.all([generateSigningKey(baseUrl), generateSigningKey(baseUrl)]);
  credential = buildOpenBadgeCredential(await badgeInput("ja"));
  jwt = await signOpenBadgeCredential(credential, key);
});

/** Changes one byte of the JWT's payload segment (keeping it valid base64url). */
function flipPayloadByte(token: string): string {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const bytes = Buffer.from(payload, "base64url");
  const i = bytes.indexOf(Buffer.from("MNB-2026-000123")) + 4;
  bytes[i] = bytes[i] === 0x32 ? 0x33 : 0x32; // MNB-2026… → MNB-3026… (still valid JSON)
  return `${header}.${bytes.toString("base64url")}.${signature}`;
}

describe("Open Badges VC-JWT", () => {
  it("verifies with the published JWKS and returns the credential it signed", async () => {
    const jwks = JSON.parse(JSON.stringify(buildJwks([key])));
    expect(await verifyOpenBadgeJwt(jwt, jwks, { now: duringValidity })).toEqual(credential);
  });

  it("carries a credential that still validates against the official OB 3.0 schema", async () => {
    const validate = officialSchemaValidator();
    const vc = (await verifyOpenBadgeJwt(jwt, buildJwks([key]), { now: duringValidity })) as unknown;
    expect(validate(vc), JSON.stringify(validate.errors)).toBe(true);
  });

  it("fails when one byte of the payload changes", async () => {
    const tampered = flipPayloadByte(jwt);
    expect(tampered).not.toBe(jwt);
    expect((decodeJwt(tampered).vc as OpenBadgeCredential).credentialSubject.licenseNumber).toBe("MNB-3026-000123");
    await expect(verifyOpenBadgeJwt(tampered, buildJwks([key]), { now: duringValidity })).rejects.toBeInstanceOf(
      OpenBadgeVerificationError,
    );
  });

  it("fails when signed by another key, even one announcing the same kid", async () => {
    const forged = await signOpenBadgeCredential(credential, { kid: key.kid, privateJwk: otherKey.privateJwk });
    await expect(verifyOpenBadgeJwt(forged, buildJwks([key]), { now: duringValidity })).rejects.toThrow(
      OpenBadgeVerificationError,
    );
    const ownKid = await signOpenBadgeCredential(credential, otherKey);
    await expect(verifyOpenBadgeJwt(ownKid, buildJwks([key]), { now: duringValidity })).rejects.toThrow(
      OpenBadgeVerificationError,
    );
    // …and verifies once that key is published.
    await expect(verifyOpenBadgeJwt(ownKid, buildJwks([key, otherKey]), { now: duringValidity })).resolves.toEqual(credential);
  });

  it("uses exactly the JOSE header OB 3.0 allows: RS256, the key's URL as kid, typ JWT", () => {
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "RS256", kid: key.kid, typ: "JWT" });
    expect(key.kid).toMatch(/^https:\/\/manabi\.example\.co\.jp\/issuer\/keys\/[A-Za-z0-9_-]{43}$/);
  });

  it("maps the credential onto the registered claims", () => {
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({
      iss: "https://manabi.example.co.jp/issuer",
      jti: credential.id,
      sub: credential.credentialSubject.id,
      nbf: Date.parse(credential.validFrom) / 1000,
      exp: Date.parse(credential.validUntil) / 1000,
    });
    expect(claims.vc).toEqual(credential);
  });

  it("is refused before its validity starts and after it ends", async () => {
    const jwks = buildJwks([key]);
    await expect(verifyOpenBadgeJwt(jwt, jwks, { now: new Date("2026-11-29T00:00:00Z") })).rejects.toThrow(/nbf|not active/i);
    await expect(verifyOpenBadgeJwt(jwt, jwks, { now: new Date("2027-12-01T00:00:00Z") })).rejects.toThrow(/exp/i);
  });

  it("is refused when a claim disagrees with the credential it carries", async () => {
    const privateKey = await importJWK(key.privateJwk, "RS256");
    const mismatched = await new SignJWT({ vc: credential })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
      .setIssuer(credential.issuer.id)
      .setJti("https://manabi.example.co.jp/credentials/someone-else")
      .setSubject(credential.credentialSubject.id)
      .setNotBefore(Date.parse(credential.validFrom) / 1000)
      .setExpirationTime(Date.parse(credential.validUntil) / 1000)
      .sign(privateKey);
    await expect(verifyOpenBadgeJwt(mismatched, buildJwks([key]), { now: duringValidity })).rejects.toThrow(/jti/);
  });

  it("is refused with a JOSE header OB 3.0 does not allow", async () => {
    const privateKey = await importJWK(key.privateJwk, "RS256");
    const extraHeader = await new SignJWT({ vc: credential, iss: credential.issuer.id })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT", cty: "vc" })
      .sign(privateKey);
    await expect(verifyOpenBadgeJwt(extraHeader, buildJwks([key]), { now: duringValidity })).rejects.toThrow(/cty/);
  });

  it("publishes only public key material", () => {
    const jwks = buildJwks([key]);
    expect(jwks.keys).toEqual([{ kty: "RSA", n: key.publicJwk.n, e: "AQAB", kid: key.kid, alg: "RS256", use: "sig" }]);
    expect(JSON.stringify(jwks)).not.toContain(String(key.privateJwk.d));
    expect(() => buildJwks([{ publicJwk: { ...key.publicJwk, d: key.privateJwk.d } as SigningKey["publicJwk"] }])).toThrow(
      /private/,
    );
  });

  it("generates a distinct 2048-bit RSA key with its thumbprint in the kid each time", () => {
    expect(key.kid).not.toBe(otherKey.kid);
    expect(Buffer.from(key.publicJwk.n, "base64url")).toHaveLength(256);
    expect(key.privateJwk.d).toBeTruthy();
  });
});
