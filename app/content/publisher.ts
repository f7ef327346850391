/**
 * The publisher name of the release the app publishes by itself on first start. It is stored as
 * written here and shown translated (authoring.firstStartPublisher). Pure: shared by server and pages.
 */
export const FIRST_START_PUBLISHER = "Manabi (first start)";

/** The i18n key that names a release's publisher, when the name is one the app wrote itself. */
export function publisherKey(name: string | null | undefined): string | null {
  return name === FIRST_START_PUBLISHER ? "authoring.firstStartPublisher" : null;
}
