// Integration tests: real PostgreSQL and HTTP on a possibly loaded machine.
jest.setTimeout(60_000);
