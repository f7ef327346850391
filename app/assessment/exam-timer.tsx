import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { splitTimeLeft, timeLeftMs, timerAnnouncement, timerLevel, type TimerLevel } from "./exam-rules";

function formatLeft(leftMs: number): string {
  const { hours, minutes, seconds } = splitTimeLeft(leftMs);
  const mm = String(minutes).padStart(hours > 0 ? 2 : 1, "0");
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

const LEVEL_CLASS: Record<TimerLevel, string> = {
  normal: "border-slate-300 bg-white text-slate-900",
  warning: "border-amber-500 bg-amber-50 text-amber-950",
  critical: "border-red-600 bg-red-50 text-red-900",
  over: "border-red-600 bg-red-50 text-red-900",
};

/**
 * The time left, counted down from the server's deadline. The browser's clock may be wrong, so the
 * timer uses the offset between the server's `now` (sent with the page) and the browser's clock when
 * the page arrived. Screen readers hear the time at 5 and at 1 minute left (not every second).
 */
export function ExamTimer({ deadline, serverNow, onExpire }: { deadline: string; serverNow: string; onExpire: () => void }) {
  const { t } = useTranslation();
  const deadlineDate = new Date(deadline);
  // Before hydration (and in the server's HTML) the time left is what the server said.
  const [leftMs, setLeftMs] = useState(() => timeLeftMs(deadlineDate, new Date(serverNow)));
  const [announcement, setAnnouncement] = useState("");
  const expired = useRef(false);
  const onExpireRef = useRef(onExpire);
  onExpireRef.current = onExpire;

  useEffect(() => {
    const offset = Date.parse(serverNow) - Date.now();
    let previous = timeLeftMs(new Date(deadline), new Date(serverNow));
    const tick = () => {
      const left = timeLeftMs(new Date(deadline), new Date(Date.now() + offset));
      const due = timerAnnouncement(previous, left);
      if (due) setAnnouncement(t("exam.timer.announce", { count: due }));
      previous = left;
      setLeftMs(left);
      if (left <= 0 && !expired.current) {
        expired.current = true;
        onExpireRef.current();
      }
    };
    tick();
    const id = setInterval(tick, 250);
    return () => clearInterval(id);
  }, [deadline, serverNow, t]);

  const level = timerLevel(leftMs);
  const { hours, minutes } = splitTimeLeft(leftMs);
  const spoken = hours > 0 ? t("exam.timer.spokenHours", { hours, minutes }) : t("exam.timer.spokenMinutes", { count: Math.max(minutes, 0) });
  return (
    <div className={`flex items-center gap-2 rounded-lg border px-3 py-1.5 ${LEVEL_CLASS[level]}`} data-testid="exam-timer" data-level={level}>
      <span className="text-xs font-semibold">{t("exam.timer.label")}</span>
      {/* role=timer is not announced on every change; the live region below speaks at the thresholds. */}
      <span role="timer" aria-label={`${t("exam.timer.label")}: ${spoken}`} className="font-mono text-lg font-bold tabular-nums">
        {formatLeft(leftMs)}
      </span>
      {level === "warning" || level === "critical" ? (
        <span className="text-xs font-semibold">{level === "critical" ? t("exam.timer.critical") : t("exam.timer.warning")}</span>
      ) : null}
      <span className="sr-only" aria-live="polite" data-testid="timer-announcement">
        {announcement}
      </span>
    </div>
  );
}
