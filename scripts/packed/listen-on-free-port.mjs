// Preloaded (`node --import`) into a documented example that starts a server: whatever port the
// example asks for, it listens on a free one (examples say 3000; CI machines are shared), and the
// port it got is announced on stderr for the checker to send requests to.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    args[0] = 0;
  } else if (args[0] && typeof args[0] === 'object' && 'port' in args[0]) {
    args[0] = { ...args[0], port: 0 };
  }
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') {
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      process.stderr.write(
        `\nhallpass-docs-listening http://${host === '[::]' ? '127.0.0.1' : host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}\n`,
      );
    }
  });
  return listen.apply(this, args);
};
