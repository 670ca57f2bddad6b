// A customer's backend driving Graphgate with Nango's Node SDK, unchanged: only its host and secret key point at
// Graphgate. Run by NodeSdkTest, which checks what this prints (one JSON object) against the emulator's ground truth.
//
//   node sync-client.mjs sync <integration> <connection> <sync> <model>   trigger a run, wait for its end, list records
//   node sync-client.mjs action <integration> <connection> <action> <input as JSON>
//
// GRAPHGATE_URL and GRAPHGATE_SECRET_KEY name the server.
import { Nango } from '@nangohq/node';

const nango = new Nango({ host: process.env.GRAPHGATE_URL, secretKey: process.env.GRAPHGATE_SECRET_KEY });
const [mode, integration, connection, name, last] = process.argv.slice(2);

async function status() {
  const answer = await nango.syncStatus(integration, [name], connection);
  return answer.syncs.find((s) => s.name === name);
}

/** Every record of the model, page by page through next_cursor, with the SDK's filter when given. */
async function allRecords(model, filter) {
  const records = [];
  let cursor = null;
  let pages = 0;
  do {
    const page = await nango.listRecords({ providerConfigKey: integration, connectionId: connection, model, limit: 7, cursor, filter });
    records.push(...page.records);
    cursor = page.next_cursor;
    pages++;
  } while (cursor);
  return { pages, records };
}

const ids = (result) => result.records.map((r) => r.id);

if (mode === 'sync') {
  const before = (await status())?.finishedAt ?? null;
  await nango.triggerSync(integration, [name], connection);
  let run;
  const deadline = Date.now() + 90_000;
  for (;;) {
    run = await status();
    if (run && run.status !== 'RUNNING' && run.finishedAt && run.finishedAt !== before) break;
    if (Date.now() > deadline) throw new Error('the triggered run did not end: ' + JSON.stringify(run));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const all = await allRecords(last);
  console.log(JSON.stringify({
    run,
    pages: all.pages,
    all: all.records.map((r) => ({ id: r.id, action: r._nango_metadata.last_action, cursor: r._nango_metadata.cursor })),
    added: ids(await allRecords(last, 'added')),
    updated: ids(await allRecords(last, 'updated')),
    deleted: ids(await allRecords(last, 'deleted')),
    updatedOrDeleted: ids(await allRecords(last, 'updated,deleted')),
  }));
} else if (mode === 'action') {
  const output = await nango.triggerAction(integration, connection, name, JSON.parse(last));
  console.log(JSON.stringify({ output }));
} else {
  throw new Error('unknown mode ' + mode);
}
