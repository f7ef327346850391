import { Transform, type TransformCallback } from "node:stream";

/**
 * The stream React's server renderer writes the page into, with every NUL byte taken out.
 *
 * React 18.3's `renderToPipeableStream` encodes into 2,048-byte views; when a multi-byte character
 * (most Japanese ones take three bytes) does not fit into the last one or two bytes of a view, it
 * still sends the whole view, so one or two 0x00 bytes go out before the character (react#31134).
 * In text a browser drops them, but inside an attribute each becomes U+FFFD: a screen reader heard
 * "第3��問" on the exam's question navigator. A page never holds a NUL of its own (the request guards
 * refuse NUL in input, and HTML forbids the character), and in UTF-8 0x00 is never part of another
 * character, so removing every 0x00 byte restores exactly what React meant to send.
 */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      const first = chunk.indexOf(0);
      if (first === -1) return callback(null, chunk);
      const out = Buffer.allocUnsafe(chunk.length);
      chunk.copy(out, 0, 0, first);
      let length = first;
      for (let i = first + 1; i < chunk.length; i++) if (chunk[i] !== 0) out[length++] = chunk[i]!;
      callback(null, out.subarray(0, length));
    },
  });
}
