// The baseline for the bookings benchmark: express 5 with express.json() and one POST that answers
// 201 with a body shaped and sized like a booking, and does nothing else (no validation, no
// database). Run as its own process so it is measured exactly like the hub.
import express from 'express';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const port = Number(process.env.BARE_PORT ?? 0);
const host = '127.0.0.1';

let seq = 0;
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb', strict: true }));
app.post('/api/bookings', (req, res) => {
  const body = (req.body ?? {}) as {
    roomId?: string;
    start?: string;
    end?: string;
    partySize?: number;
    customer?: { phone?: string };
  };
  const start = body.start ?? '';
  const end = body.end ?? '';
  seq += 1;
  res.status(201).json({
    id: randomUUID().replaceAll('-', ''),
    number: `20261122${String(seq).padStart(4, '0')}`,
    status: 'pending_payment',
    room: { id: body.roomId ?? '', name: 'Bench 001' },
    start,
    end,
    minutes: 60,
    partySize: body.partySize ?? 1,
    customer: { phone: body.customer?.phone ?? '', name: null },
    packageId: null,
    lines: [
      {
        kind: 'time',
        label: 'workday · base rate · 60 min',
        date: start.slice(0, 10),
        dayType: 'workday',
        band: null,
        start,
        end,
        minutes: 60,
        rate: 3800,
        amount: 3800,
      },
    ],
    total: 3800,
    paid: 0,
    due: 3800,
    holdExpiresAt: '2026-11-22T11:26:08+08:00',
    changes: 0,
    createdAt: '2026-11-22T11:11:08+08:00',
    updatedAt: '2026-11-22T11:11:08+08:00',
  });
});

const server = app.listen(port, host, () => {
  const { port: actual } = server.address() as AddressInfo;
  console.log(`bare express listening on http://${host}:${actual}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
