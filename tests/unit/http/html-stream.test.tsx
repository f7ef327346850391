import { PassThrough, type Transform } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "~/http/html-stream.server";

/** Renders a page of Japanese labels the way entry.server does and returns the bytes sent. */
async function render(padding: number, through: () => Transform): Promise<Buffer> {
  const page = (
    <div>
      {Array.from({ length: 200 }, (_, i) => (
        <button key={i} type="button" aria-label={`第${i + 1}問、回答済み`}>
          {"x".repeat(padding)}
        </button>
      ))}
    </div>
  );
  const body = through();
  const chunks: Buffer[] = [];
  body.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    const { pipe } = renderToPipeableStream(page, {
      onAllReady: () => {
        body.on("end", resolve);
        pipe(body);
      },
      onShellError: reject,
    });
  });
  return Buffer.concat(chunks);
}

describe("the HTML stream", () => {
  it("sends no NUL byte when a Japanese character falls on React's buffer boundary, and every label intact", async () => {
    for (let padding = 0; padding < 12; padding++) {
      const html = await render(padding, withoutNulBytes);
      expect(html.includes(0)).toBe(false);
      const text = new TextDecoder("utf-8", { fatal: true }).decode(html);
      for (let i = 1; i <= 200; i++) expect(text).toContain(`aria-label="第${i}問、回答済み"`);
    }
  });

  it("is needed: React alone sends NUL bytes for some of these pages", async () => {
    let withNul = 0;
    for (let padding = 0; padding < 12; padding++) if ((await render(padding, () => new PassThrough())).includes(0)) withNul++;
    expect(withNul).toBeGreaterThan(0);
  });

  it("leaves a chunk without NUL bytes as it is, and removes runs of them", async () => {
    const stream = withoutNulBytes();
    const out: Buffer[] = [];
    stream.on("data", (c: Buffer) => out.push(c));
    stream.write(Buffer.from("ab"));
    stream.write(Buffer.from([0x00, 0x00, 0xe5, 0x95, 0x8f, 0x00, 0x61]));
    stream.end();
    await new Promise((r) => stream.on("end", r));
    expect(Buffer.concat(out).toString("utf8")).toBe("ab問a");
  });
});
