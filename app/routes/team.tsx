import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { getCurrentRelease } from "~/content/release.server";
import { formatDate, formatDateTime, formatNumber, formatPersonName, formatTime } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import type { Language } from "~/i18n/languages";
import { pageTitle } from "~/i18n/meta";
import { remindedToday, remindPerson } from "~/team/remind.server";
import { DUE_SOON_DAYS, parseTeamQuery, reminderTarget, TEAM_PAGE_SIZE, TEAM_STATUS_FILTERS, type AttentionItem, type TeamCell } from "~/team/team-view";
import { tokyoDay } from "~/assignments/assignment-status";
import { cachedTeamPage } from "~/team/team-cache.server";
import { teamLabels } from "~/team/team.server";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const remindSchema = z.object({ intent: z.literal("remind"), personId: z.string().min(1).max(200) });

export async function loader({ request }: LoaderFunctionArgs) {
  const manager = await requirePermission(request, "read:report:team");
  const lang = await requestLanguage(request);
  const release = await getCurrentRelease();
  const params = new URL(request.url).searchParams;
  const query = parseTeamQuery(params, [...(release?.tracks.keys() ?? [])]);
  const now = new Date();
  // Kept for a short while, as the HR dashboard's figures (app/team/team-cache.server.ts); whom the
  // manager reminded today is read afresh below, so a Remind shows at once.
  const kept = await cachedTeamPage({
    managerId: manager.id,
    release,
    filter: { status: query.status, track: query.track },
    page: query.page,
    pageSize: TEAM_PAGE_SIZE,
    fresh: params.get("fresh") === "1",
  });
  const team = kept.team;
  const targets = team.people.flatMap((p) => {
    const target = reminderTarget(Object.values(p.cells));
    return target ? [{ personId: p.id, trackId: target.trackId }] : [];
  });
  const reminded = await remindedToday(manager.id, targets, now);
  const filterQuery = new URLSearchParams();
  if (query.status) filterQuery.set("status", query.status);
  if (query.track) filterQuery.set("track", query.track);
  return {
    ...team,
    labels: teamLabels(release, lang),
    filter: { status: query.status, track: query.track },
    filterQuery: filterQuery.toString(),
    computedAt: kept.computedAt.toISOString(),
    computedToday: tokyoDay(kept.computedAt) === tokyoDay(now),
    maxAgeSeconds: kept.maxAgeSeconds,
    targets: Object.fromEntries(targets.map((t) => [t.personId, { trackId: t.trackId, reminded: reminded.has(t.personId) }])),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const manager = await requirePermission(request, "read:report:team");
  const formData = await readForm(request);
  const parsed = remindSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const result = await remindPerson({ manager, personId: parsed.data.personId, requestOrigin: new URL(request.url).origin });
  if (result.kind === "outside") throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  // Back to the same view (filters and page kept).
  const to = `/team${new URL(request.url).search}`;
  const lang = await requestLanguage(request);
  const values = { name: result.person, ...("trackTitle" in result ? { track: result.trackTitle[lang] } : {}) };
  switch (result.kind) {
    case "sent":
      return redirectWithToast(to, { key: "team.remind.sent", values, kind: "success" });
    case "throttled":
      return redirectWithToast(to, { key: "team.remind.throttled", values, kind: "info" });
    case "nothing-open":
      return redirectWithToast(to, { key: "team.remind.nothingOpen", values, kind: "info" });
    case "inactive":
      return redirectWithToast(to, { key: "team.remind.inactive", values, kind: "error" });
  }
}

const card = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm";
const dayDate = (day: string) => new Date(`${day}T00:00:00+09:00`);
const dateStyle = (language: Language) => (language === "ja" ? "long" : "medium");

function StatusBadge({ status }: { status: TeamCell["status"] }) {
  const { t } = useTranslation();
  const look = {
    overdue: { icon: "!", className: "border-red-300 bg-red-50 text-red-900" },
    "not-started": { icon: "○", className: "border-slate-300 bg-slate-50 text-slate-800" },
    "in-progress": { icon: "◐", className: "border-sky-300 bg-sky-50 text-sky-900" },
    certified: { icon: "✓", className: "border-emerald-300 bg-emerald-50 text-emerald-900" },
  }[status];
  return (
    <span className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-semibold ${look.className}`} data-status={status}>
      <span aria-hidden="true" className="font-bold">
        {look.icon}
      </span>
      {t(`team.status.${status}`)}
    </span>
  );
}

function Cell({ cell }: { cell: TeamCell | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (!cell) return <span className="text-xs text-slate-600">{t("team.table.notAssigned")}</span>;
  return (
    <div className="space-y-1">
      <StatusBadge status={cell.status} />
      {cell.status === "certified" && cell.certifiedUntil ? (
        <p className={`text-xs ${cell.expiringSoon ? "font-semibold text-amber-900" : "text-slate-700"}`}>
          {t("team.cell.validUntil", { date: formatDate(cell.certifiedUntil, language, dateStyle(language)) })}
          {cell.expiringSoon ? (
            <span className="block">
              <span aria-hidden="true">⏳ </span>
              {t("team.cell.expiringSoon")}
            </span>
          ) : null}
        </p>
      ) : (
        <p className={`text-xs ${cell.status === "overdue" ? "font-semibold text-red-900" : "text-slate-700"}`}>
          {t("team.cell.due", { date: formatDate(dayDate(cell.dueOn), language, dateStyle(language)) })}
        </p>
      )}
    </div>
  );
}

function Attention({ items, trackTitle }: { items: AttentionItem[]; trackTitle: (id: string) => string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (items.length === 0) return <span className="text-xs text-slate-600">{t("team.table.nothing")}</span>;
  return (
    <ul className="space-y-1 text-xs">
      {items.map((item) => {
        const track = trackTitle(item.trackId);
        if (item.kind === "overdue") {
          return (
            <li key={`o-${item.trackId}`} className="font-semibold text-red-900">
              <span aria-hidden="true">! </span>
              {t("team.attention.overdue", { track, count: item.daysLate, date: formatDate(dayDate(item.dueOn), language, dateStyle(language)) })}
            </li>
          );
        }
        if (item.kind === "due-soon") {
          return (
            <li key={`d-${item.trackId}`} className="text-slate-900">
              <span aria-hidden="true">→ </span>
              {item.daysLeft === 0
                ? t("team.attention.dueToday", { track })
                : t("team.attention.dueSoon", { track, count: item.daysLeft, date: formatDate(dayDate(item.dueOn), language, dateStyle(language)) })}
            </li>
          );
        }
        return (
          <li key={`e-${item.trackId}`} className="text-amber-900">
            <span aria-hidden="true">⏳ </span>
            {t("team.attention.expiring", { track, date: formatDate(item.validUntil, language, dateStyle(language)) })}
          </li>
        );
      })}
    </ul>
  );
}

export default function TeamPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  const n = (v: number) => formatNumber(v, language);
  const trackTitle = (id: string) => data.labels.tracks[id] ?? id;
  const columns = data.filter.track ? data.trackIds.filter((id) => id === data.filter.track) : data.trackIds;
  const filtered = Boolean(data.filter.status || data.filter.track);
  const withQuery = (extra: Record<string, string>) => {
    const params = new URLSearchParams(data.filterQuery);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return `?${params.toString()}`;
  };
  const summaryCard = (label: string, count: number, status: string | null, tone: string, testId: string) => (
    <div className={card} data-testid={testId}>
      <dt className="text-sm text-slate-700">{label}</dt>
      <dd className={`mt-1 text-2xl font-bold ${tone}`}>{t("team.summary.count", { count, formatted: n(count) })}</dd>
      {status && count > 0 ? (
        <dd className="mt-1 text-sm">
          <Link to={`?status=${status}`} className="text-indigo-700 underline">
            {t("team.summary.show")}
            <span className="sr-only">: {label}</span>
          </Link>
        </dd>
      ) : null}
    </div>
  );

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("team.title")}</h1>
        <p className="mt-1 text-sm text-slate-700">{t("team.intro")}</p>
        <p className="mt-2 flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm text-slate-700">
          <span data-testid="team-as-of">
            {t("team.freshness.asOf", {
              time: data.computedToday ? formatTime(data.computedAt, language) : formatDateTime(data.computedAt, language),
            })}
          </span>
          <Link to={withQuery({ ...(data.page > 1 ? { page: String(data.page) } : {}), fresh: "1" })} className="text-indigo-700 underline" data-testid="team-refresh">
            {t("team.freshness.refresh")}
          </Link>
        </p>
        {data.maxAgeSeconds > 0 ? <p className="mt-1 text-xs text-slate-600">{t("team.freshness.note", { count: data.maxAgeSeconds })}</p> : null}
      </header>

      <section aria-labelledby="team-summary-heading">
        <h2 id="team-summary-heading" className="sr-only">
          {t("team.summary.heading")}
        </h2>
        <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="team-summary">
          {summaryCard(t("team.summary.people"), data.summary.people, null, "text-slate-900", "summary-people")}
          {summaryCard(t("team.summary.overdue"), data.summary.overdue, "overdue", "text-red-800", "summary-overdue")}
          {summaryCard(t("team.summary.dueSoon", { days: DUE_SOON_DAYS }), data.summary.dueSoon, "due-soon", "text-slate-900", "summary-due-soon")}
          {summaryCard(t("team.summary.expiring"), data.summary.expiring, "expiring", "text-amber-800", "summary-expiring")}
        </dl>
      </section>

      <section aria-labelledby="team-filter-heading" className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="team-filter-heading" className="sr-only">
          {t("team.filter.heading")}
        </h2>
        <Form method="get" className="flex flex-wrap items-end gap-3" data-testid="team-filter">
          <div>
            <label htmlFor="team-status" className="block text-sm font-medium text-slate-800">
              {t("team.filter.status")}
            </label>
            <select id="team-status" name="status" defaultValue={data.filter.status ?? ""} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              <option value="">{t("team.filter.anyStatus")}</option>
              {TEAM_STATUS_FILTERS.map((s) => (
                <option key={s} value={s}>
                  {t(`team.filter.statuses.${s}`, { days: DUE_SOON_DAYS })}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="team-track" className="block text-sm font-medium text-slate-800">
              {t("team.filter.track")}
            </label>
            <select id="team-track" name="track" defaultValue={data.filter.track ?? ""} className="mt-1 max-w-[16rem] rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              <option value="">{t("team.filter.anyTrack")}</option>
              {data.trackIds.map((id) => (
                <option key={id} value={id}>
                  {trackTitle(id)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
            {t("team.filter.apply")}
          </button>
          {filtered ? (
            <Link to="/team" className="py-2 text-sm text-indigo-700 underline">
              {t("team.filter.clear")}
            </Link>
          ) : null}
        </Form>
        <a
          href={`/team.csv${data.filterQuery ? `?${data.filterQuery}` : ""}`}
          download
          className="rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800"
          data-testid="team-csv"
        >
          {t("team.download")}
        </a>
      </section>

      {data.summary.people === 0 ? (
        <p className={card}>{t("team.empty.noPeople")}</p>
      ) : (
        <>
          {data.trackIds.length === 0 ? (
            <p className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-950" data-testid="team-no-assignments">
              {t("team.empty.noAssignments")}
            </p>
          ) : (
            <p className="text-sm text-slate-700">{t("team.remindNote")}</p>
          )}
          <h2 id="team-table-caption" className="text-base font-semibold text-slate-900">
            {filtered ? t("team.table.captionFiltered", { formatted: n(data.matching) }) : t("team.table.caption")}
          </h2>
          <p className="text-sm text-slate-700 md:hidden" data-testid="scroll-hint">
            <span aria-hidden="true">↔ </span>
            {t("team.table.scrollHint")}
          </p>
          <div
            className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm"
            role="region"
            aria-labelledby="team-table-caption"
            tabIndex={0}
          >
            <table className="min-w-full border-separate border-spacing-0 text-sm" aria-labelledby="team-table-caption" data-testid="team-matrix">
              <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-700">
                <tr>
                  <th scope="col" className="sticky left-0 z-10 min-w-[9rem] max-w-[11rem] border-b border-r border-slate-200 bg-slate-50 px-3 py-2">
                    {t("team.table.person")}
                  </th>
                  <th scope="col" className="min-w-[13rem] border-b border-slate-200 px-3 py-2">
                    {t("team.table.attention")}
                  </th>
                  {columns.map((id) => (
                    <th scope="col" key={id} className="min-w-[9rem] border-b border-slate-200 px-3 py-2" data-track={id}>
                      {trackTitle(id)}
                    </th>
                  ))}
                  <th scope="col" className="min-w-[10rem] border-b border-slate-200 px-3 py-2">
                    {t("team.table.tools")}
                  </th>
                  <th scope="col" className="border-b border-slate-200 px-3 py-2">
                    {t("team.table.actions")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.people.length === 0 ? (
                  <tr>
                    <td colSpan={columns.length + 4} className="px-4 py-6 text-center text-slate-700">
                      {t("team.empty.noMatch")}
                    </td>
                  </tr>
                ) : (
                  data.people.map((person) => {
                    const name = formatPersonName(person, language);
                    const target = data.targets[person.id];
                    const department = language === "ja" ? person.departmentNameJa : person.departmentNameEn;
                    return (
                      <tr key={person.id} data-person={person.id} className="align-top">
                        <th scope="row" className="sticky left-0 z-10 max-w-[11rem] border-b border-r border-slate-200 bg-white px-3 py-3 text-left font-normal">
                          <span className="block font-semibold text-slate-900">{name}</span>
                          <span className="block text-xs text-slate-700">{department ?? t("team.table.noDepartment")}</span>
                          <span className="block text-xs text-slate-700" data-testid="line">
                            {person.direct || !person.reportsTo
                              ? t("team.table.directReport")
                              : t("team.table.via", { name: formatPersonName(person.reportsTo, language) })}
                          </span>
                        </th>
                        <td className="border-b border-slate-200 px-3 py-3">
                          <Attention items={person.attention} trackTitle={trackTitle} />
                        </td>
                        {columns.map((id) => (
                          <td key={id} className="border-b border-slate-200 px-3 py-3" data-track={id}>
                            <Cell cell={person.cells[id]} />
                          </td>
                        ))}
                        <td className="border-b border-slate-200 px-3 py-3 text-xs">
                          {person.tools.length === 0 ? (
                            <span className="text-slate-600">{t("team.table.noTools")}</span>
                          ) : (
                            <ul className="flex flex-wrap gap-1" data-testid="tools">
                              {person.tools.map((toolId) => (
                                <li key={toolId} className="rounded border border-emerald-200 bg-emerald-50 px-1.5 py-0.5 text-emerald-900">
                                  {data.labels.tools[toolId] ?? toolId}
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                        <td className="border-b border-slate-200 px-3 py-3">
                          {!target ? null : target.reminded ? (
                            <span
                              className="inline-flex whitespace-nowrap rounded-md border border-dashed border-slate-300 px-3 py-1.5 text-xs text-slate-700"
                              title={t("team.remind.remindedLabel", { name, track: trackTitle(target.trackId) })}
                            >
                              <span aria-hidden="true">✓ </span>
                              {t("team.remind.reminded")}
                              <span className="sr-only">: {t("team.remind.remindedLabel", { name, track: trackTitle(target.trackId) })}</span>
                            </span>
                          ) : (
                            <Form method="post" action={`/team${data.filterQuery || data.page > 1 ? withQuery(data.page > 1 ? { page: String(data.page) } : {}) : ""}`} preventScrollReset>
                              <CsrfInput />
                              <input type="hidden" name="personId" value={person.id} />
                              <button
                                type="submit"
                                name="intent"
                                value="remind"
                                aria-label={t("team.remind.label", { name, track: trackTitle(target.trackId) })}
                                className="whitespace-nowrap rounded-md border border-indigo-300 bg-white px-3 py-1.5 text-xs font-semibold text-indigo-800 hover:bg-indigo-50"
                              >
                                {t("team.remind.button")}
                              </button>
                            </Form>
                          )}
                        </td>
                      </tr>
                    );
                  })
                )}
              </tbody>
            </table>
          </div>
          {data.pages > 1 ? (
            <nav aria-label={t("team.pager.label")} className="flex items-center justify-between gap-3 text-sm">
              {data.page > 1 ? (
                <Link to={withQuery({ page: String(data.page - 1) })} className="text-indigo-700 underline">
                  {t("team.pager.previous")}
                </Link>
              ) : (
                <span />
              )}
              <span className="text-slate-700">{t("team.pager.position", { page: n(data.page), pages: n(data.pages) })}</span>
              {data.page < data.pages ? (
                <Link to={withQuery({ page: String(data.page + 1) })} className="text-indigo-700 underline">
                  {t("team.pager.next")}
                </Link>
              ) : (
                <span />
              )}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "team.pageTitle");

export function ErrorBoundary() {
  return <ErrorPage />;
}
