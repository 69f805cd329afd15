// Whether the person asked their system for less motion (prefers-reduced-motion): charts then
// draw at once instead of growing into place.
export function prefersReducedMotion(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true
  );
}
