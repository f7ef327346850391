import { and, eq, isNull } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, certificates, courseExemptions, signingKeys } from "#db/schema";
import { verifyOpenBadgeJwt } from "~/certification/open-badges-signing.server";
import { revokeCertificate, recordExternalCertificate } from "~/certification/certificates.server";
import { forgetActiveKey, loadOrCreateActiveKey } from "~/certification/signing-keys.server";
import { publishRelease } from "~/content/publish.server";
import type { Track } from "~/content/types";
import * as home from "~/routes/_index";
import * as achievementRoute from "~/routes/achievements.$trackId.$lang";
import * as badgeRoute from "~/routes/certificates.$id_.badge";
import * as pdfRoute from "~/routes/certificates.$id_.pdf";
import * as certificateRoute from "~/routes/certificates.$id";
import * as listRoute from "~/routes/certificates._index";
import * as credentialRoute from "~/routes/credentials.$code";
import * as hrRoute from "~/routes/hr_.certificates";
import * as issuerRoute from "~/routes/issuer";
import * as keyRoute from "~/routes/issuer_.keys.$thumbprint";
import * as jwksRoute from "~/routes/[.well-known].jwks[.json]";
import * as verifyRoute from "~/routes/verify.$code";
import { makeBundle } from "../helpers/content";
import { createUser, get, post, settle } from "../helpers/factories";
import { officialSchemaValidator } from "../unit/certification/open-badges-fixtures";

const DAY = 24 * 60 * 60 * 1000;

const track: Track = {
  id: "t-safe",
  title: { en: "AI Safe Use", ja: "AI安全利用 基礎" },
  summary: { en: "The essentials of safe AI use.", ja: "AIを安全に使うための基本です。" },
  courses: ["c1"],
  exam: { timeLimitMinutes: 20, passPercent: 80, minimums: [], attempts: 3, retakeWaitHours: 24, blueprint: [{ domain: "d1", count: 1 }] },
  validityMonths: 12,
  recertificationWindowDays: 60,
};

beforeAll(async () => {
  await publishRelease(makeBundle({ tracks: [track] }), { id: null, name: "test" });
});

type Args = { request: Request; params: Record<string, string>; context: Record<string, never> };
const run = (fn: (args: Args) => Promise<unknown>, request: Request, params: Record<string, string> = {}) =>
  settle(() => fn({ request, params, context: {} }));

/** A loader's data, whether it returned plain data or `data(…, { headers })`. */
function payload<T>(value: unknown): T {
  const v = value as { type?: string; data?: unknown };
  return (v && v.type === "DataWithResponseInit" ? v.data : value) as T;
}

async function holderWithCertificate(passedAt = new Date(Date.now() - 10 * DAY), names = { familyName: "髙橋", givenName: "花子" }) {
  const hr = await createUser({ roles: ["hr"] });
  const holder = await createUser({ ...names, familyNameKana: "たかはし", givenNameKana: "はなこ", email: `hanako.${Math.random().toString(36).slice(2)}@example.co.jp` });
  const cert = await recordExternalCertificate({ userId: holder.id, track, passedAt, evidence: "G検定 2026#1", actorId: hr.id });
  const [row] = await getDb().select({ code: certificates.verificationCode }).from(certificates).where(eq(certificates.id, cert.id));
  return { hr, holder, cert, code: row!.code };
}

