import type { GrantedRole } from "#db/schema/org";

/** Everyone is a learner; "manager" follows from having reports; the rest are granted. */
export const ROLES = ["learner", "manager", "hr", "author", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS_BY_ROLE = {
  learner: ["read:learning:own", "update:learning:own", "read:tools:own", "update:account:own"],
  manager: ["read:report:team"],
  hr: ["read:report:company", "manage:assignments", "import:org", "export:report", "manage:certificates", "manage:invitations"],
  author: ["preview:content", "publish:content", "read:item-analysis"],
  admin: ["manage:roles", "manage:tokens", "manage:webhooks", "read:audit", "read:people", "read:mail"],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof PERMISSIONS_BY_ROLE)[Role][number];

export type RoleSubject = { roles: readonly GrantedRole[]; isManager: boolean };

export function rolesOf(subject: RoleSubject): Role[] {
  const roles: Role[] = ["learner"];
  if (subject.isManager) roles.push("manager");
  for (const role of ["hr", "author", "admin"] as const) {
    if (subject.roles.includes(role)) roles.push(role);
  }
  return roles;
}

export function permissionsOf(subject: RoleSubject): Set<Permission> {
  return new Set(rolesOf(subject).flatMap((role) => PERMISSIONS_BY_ROLE[role] as readonly Permission[]));
}

export function can(subject: RoleSubject, permission: Permission): boolean {
  return permissionsOf(subject).has(permission);
}
