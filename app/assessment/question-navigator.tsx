import { useTranslation } from "react-i18next";

export type NavigatorItem = { position: number; answered: boolean; flagged: boolean };

/** "Question 3, answered, flagged" — what a screen reader says for a navigator button. */
export function useNavigatorLabel() {
  const { t } = useTranslation();
  return (item: NavigatorItem) =>
    [
      t("exam.navigator.question", { n: item.position + 1 }),
      item.answered ? t("exam.navigator.answered") : t("exam.navigator.unanswered"),
      item.flagged ? t("exam.navigator.flagged") : null,
    ]
      .filter(Boolean)
      .join(t("exam.navigator.separator"));
}

/**
 * Every question as a button: answered ones filled and ticked, flagged ones marked, the current one
 * outlined and `aria-current`. The buttons submit the question form (name=go), so without JavaScript
 * they save the current answer and open that question; with it the page handles them in place.
 */
export function QuestionNavigator({ items, current, form }: { items: NavigatorItem[]; current: number; form: string }) {
  const { t } = useTranslation();
  const label = useNavigatorLabel();
  return (
    <nav aria-labelledby="navigator-heading" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="question-navigator">
      <h2 id="navigator-heading" className="text-sm font-semibold text-slate-900">
        {t("exam.navigator.title")}
      </h2>
      <ul className="mt-3 grid grid-cols-6 gap-2 sm:grid-cols-8 lg:grid-cols-5">
        {items.map((item) => {
          const isCurrent = item.position === current;
          return (
            <li key={item.position}>
              <button
                type="submit"
                form={form}
                name="go"
                value={item.position}
                aria-label={label(item)}
                aria-current={isCurrent ? "step" : undefined}
                className={`relative flex h-10 w-full items-center justify-center rounded-md border text-sm font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
                  item.answered ? "border-indigo-700 bg-indigo-700 text-white" : "border-slate-300 bg-white text-slate-800 hover:border-indigo-400"
                } ${isCurrent ? "ring-2 ring-amber-500 ring-offset-2" : ""}`}
              >
                <span aria-hidden="true">{item.position + 1}</span>
                {item.answered ? (
                  <span aria-hidden="true" className="absolute bottom-0 left-1 text-[10px] leading-4">
                    ✓
                  </span>
                ) : null}
                {item.flagged ? (
                  <span aria-hidden="true" className="absolute -right-1 -top-1 rounded-full bg-amber-400 px-1 text-[10px] leading-4 text-slate-900">
                    ⚑
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ul>
      <ul className="mt-4 space-y-1 text-xs text-slate-700" aria-label={t("exam.navigator.legend")}>
        <li className="flex items-center gap-2">
          <span aria-hidden="true" className="inline-flex h-4 w-4 items-center justify-center rounded border border-indigo-700 bg-indigo-700 text-[9px] text-white">
            ✓
          </span>
          {t("exam.navigator.legendAnswered")}
        </li>
        <li className="flex items-center gap-2">
          <span aria-hidden="true" className="inline-flex h-4 w-4 items-center justify-center rounded bg-amber-400 text-[9px] text-slate-900">
            ⚑
          </span>
          {t("exam.navigator.legendFlagged")}
        </li>
        <li className="flex items-center gap-2">
          <span aria-hidden="true" className="inline-block h-4 w-4 rounded border border-slate-300 ring-2 ring-amber-500" />
          {t("exam.navigator.legendCurrent")}
        </li>
      </ul>
    </nav>
  );
}
