// A tiny authoritative DNS server on 127.0.0.1 for tests: answers A queries for the names it is
// given and NXDOMAIN for the rest (the machine has no network, so real resolvers are no use).
import { createSocket } from 'node:dgram';

export interface TestDnsServer {
  address: string;
  close(): Promise<void>;
}

export function startDnsServer(records: Record<string, string>): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    // The question: labels up to a zero byte, then type and class.
    let i = 12;
    const labels: string[] = [];
    while (i < msg.length && msg[i] !== 0) {
      const len = msg[i]!;
      labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
      i += len + 1;
    }
    const question = msg.subarray(12, i + 5);
    const qtype = msg.readUInt16BE(i + 1);
    const ip = records[labels.join('.').toLowerCase()];
    const answer = ip && qtype === 1;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    header.writeUInt16BE(0x8400 | (ip ? 0 : 3), 2); // response, authoritative; rcode 3 = NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    const parts = [header, question];
    if (answer) {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // pointer to the name in the question
      rr.writeUInt16BE(1, 2); // A
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(4, 10);
      ip.split('.').forEach((o, k) => rr.writeUInt8(Number(o), 12 + k));
      parts.push(rr);
    }
    socket.send(Buffer.concat(parts), rinfo.port, rinfo.address);
  });
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () => {
      const a = socket.address();
      resolve({ address: `127.0.0.1:${a.port}`, close: () => new Promise((r) => socket.close(() => r())) });
    });
  });
}
