/**
 * The dashboard's charts as plain SVG, rendered on the server (no client JavaScript needed to show
 * them). Each is an image with a text alternative (role="img" + <title>); the page puts the same
 * figures in a table beside it. Colour is never the only carrier: every status has its own pattern and
 * a legend in words, and segments wide enough carry their percentage.
 */
import type { AssignmentStatus } from "~/assignments/assignment-status";
import { CHART_STATUSES, linePath, linearScale, stackSegments, type StatusCounts } from "./dashboard-figures";

const FILL: Record<AssignmentStatus, { base: string; mark: string; text: string }> = {
  certified: { base: "#047857", mark: "#047857", text: "#ffffff" },
  "in-progress": { base: "#1d4ed8", mark: "#93c5fd", text: "#ffffff" },
  "not-started": { base: "#e2e8f0", mark: "#475569", text: "#0f172a" },
  overdue: { base: "#b91c1c", mark: "#fca5a5", text: "#ffffff" },
};

const patternId = (prefix: string, status: AssignmentStatus) => `${prefix}-${status}`;

/** Solid for certified, stripes for in progress, dots for not started, cross-hatching for overdue. */
function Patterns({ prefix }: { prefix: string }) {
  return (
    <defs>
      {CHART_STATUSES.map((status) => {
        const f = FILL[status];
        return (
          <pattern key={status} id={patternId(prefix, status)} width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" fill={f.base} />
            {status === "in-progress" ? <path d="M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6" stroke={f.mark} strokeWidth="1.5" /> : null}
            {status === "not-started" ? <circle cx="4" cy="4" r="1.2" fill={f.mark} /> : null}
            {status === "overdue" ? <path d="M0 0 L8 8 M8 0 L0 8" stroke={f.mark} strokeWidth="1.2" /> : null}
          </pattern>
        );
      })}
    </defs>
  );
}

/** The legend, in words, with each status's swatch (also SVG, so it matches the bars). */
export function StatusLegend({ labels, prefix }: { labels: Record<AssignmentStatus, string>; prefix: string }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-800">
      {CHART_STATUSES.map((status) => (
        <li key={status} className="flex items-center gap-1.5">
          <svg width="16" height="16" aria-hidden="true" focusable="false">
            <Patterns prefix={`${prefix}-legend-${status}`} />
            <rect x="0.5" y="0.5" width="15" height="15" fill={`url(#${patternId(`${prefix}-legend-${status}`, status)})`} stroke="#334155" />
          </svg>
          {labels[status]}
        </li>
      ))}
    </ul>
  );
}

export type BarRow = { key: string; label: string; counts: StatusCounts; total: number };

const LABEL_W = 190;
const BAR_W = 400;
const TOTAL_W = 70;
const ROW_H = 30;

function shorten(label: string, max = 16): string {
  return [...label].length > max ? `${[...label].slice(0, max - 1).join("")}…` : label;
}

/** One 100% bar per row (a department), split by status. */
export function StackedBarChart({ rows, title, percent, prefix }: { rows: BarRow[]; title: string; percent: (share: number) => string; prefix: string }) {
  const height = rows.length * ROW_H + 8;
  const width = LABEL_W + BAR_W + TOTAL_W;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${prefix}-title`} className="h-auto w-full max-w-3xl" data-testid="bar-chart">
      <title id={`${prefix}-title`}>{title}</title>
      <Patterns prefix={prefix} />
      {rows.map((row, i) => {
        const y = 4 + i * ROW_H;
        return (
          <g key={row.key}>
            <text x={LABEL_W - 8} y={y + ROW_H / 2} textAnchor="end" dominantBaseline="middle" fontSize="13" fill="#0f172a">
              {shorten(row.label)}
            </text>
            <rect x={LABEL_W} y={y + 3} width={BAR_W} height={ROW_H - 8} fill="#f8fafc" stroke="#cbd5e1" />
            {stackSegments(row.counts, BAR_W).map((s) => (
              <g key={s.status}>
                <rect x={LABEL_W + s.x} y={y + 3} width={s.width} height={ROW_H - 8} fill={`url(#${patternId(prefix, s.status)})`} />
                {s.width >= 40 ? (
                  <text x={LABEL_W + s.x + s.width / 2} y={y + ROW_H / 2 - 1} textAnchor="middle" dominantBaseline="middle" fontSize="11" fontWeight="600" fill={FILL[s.status].text} stroke={FILL[s.status].base} strokeWidth="3" paintOrder="stroke">
                    {percent(s.share)}
                  </text>
                ) : null}
              </g>
            ))}
            <text x={LABEL_W + BAR_W + 8} y={y + ROW_H / 2} dominantBaseline="middle" fontSize="12" fill="#334155">
              {row.total}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

const L_W = 640;
const L_H = 240;
const M = { top: 12, right: 16, bottom: 34, left: 48 };

/** The certified share over time: a line with a point per week, 0–100 % on the left. */
export function LineChart({ points, title, percent, dayLabel, prefix }: { points: { day: string; share: number | null }[]; title: string; percent: (share: number) => string; dayLabel: (day: string) => string; prefix: string }) {
  const x = linearScale([0, Math.max(1, points.length - 1)], [M.left, L_W - M.right]);
  const y = linearScale([0, 1], [L_H - M.bottom, M.top]);
  const drawn = points.flatMap((p, i) => (p.share === null ? [] : [{ x: x(i), y: y(p.share) }]));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const labelled = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
  return (
    <svg viewBox={`0 0 ${L_W} ${L_H}`} role="img" aria-labelledby={`${prefix}-title`} className="h-auto w-full max-w-3xl" data-testid="line-chart">
      <title id={`${prefix}-title`}>{title}</title>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={M.left} x2={L_W - M.right} y1={y(t)} y2={y(t)} stroke="#cbd5e1" strokeDasharray={t === 0 ? undefined : "3 3"} />
          <text x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" fontSize="11" fill="#334155">
            {percent(t)}
          </text>
        </g>
      ))}
      {points.map((p, i) =>
        labelled.has(i) ? (
          <text key={p.day} x={x(i)} y={L_H - M.bottom + 18} textAnchor={i === 0 ? "start" : i === points.length - 1 ? "end" : "middle"} fontSize="11" fill="#334155">
            {dayLabel(p.day)}
          </text>
        ) : null,
      )}
      {drawn.length > 1 ? <path d={linePath(drawn)} fill="none" stroke="#047857" strokeWidth="2.5" /> : null}
      {drawn.map((p, i) => (
        <circle key={i} cx={p.x} cy={p.y} r="3.5" fill="#ffffff" stroke="#047857" strokeWidth="2" />
      ))}
    </svg>
  );
}
