// The Modbus simulator in a process of its own, as a relay board is a device of its own: the door
// bench measures the hub's path, not the simulator sharing the hub's event loop. Prints one JSON
// line with where it listens, then serves until killed.
import { startSimulator } from '@roomhub/firmware-bridge/simulator';

const mode = process.argv[2];
const sim =
  mode === 'rtu'
    ? await startSimulator({
        rtu: {
          path: process.argv[3]!,
          baudRate: 9600,
          parity: 'even',
          dataBits: 8,
          stopBits: 1,
          wireTime: true,
        },
      })
    : await startSimulator({ tcp: { port: 0 } });
console.log(JSON.stringify({ tcp: sim.tcp, rtuPath: sim.rtuPath }));
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
