import { personNameProblem } from './person-name';

describe('personNameProblem', () => {
  it.each(['Heena Patel', 'अनीता देवी', "D'Souza", 'محمد', 'A', ' Ravi '])('accepts %p', (name) => {
    expect(personNameProblem(name)).toBeNull();
  });

  it.each(['', ' ', '\t\n', '\u00a0\u2003'])('refuses the blank %p', (name) => {
    expect(personNameProblem(name)).toBe('must not be empty or only spaces');
  });

  it.each(['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069'])(
    'refuses the bidirectional control U+%s inside a name',
    (hex) => {
      expect(personNameProblem(`Ravi${String.fromCharCode(parseInt(hex, 16))} Kumar`)).toBe('must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)');
    },
  );
});
