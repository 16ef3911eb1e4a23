/**
 * Runs only the embedded PostgreSQL of a data folder, as `npm start` would, until SIGINT or
 * SIGTERM: `node -r ./dist/tools/runtime/register-paths.js dist/tools/launcher/run-database.js
 * <data folder> <port>`. Prints one JSON line `{"url": …}` once the server accepts connections.
 * The recovery tests use it to stop and start the database under a running platform.
 */
import '../runtime/register-paths';
import { startEmbeddedDatabase } from './embedded-database';

async function main(): Promise<void> {
  const [dataDir, portText] = process.argv.slice(2);
  const port = Number(portText);
  if (!dataDir || !Number.isInteger(port)) throw new Error('usage: run-database <data folder> <port>');
  const database = await startEmbeddedDatabase(dataDir, port, (line) => process.stderr.write(`${line}\n`));
  const stop = () => {
    database.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, stop);
  }
  process.stdout.write(`${JSON.stringify({ url: database.url })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`the database could not start: ${error.message}\n`);
  process.exit(1);
});
