// `npm start` runs this beside the cloud service: the local Meituan and Douyin simulators in place
// of the platforms, on MEITUAN_SIM_PORT and DOUYIN_SIM_PORT, checking the app credentials the
// launcher gives both this process and the cloud (MEITUAN_DEVELOPER_ID / MEITUAN_SIGN_KEY,
// DOUYIN_CLIENT_KEY / DOUYIN_CLIENT_SECRET). It prints their URLs; their demo codes are at
// GET /__sim/demo of each (the launcher prints them). In-memory: a restart gives the demo codes
// back unused.
import { startDouyinSimulator } from './douyin-simulator';
import { startMeituanSimulator } from './meituan-simulator';

const env = process.env;
const need = (name: string) => {
  const value = env[name];
  if (!value) {
    console.error(`set ${name}: the simulator checks the cloud's requests with it`);
    process.exit(2);
  }
  return value;
};
const port = (name: string, fallback: number) => {
  const n = Number(env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number, got ${env[name]}`);
    process.exit(2);
  }
  return n;
};
const host = env.VOUCHER_SIM_HOST ?? '127.0.0.1';

try {
  const mt = await startMeituanSimulator({
    developerId: need('MEITUAN_DEVELOPER_ID'),
    signKey: need('MEITUAN_SIGN_KEY'),
    host,
    port: port('MEITUAN_SIM_PORT', 8093),
  });
  const dy = await startDouyinSimulator({
    clientKey: need('DOUYIN_CLIENT_KEY'),
    clientSecret: need('DOUYIN_CLIENT_SECRET'),
    host,
    port: port('DOUYIN_SIM_PORT', 8094),
  });
  console.log(`Voucher simulators ${mt.url} ${dy.url}`);
  const stop = () => void Promise.all([mt.close(), dy.close()]).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  console.error(
    err.code === 'EADDRINUSE'
      ? `port already in use (${err.message}); set MEITUAN_SIM_PORT / DOUYIN_SIM_PORT to others`
      : (err.message ?? err),
  );
  process.exit(1);
}
