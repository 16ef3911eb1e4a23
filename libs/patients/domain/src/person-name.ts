/** Bidirectional embedding, override and isolate controls: they let one name display as another. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/**
 * Null when `name` can be a person's name as written (any script); otherwise what is wrong:
 * empty or only white space, or bidirectional control characters (U+202A–U+202E,
 * U+2066–U+2069), which make a name display as a different one on screens and wristbands.
 */
export function personNameProblem(name: string): string | null {
  if (name.trim() === '') return 'must not be empty or only spaces';
  if (BIDI_CONTROLS.test(name)) return 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)';
  return null;
}
