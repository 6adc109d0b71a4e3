// `npm run gateway`: the Telegram gateway (docker-compose's `gateway` service).
// The MTProto transport (GramJS) is the next step of the project; until it lands,
// this entry says so plainly rather than pretending to run.
import { runEntrypoint, startup } from '../common/entrypoint.ts';

runEntrypoint(async () => {
  startup({ claude: false });
  throw new Error(
    'The Telegram transport is not built yet. Talk to the assistant locally with `npm run chat` while `npm start` runs.',
  );
});
