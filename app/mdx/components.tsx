import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { checkFigureSrc } from "~/content/urls";
import type { ComponentName } from "./allowlist";
import { KnowledgeCheck } from "./knowledge-check";
import { useLesson } from "./lesson-context";
import { PhraseText } from "./phrase-text";

type Props = Record<string, string | number | boolean> & { children?: ReactNode };

const CALLOUT_STYLES = {
  info: { box: "border-sky-500 bg-sky-50", title: "text-sky-900", icon: "i" },
  warning: { box: "border-amber-500 bg-amber-50", title: "text-amber-900", icon: "!" },
  danger: { box: "border-red-600 bg-red-50", title: "text-red-900", icon: "!" },
} as const;

export function Callout({ type, title, children }: Props) {
  const { t } = useTranslation();
  const kind = (typeof type === "string" && type in CALLOUT_STYLES ? type : "info") as keyof typeof CALLOUT_STYLES;
  const style = CALLOUT_STYLES[kind];
  return (
    <aside className={`callout my-6 rounded-r-lg border-l-4 px-5 py-4 ${style.box}`} aria-label={typeof title === "string" ? title : t(`lesson.callout.${kind}`)}>
      <p className={`not-prose mb-1 flex items-center gap-2 font-semibold ${style.title}`}>
        <span aria-hidden="true" className="flex h-5 w-5 items-center justify-center rounded-full border border-current text-xs">
          {style.icon}
        </span>
        {typeof title === "string" ? title : t(`lesson.callout.${kind}`)}
      </p>
      <div className="callout-body">{children}</div>
    </aside>
  );
}

/** A glossary word: its definition shows on hover, keyboard focus or tap; Escape hides it. */
export function Term({ id, uid, children }: Props) {
  const { terms } = useLesson();
  const term = typeof id === "string" && Object.hasOwn(terms, id) ? terms[id] : undefined;
  // The node's place in the lesson (LessonBody), not useId: the same when the server renders the body apart.
  const tipId = `term-${String(uid)}`;
  const [dismissed, setDismissed] = useState(false);
  const [pinned, setPinned] = useState(false);
  if (!term) return <>{children}</>;
  return (
    <span className="group relative inline" onMouseLeave={() => setDismissed(false)}>
      <button
        type="button"
        className="term cursor-help rounded-sm text-inherit underline decoration-indigo-400 decoration-dotted decoration-2 underline-offset-4 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-describedby={tipId}
        aria-expanded={pinned}
        onClick={() => {
          setPinned((p) => !p);
          setDismissed(false);
        }}
        onBlur={() => {
          setPinned(false);
          setDismissed(false);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            setDismissed(true);
            setPinned(false);
          }
        }}
      >
        {children}
      </button>
      <span
        role="tooltip"
        id={tipId}
        className={`term-tip absolute left-0 top-full z-30 mt-2 w-64 max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white p-3 text-left text-sm font-normal leading-relaxed text-slate-800 shadow-lg ${
          dismissed ? "hidden" : pinned ? "block" : "hidden group-hover:block group-focus-within:block"
        }`}
      >
        <strong className="block text-slate-900">
          <PhraseText text={term.term} />
        </strong>
        <PhraseText text={term.definition} />
      </span>
    </span>
  );
}

/** Renders nothing unless `src` passes the compiler's own rule (a stored tree is re-checked, never trusted). */
export function Figure({ src, alt, caption }: Props) {
  if (typeof src !== "string" || !checkFigureSrc(src).ok) return null;
  return (
    <figure className="my-6">
      <img src={src} alt={String(alt ?? "")} className="mx-auto rounded-lg border border-slate-200" loading="lazy" />
      {typeof caption === "string" ? <figcaption className="mt-2 text-center text-sm text-slate-600">{caption}</figcaption> : null}
    </figure>
  );
}

export function Steps({ children }: Props) {
  return <div className="steps my-6">{children}</div>;
}

export function DoDont({ children }: Props) {
  return <div className="dodont my-6 grid gap-4 md:grid-cols-2">{children}</div>;
}

export function Do({ children }: Props) {
  const { t } = useTranslation();
  return (
    <div className="rounded-lg border border-emerald-300 bg-emerald-50 p-4">
      <p className="mb-2 flex items-center gap-2 font-semibold text-emerald-900">
        <span aria-hidden="true">✓</span>
        {t("lesson.do")}
      </p>
      <div className="dodont-body">{children}</div>
    </div>
  );
}

export function Dont({ children }: Props) {
  const { t } = useTranslation();
  return (
    <div className="rounded-lg border border-red-300 bg-red-50 p-4">
      <p className="mb-2 flex items-center gap-2 font-semibold text-red-900">
        <span aria-hidden="true">✕</span>
        {t("lesson.dont")}
      </p>
      <div className="dodont-body">{children}</div>
    </div>
  );
}

const EXAMPLE_STYLES = {
  good: "border-emerald-300",
  bad: "border-red-300",
  neutral: "border-slate-300",
} as const;

export function Example({ kind, title, children }: Props) {
  const { t } = useTranslation();
  const k = (typeof kind === "string" && kind in EXAMPLE_STYLES ? kind : "neutral") as keyof typeof EXAMPLE_STYLES;
  const badge =
    k === "good" ? "bg-emerald-100 text-emerald-900" : k === "bad" ? "bg-red-100 text-red-900" : "bg-slate-100 text-slate-800";
  return (
    <section className={`example my-6 overflow-hidden rounded-lg border-2 ${EXAMPLE_STYLES[k]} bg-white`}>
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-2">
        <span className={`rounded px-2 py-0.5 text-xs font-semibold ${badge}`}>{t(`lesson.example.${k}`)}</span>
        {typeof title === "string" ? <span className="font-semibold text-slate-900">{title}</span> : null}
      </header>
      <div className="divide-y divide-slate-100">{children}</div>
    </section>
  );
}

export function Prompt({ children }: Props) {
  const { t } = useTranslation();
  return (
    <div className="bg-slate-50 px-4 py-3">
      <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">{t("lesson.example.prompt")}</p>
      <div className="example-prompt">{children}</div>
    </div>
  );
}

export function Response({ children }: Props) {
  const { t } = useTranslation();
  return (
    <div className="px-4 py-3">
      <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">{t("lesson.example.response")}</p>
      <div>{children}</div>
    </div>
  );
}

/**
 * A value of the company's organisation.yaml (a contact, a policy name, an intranet link): the release
 * fills in its text, or a link, in the lesson's language. A tree without it (an older release) shows nothing.
 */
export function Org({ value, children }: Props) {
  return (
    <span className="org-value" data-org={typeof value === "string" ? value : undefined}>
      {children}
    </span>
  );
}

/** The React component of each allowlisted name (the same names as COMPONENT_SPECS, checked by the compiler). */
export const COMPONENTS = {
  Callout,
  Term,
  Figure,
  Steps,
  DoDont,
  Do,
  Dont,
  Example,
  Prompt,
  Response,
  KnowledgeCheck,
  Org,
} as const satisfies Record<ComponentName, unknown>;
