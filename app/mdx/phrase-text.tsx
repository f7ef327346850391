import { Fragment } from "react";
import { BREAK } from "./compact";

/**
 * Text prepared on the server with phrase breaks (BREAK, U+2063) shown with a <wbr> at each one, so
 * Japanese lines break between phrases (CSS: `word-break: keep-all`). The same string renders the same
 * markup on the server and in the browser.
 */
export function PhraseText({ text }: { text: string }) {
  if (!text.includes(BREAK)) return <>{text}</>;
  return (
    <>
      {text.split(BREAK).map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </>
  );
}

/** The text without its phrase breaks (for attributes such as aria-label and title). */
export function plainText(text: string): string {
  return text.includes(BREAK) ? text.replaceAll(BREAK, "") : text;
}
