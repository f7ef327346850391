export * from "./org";
export * from "./org-import";
export * from "./auth";
export * from "./audit";
export * from "./content";
export * from "./assessment";
export * from "./certification";
export * from "./access";
