/**
 * Invitation links (pure rules): a link is valid for INVITATION_DAYS days and once. Its state at a
 * moment follows from its dates alone.
 */
export const INVITATION_DAYS = 7;

export type InvitationState = "valid" | "expired" | "used";

export function invitationState(invitation: { expiresAt: Date; usedAt: Date | null }, now: Date): InvitationState {
  if (invitation.usedAt) return "used";
  return now.getTime() < invitation.expiresAt.getTime() ? "valid" : "expired";
}

export function invitationExpiry(createdAt: Date): Date {
  return new Date(createdAt.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000);
}

/** How HR sees a person without a password: never invited, a live invitation, or one that ran out. */
export type InviteeStatus = "not-invited" | "invited" | "expired";

export function inviteeStatus(latest: { expiresAt: Date; usedAt: Date | null } | null, now: Date): InviteeStatus {
  if (!latest) return "not-invited";
  // A used link for someone who still has no password (e.g. the password was removed) counts as none.
  if (latest.usedAt) return "not-invited";
  return invitationState(latest, now) === "valid" ? "invited" : "expired";
}

/** A token as it appears in a link: 43 base64url characters (32 random bytes). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
