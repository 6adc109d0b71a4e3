// `npm run rotate-payload-key`: a new key encrypts from the next start on; the former
// keys stay in the keyring, so history written with them is still read. Restart every
// process (worker, gateway, codec server) afterwards.
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { rotatePayloadKey } from '../infra/payload-keys.ts';

runEntrypoint(async () => {
  const config = startup({ claude: false, owner: false });
  const rotated = rotatePayloadKey(config);
  process.stdout.write(
    rotated.keyFile
      ? `A new payload key is first in ${rotated.keyFile} (${rotated.keyCount} keys kept). Restart the assistant, its workers and the codec server to use it.\n`
      : `${rotated.instructions}\n`,
  );
});
