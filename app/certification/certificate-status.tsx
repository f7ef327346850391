import { useTranslation } from "react-i18next";
import type { CertificateStatus } from "./validity";

const TONE: Record<CertificateStatus, string> = {
  valid: "border-emerald-300 bg-emerald-50 text-emerald-900",
  expired: "border-amber-300 bg-amber-50 text-amber-950",
  revoked: "border-red-300 bg-red-50 text-red-900",
};

// A check mark, a clock and a struck circle: the status is never told by colour alone.
const ICON: Record<CertificateStatus, string> = {
  valid: "M20 6 9 17l-5-5",
  expired: "M12 7v5l3 2M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z",
  revoked: "M5.6 5.6l12.8 12.8M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z",
};

export function CertificateStatusIcon({ status, className = "h-4 w-4" }: { status: CertificateStatus; className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className={className} fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <path d={ICON[status]} />
    </svg>
  );
}

/** The status in words with an icon, e.g. "✓ Valid". */
export function CertificateStatusBadge({ status, size = "sm" }: { status: CertificateStatus; size?: "sm" | "lg" }) {
  const { t } = useTranslation();
  const cls = size === "lg" ? "gap-2 px-3 py-1.5 text-base" : "gap-1 px-2 py-0.5 text-xs";
  return (
    <span className={`inline-flex items-center rounded-full border font-semibold ${cls} ${TONE[status]}`} data-status={status}>
      <CertificateStatusIcon status={status} className={size === "lg" ? "h-5 w-5" : "h-3.5 w-3.5"} />
      {t(`certificate.status.${status}`)}
    </span>
  );
}
