/**
 * Where the reader is on a page: the section heading they are reading under, so a language switch can
 * bring them back to the same section in the other language (headings carry the same ids in both).
 * Pure: the component measures the headings and passes their tops here.
 */

/** How long the reader stays at a place before it counts as theirs (a quick scroll past does not). */
export const PLACE_DWELL_MS = 700;

/** A heading's id and the distance of its top from the top of the window (negative once scrolled past). */
export type HeadingPosition = { id: string; top: number };

/**
 * The section being read: the last heading at or above `line` pixels from the top of the window.
 * Null while the reader is above the first heading (the page's top is their place).
 */
export function currentSection(headings: readonly HeadingPosition[], line = 120): string | null {
  let current: string | null = null;
  for (const heading of headings) {
    if (heading.top > line) break;
    current = heading.id;
  }
  return current;
}

/** The address to come back to: the page itself, at the section when there is one. */
export function placeUrl(pathAndSearch: string, section: string | null): string {
  return section ? `${pathAndSearch}#${encodeURIComponent(section)}` : pathAndSearch;
}
