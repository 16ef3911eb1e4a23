// End-to-end tests: whole processes started, killed and restarted.
jest.setTimeout(180_000);