describe("the certificate page is for its holder only", () => {
  it("shows the holder their certificate with its QR code leading to /verify/<code>", async () => {
    const { holder, cert, code } = await holderWithCertificate();
    const { thrown, value } = await run(certificateRoute.loader, await get(`/certificates/${cert.id}`, holder.id, { "Accept-Language": "ja" }), { id: cert.id });
    expect(thrown).toBe(false);
    const data = payload<Awaited<ReturnType<typeof certificateRoute.loader>>>(value);
    expect(data.certificate).toMatchObject({ number: cert.number, status: "valid", holder: { familyName: "髙橋", givenName: "花子" } });
    expect(data.certificate.verifyUrl).toBe(`http://localhost/verify/${code}`);
    expect(data.certificate.qrSvg).toMatch(/^<svg [^>]*role="img"/);
    // The holder's email is not needed to render the page and is not sent.
    expect(JSON.stringify(data)).not.toContain(holder.email);
  });

  it("answers 404 to another learner, and sends a signed-out visitor to sign in", async () => {
    const { cert } = await holderWithCertificate();
    const other = await createUser();
    for (const [loader, path] of [
      [certificateRoute.loader, `/certificates/${cert.id}`],
      [pdfRoute.loader, `/certificates/${cert.id}/pdf`],
      [badgeRoute.loader, `/certificates/${cert.id}/badge`],
    ] as const) {
      const denied = await run(loader, await get(path, other.id), { id: cert.id });
      expect(denied.thrown, path).toBe(true);
      expect((denied.value as Response).status, path).toBe(404);
      const anonymous = await run(loader, new Request(`http://localhost${path}`), { id: cert.id });
      expect((anonymous.value as Response).status, path).toBe(302);
      expect((anonymous.value as Response).headers.get("Location"), path).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
  });

  it("lists my certificates with status and validity, and nobody else's", async () => {
    const { holder, cert } = await holderWithCertificate();
    await holderWithCertificate(); // someone else's
    const { value } = await run(listRoute.loader, await get("/certificates", holder.id));
    const data = payload<Awaited<ReturnType<typeof listRoute.loader>>>(value);
    expect(data.certificates.map((c) => c.id)).toEqual([cert.id]);
    expect(data.certificates[0]).toMatchObject({ number: cert.number, status: "valid", validUntil: cert.validUntil.toISOString(), recertify: false });
  });
});

describe("recertification invitation", () => {
  it("invites the holder on the home page and in the list inside the track's window, not before", async () => {
    // Valid for 12 months from 11 months and 20 days ago: inside the 60-day window.
    const inside = await holderWithCertificate(new Date(Date.now() - (365 - 20) * DAY));
    const homeData = payload<Awaited<ReturnType<typeof home.loader>>>((await run(home.loader, await get("/", inside.holder.id))).value);
    expect(homeData.recertify).toEqual([{ trackId: track.id, trackTitle: track.title, validUntil: inside.cert.validUntil.toISOString() }]);
    const list = payload<Awaited<ReturnType<typeof listRoute.loader>>>((await run(listRoute.loader, await get("/certificates", inside.holder.id))).value);
    expect(list.certificates[0]!.recertify).toBe(true);

    const outside = await holderWithCertificate(new Date(Date.now() - 100 * DAY));
    const quiet = payload<Awaited<ReturnType<typeof home.loader>>>((await run(home.loader, await get("/", outside.holder.id))).value);
    expect(quiet.recertify).toEqual([]);
  });
});

describe("the public verification page", () => {
  it("shows only the name, the track, the status and the dates, to anyone", async () => {
    const { cert, code, holder } = await holderWithCertificate();
    const { thrown, value } = await run(verifyRoute.loader, new Request(`http://localhost/verify/${code}`), { code });
    expect(thrown).toBe(false);
    const data = payload<Awaited<ReturnType<typeof verifyRoute.loader>>["data"]>(value);
    expect(Object.keys(data).sort()).toEqual(["checkedAt", "issuerName", "verification"]);
    expect(Object.keys(data.verification).sort()).toEqual(["holder", "passedAt", "revokedAt", "status", "trackTitle", "validUntil"]);
    // The holder's name only: as written, its kana reading and its romanised form (for English).
    expect(Object.keys(data.verification.holder).sort()).toEqual(["familyName", "familyNameKana", "familyNameLatin", "givenName", "givenNameKana", "givenNameLatin"]);
    expect(data.verification).toMatchObject({ status: "valid", revokedAt: null, validUntil: cert.validUntil.toISOString(), trackTitle: track.title });
    const serialized = JSON.stringify(data);
    for (const secret of [holder.email, holder.id, cert.id, cert.number, "G検定"]) expect(serialized).not.toContain(secret);
    expect((value as { init: ResponseInit }).init.headers).toMatchObject({ "X-Robots-Tag": "noindex" });
  });

  it("accepts the code as typed (lower case, Crockford look-alikes) but answers a plain 404 to unknown and malformed codes", async () => {
    const { code } = await holderWithCertificate();
    const typed = code.toLowerCase().replace(/-/g, " ");
    expect((await run(verifyRoute.loader, new Request("http://localhost/"), { code: typed })).thrown).toBe(false);
    const unknown = "0000-0000-0000-0000-0000-0000-0000-0000";
    for (const bad of [unknown, "not-a-code", "UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU", code.slice(0, -1), `${code}' or '1'='1`, "x".repeat(5000)]) {
      const { thrown, value } = await run(verifyRoute.loader, new Request("http://localhost/"), { code: bad });
      expect(thrown, bad).toBe(true);
      expect((value as Response).status, bad).toBe(404);
    }
  });

  it("says expired once validity has passed, and revoked (with the date) after HR revokes it", async () => {
    const expired = await holderWithCertificate(new Date(Date.now() - 400 * DAY));
    const e = payload<{ verification: { status: string } }>((await run(verifyRoute.loader, new Request("http://localhost/"), { code: expired.code })).value);
    expect(e.verification.status).toBe("expired");
    const page = payload<Awaited<ReturnType<typeof certificateRoute.loader>>>(
      (await run(certificateRoute.loader, await get(`/certificates/${expired.cert.id}`, expired.holder.id), { id: expired.cert.id })).value,
    );
    expect(page.certificate.status).toBe("expired");

    const revoked = await holderWithCertificate();
    const at = new Date();
    await revokeCertificate({ certificateId: revoked.cert.id, reason: "試験の不正が判明したため", actorId: revoked.hr.id, now: at });
    const r = payload<{ verification: { status: string; revokedAt: string | null } }>(
      (await run(verifyRoute.loader, new Request("http://localhost/"), { code: revoked.code })).value,
    );
    expect(r.verification).toMatchObject({ status: "revoked", revokedAt: at.toISOString() });
    // The reason is for the holder (and HR), not the public.
    expect(JSON.stringify(r)).not.toContain("不正");
    const own = payload<Awaited<ReturnType<typeof certificateRoute.loader>>>(
      (await run(certificateRoute.loader, await get(`/certificates/${revoked.cert.id}`, revoked.holder.id), { id: revoked.cert.id })).value,
    );
    expect(own.certificate).toMatchObject({ status: "revoked", revokedReason: "試験の不正が判明したため" });
  });

  it("leads a credential's id (/credentials/<code>) to the verification page", async () => {
    const { code } = await holderWithCertificate();
    const { value } = await run(credentialRoute.loader, new Request(`http://localhost/credentials/${code}`), { code });
    expect((value as Response).headers.get("Location")).toBe(`/verify/${code}`);
    const bad = await run(credentialRoute.loader, new Request("http://localhost/credentials/nope"), { code: "nope" });
    expect((bad.value as Response).status).toBe(404);
  });
});

describe("certificate downloads", () => {
  it("downloads a one-page PDF in the language asked, privately, with an ASCII and a UTF-8 file name", async () => {
    const { holder, cert } = await holderWithCertificate();
    const { value } = await run(pdfRoute.loader, await get(`/certificates/${cert.id}/pdf?lang=ja`, holder.id), { id: cert.id });
    const res = value as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const disposition = res.headers.get("Content-Disposition")!;
    expect(disposition).toBe(
      `attachment; filename="${cert.number}_AI.pdf"; filename*=UTF-8''${encodeURIComponent(`${cert.number}_AI安全利用 基礎.pdf`)}`,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.slice(0, 5)).toString("latin1")).toBe("%PDF-");
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toContain("AI安全利用 基礎");

    const en = (await run(pdfRoute.loader, await get(`/certificates/${cert.id}/pdf?lang=en`, holder.id), { id: cert.id })).value as Response;
    expect((await PDFDocument.load(new Uint8Array(await en.arrayBuffer()))).getTitle()).toContain("AI Safe Use");
    expect(en.headers.get("Content-Disposition")).toContain(`filename="${cert.number}_AI_Safe_Use.pdf"`);
  });

  it("downloads an Open Badge VC-JWT that verifies with the published JWKS and validates against the OB 3.0 schema", async () => {
    const { holder, cert, code } = await holderWithCertificate();
    const res = (await run(badgeRoute.loader, await get(`/certificates/${cert.id}/badge?lang=en`, holder.id), { id: cert.id })).value as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vc+jwt");
    expect(res.headers.get("Content-Disposition")).toContain(".jwt");
    const jwt = await res.text();

    const jwksRes = (await run(jwksRoute.loader, new Request("http://localhost/.well-known/jwks.json"))).value as Response;
    const jwks = (await jwksRes.json()) as { keys: Record<string, unknown>[] };
    for (const key of jwks.keys) for (const member of ["d", "p", "q", "dp", "dq", "qi"]) expect(key).not.toHaveProperty(member);
    const credential = await verifyOpenBadgeJwt(jwt, jwks as never);
    const validate = officialSchemaValidator();
    expect(validate(credential), JSON.stringify(validate.errors)).toBe(true);
    expect(credential).toMatchObject({
      id: `http://localhost/credentials/${code}`,
      issuer: { id: "http://localhost/issuer" },
      credentialSubject: { licenseNumber: cert.number, achievement: { name: "AI Safe Use", inLanguage: "en" } },
      validUntil: new Date(Math.floor(cert.validUntil.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z"),
    });
    expect(JSON.stringify(credential)).not.toContain(holder.email);

    // The issuer profile, the key at its kid URL and the achievement are served where the credential says.
    const issuer = (await ((await run(issuerRoute.loader, new Request("http://localhost/issuer"))).value as Response).json()) as { id: string };
    expect(issuer.id).toBe(credential.issuer.id);
    const kid = JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()).kid as string;
    const thumbprint = kid.split("/").pop()!;
    expect(kid).toBe(`http://localhost/issuer/keys/${thumbprint}`);
    const key = (await ((await run(keyRoute.loader, new Request(kid), { thumbprint })).value as Response).json()) as { kid: string; d?: string };
    expect(key.kid).toBe(kid);
    expect(key.d).toBeUndefined();
    const achievement = (await ((await run(achievementRoute.loader, new Request(credential.credentialSubject.achievement.id), { trackId: track.id, lang: "en" })).value as Response).json()) as { id: string };
    expect(achievement.id).toBe(credential.credentialSubject.achievement.id);

    // ?format=json: the same credential, unsigned, for reading.
    const json = (await run(badgeRoute.loader, await get(`/certificates/${cert.id}/badge?lang=en&format=json`, holder.id), { id: cert.id })).value as Response;
    expect(await json.json()).toEqual(credential);
  });

  it("refuses a badge for a revoked certificate", async () => {
    const { holder, hr, cert } = await holderWithCertificate();
    await revokeCertificate({ certificateId: cert.id, reason: "誤登録", actorId: hr.id });
    const { thrown, value } = await run(badgeRoute.loader, await get(`/certificates/${cert.id}/badge`, holder.id), { id: cert.id });
    expect(thrown).toBe(true);
    expect((value as Response).status).toBe(409);
  });
});

describe("signing keys", () => {
  it("creates one active key even when several callers race, and keeps signing with it", async () => {
    await getDb().delete(signingKeys).where(isNull(signingKeys.retiredAt));
    forgetActiveKey();
    const keys = await Promise.all([loadOrCreateActiveKey(), loadOrCreateActiveKey(), loadOrCreateActiveKey()]);
    expect(new Set(keys.map((k) => k.thumbprint)).size).toBe(1);
    const rows = await getDb().select({ kid: signingKeys.kid }).from(signingKeys);
    expect(rows.map((r) => r.kid)).toEqual([keys[0]!.thumbprint]);
    // The JWKS publishes exactly that key.
    const jwks = (await ((await run(jwksRoute.loader, new Request("http://localhost/.well-known/jwks.json"))).value as Response).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([`http://localhost/issuer/keys/${keys[0]!.thumbprint}`]);
  });
});

describe("HR certificate actions", () => {
  const hrPost = (fields: Record<string, string>, userId: string) => post("/hr/certificates", fields, { userId });

  async function auditFor(targetId: string, action: string) {
    return getDb().select().from(auditLog).where(and(eq(auditLog.targetId, targetId), eq(auditLog.action, action)));
  }

  it("finds a person by kana and shows their certificates and exemptions", async () => {
    const { hr, holder, cert } = await holderWithCertificate(undefined, { familyName: "渡邊", givenName: "一郎" });
    const found = payload<Awaited<ReturnType<typeof hrRoute.loader>>>(
      (await run(hrRoute.loader, await get(`/hr/certificates?q=${encodeURIComponent("たかはし")}`, hr.id))).value,
    );
    expect(found.people.map((p) => p.id)).toContain(holder.id);
    const person = payload<Awaited<ReturnType<typeof hrRoute.loader>>>(
      (await run(hrRoute.loader, await get(`/hr/certificates?person=${holder.id}&revoke=${cert.id}`, hr.id))).value,
    );
    expect(person.person?.id).toBe(holder.id);
    expect(person.certificates.map((c) => c.number)).toEqual([cert.number]);
    expect(person.revokeId).toBe(cert.id);
  });

  it("revokes with a reason, audit-logged, and answers with a notice; a missing reason is an error beside the field", async () => {
    const { hr, holder, cert } = await holderWithCertificate();
    const missing = await run(hrRoute.action, await hrPost({ intent: "revoke", userId: holder.id, certificateId: cert.id, reason: "  " }, hr.id));
    const rejected = missing.value as { data: { intent: string; result: { error: Record<string, string[]> } }; init: ResponseInit };
    expect(rejected.init.status).toBe(400);
    expect(rejected.data.result.error).toMatchObject({ reason: ["hrCertificates.errors.reasonRequired"] });
    expect(await auditFor(cert.id, "certificate.revoke")).toHaveLength(0);

    const { value } = await run(hrRoute.action, await hrPost({ intent: "revoke", userId: holder.id, certificateId: cert.id, reason: "受験時の不正が判明" }, hr.id));
    expect((value as Response).status).toBe(302);
    expect((value as Response).headers.get("Location")).toBe(`/hr/certificates?person=${encodeURIComponent(holder.id)}`);
    expect((value as Response).headers.get("Set-Cookie")).toContain("manabi_toast=");
    const [row] = await getDb().select().from(certificates).where(eq(certificates.id, cert.id));
    expect(row).toMatchObject({ revokedReason: "受験時の不正が判明", revokedById: hr.id });
    const audit = await auditFor(cert.id, "certificate.revoke");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: hr.id, details: { reason: "受験時の不正が判明" } });
  });

  it("cannot revoke a certificate of someone other than the person on the page", async () => {
    const { hr, cert } = await holderWithCertificate();
    const stranger = await createUser();
    const { value } = await run(hrRoute.action, await hrPost({ intent: "revoke", userId: stranger.id, certificateId: cert.id, reason: "x" }, hr.id));
    expect((value as Response).status).toBe(404);
    expect(await auditFor(cert.id, "certificate.revoke")).toHaveLength(0);
  });

  it("records an external certificate valid for the track's period from the date passed, audit-logged", async () => {
    const hr = await createUser({ roles: ["hr"] });
    const person = await createUser();
    const bad = await run(hrRoute.action, await hrPost({ intent: "recordExternal", userId: person.id, trackId: track.id, passedOn: "2099-01-01", evidence: "" }, hr.id));
    const rejected = bad.value as { data: { result: { error: Record<string, string[]> } }; init: ResponseInit };
    expect(rejected.init.status).toBe(400);
    expect(rejected.data.result.error).toMatchObject({
      evidence: ["hrCertificates.errors.evidenceRequired"],
    });
    const future = await run(hrRoute.action, await hrPost({ intent: "recordExternal", userId: person.id, trackId: track.id, passedOn: "2099-01-01", evidence: "G検定" }, hr.id));
    expect((future.value as { data: { result: { error: Record<string, string[]> } } }).data.result.error).toMatchObject({
      passedOn: ["hrCertificates.errors.date.future"],
    });
    const unknownTrack = await run(hrRoute.action, await hrPost({ intent: "recordExternal", userId: person.id, trackId: "nope", passedOn: "2026-01-10", evidence: "G検定" }, hr.id));
    expect((unknownTrack.value as { data: { result: { error: Record<string, string[]> } } }).data.result.error).toMatchObject({
      trackId: ["hrCertificates.errors.trackRequired"],
    });
    expect(await getDb().select().from(certificates).where(eq(certificates.userId, person.id))).toHaveLength(0);

    const { value } = await run(
      hrRoute.action,
      await hrPost({ intent: "recordExternal", userId: person.id, trackId: track.id, passedOn: "2026-01-31", evidence: "G検定 2026#1 合格証 No.123" }, hr.id),
    );
    expect((value as Response).status).toBe(302);
    const [row] = await getDb().select().from(certificates).where(eq(certificates.userId, person.id));
    expect(row).toMatchObject({ source: "external", evidence: "G検定 2026#1 合格証 No.123", recordedById: hr.id });
    expect(new Date(row!.passedAt).toISOString()).toBe("2026-01-30T15:00:00.000Z"); // 00:00 JST on 31 Jan
    expect(new Date(row!.validUntil).toISOString()).toBe("2027-01-31T14:59:59.999Z"); // end of 31 Jan 2027 JST
    const audit = await auditFor(row!.id, "certificate.record-external");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(hr.id);
  });

  it("grants a course exemption with a reason, audit-logged", async () => {
    const hr = await createUser({ roles: ["hr"] });
    const person = await createUser();
    const { value } = await run(hrRoute.action, await hrPost({ intent: "exempt", userId: person.id, trackId: track.id, reason: "G検定合格者のため" }, hr.id));
    expect((value as Response).status).toBe(302);
    const rows = await getDb().select().from(courseExemptions).where(eq(courseExemptions.userId, person.id));
    expect(rows).toMatchObject([{ trackId: track.id, reason: "G検定合格者のため", createdById: hr.id }]);
    const audit = await auditFor(person.id, "exemption.grant");
    expect(audit).toHaveLength(1);
    const page = payload<Awaited<ReturnType<typeof hrRoute.loader>>>((await run(hrRoute.loader, await get(`/hr/certificates?person=${person.id}`, hr.id))).value);
    expect(page.exemptions.map((e) => e.reason)).toEqual(["G検定合格者のため"]);
  });

  it("refuses learner, manager, author and admin (403) on the page and its action, changing nothing", async () => {
    const { holder, cert } = await holderWithCertificate();
    const manager = await createUser();
    await createUser({ managerId: manager.id });
    const refused = {
      learner: await createUser(),
      manager,
      author: await createUser({ roles: ["author"] }),
      admin: await createUser({ roles: ["admin"] }),
    };
    for (const [role, user] of Object.entries(refused)) {
      const page = await run(hrRoute.loader, await get("/hr/certificates", user.id));
      expect(page.thrown, role).toBe(true);
      expect((page.value as Response).status, role).toBe(403);
      const forms: Record<string, string>[] = [
        { intent: "revoke", userId: holder.id, certificateId: cert.id, reason: "不正" },
        { intent: "recordExternal", userId: holder.id, trackId: track.id, passedOn: "2026-01-10", evidence: "G検定" },
        { intent: "exempt", userId: holder.id, trackId: track.id, reason: "理由" },
      ];
      for (const fields of forms) {
        const act = await run(hrRoute.action, await hrPost(fields, user.id));
        expect((act.value as Response).status, `${role} ${fields.intent}`).toBe(403);
      }
    }
    const [row] = await getDb().select().from(certificates).where(eq(certificates.id, cert.id));
    expect(row!.revokedAt).toBeNull();
    expect(await getDb().select().from(certificates).where(eq(certificates.userId, holder.id))).toHaveLength(1);
    expect(await getDb().select().from(courseExemptions).where(eq(courseExemptions.userId, holder.id))).toHaveLength(0);
  });
});
