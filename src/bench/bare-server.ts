/**
 * The yardstick of the load bench: a bare node:http server in its own process that reads the
 * body and answers 200, nothing else. The load generator drives it exactly as it drives the
 * daemon, in the same run, so the daemon's figures read as a share of what Node itself does
 * on this machine at that moment. Prints {url} as one JSON line; ends on SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
