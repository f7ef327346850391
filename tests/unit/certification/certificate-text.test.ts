import { describe, expect, it } from "vitest";
import { certificateText } from "~/certification/certificate-text";

describe("certificate wording", () => {
  it("fills placeholders in either language", () => {
    expect(certificateText("ja", "holder", { name: "髙﨑 花子" })).toBe("髙﨑 花子 様");
    expect(certificateText("en", "credentialName", { track: "Generative AI Foundations" })).toBe(
      "Generative AI Foundations certificate",
    );
  });

  it("refuses to print a placeholder left empty rather than showing {{braces}}", () => {
    expect(() => certificateText("en", "documentTitle", { track: "Generative AI Foundations" })).toThrow(/name/);
  });
});
