// Drives the dynamics-web-api client (unchanged) against the Dynamics simulator at SIM_BASE_URL.
// Every step checks what the client returns; any deviation from the documented protocol fails the client.
"use strict";
const assert = require("node:assert/strict");
const { DynamicsWebApi } = require("dynamics-web-api");

const base = process.env.SIM_BASE_URL;
const tenant = process.env.SIM_TENANT_ID;
const clientId = process.env.SIM_CLIENT_ID;
const secret = process.env.SIM_CLIENT_SECRET;

async function token() {
  // the client-credentials flow, as an Entra ID app would call it
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret,
    scope: base + "/.default" });
  const r = await fetch(`${base}/${tenant}/oauth2/v2.0/token`, { method: "POST", body });
  assert.equal(r.status, 200);
  return (await r.json()).access_token;
}

let passed = 0;
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log("ok   " + name);
  } catch (e) {
    failed++;
    console.log("FAIL " + name + ": " + (e && e.stack ? e.stack : e));
  }
}

(async () => {
  const api = new DynamicsWebApi({ serverUrl: base, dataApi: { version: "9.2" }, onTokenRefresh: token });

  await step("WhoAmI", async () => {
    const me = await api.callFunction("WhoAmI");
    assert.match(me.UserId, /^[0-9a-f-]{36}$/);
  });

  await step("retrieveMultiple with maxPageSize and annotations", async () => {
    const page = await api.retrieveMultiple({ collection: "contacts", select: ["fullname", "creditlimit",
      "_parentcustomerid_value"], maxPageSize: 10, includeAnnotations: "*" });
    assert.equal(page.value.length, 10);
    assert.ok(page.oDataNextLink, "nextLink");
    const withParent = page.value.find((r) => r._parentcustomerid_value);
    if (withParent) {
      assert.equal(withParent._parentcustomerid_value_LogicalName, "account");
      assert.ok(withParent._parentcustomerid_value_Formatted);
      assert.equal(withParent._parentcustomerid_value_NavigationProperty, "parentcustomerid_account");
    }
  });

  await step("retrieveAll follows every nextLink", async () => {
    const all = await api.retrieveAll({ collection: "contacts", select: ["fullname"], maxPageSize: 40 });
    assert.equal(all.value.length, Number(process.env.SIM_CONTACTS));
    assert.equal(new Set(all.value.map((r) => r.contactid)).size, all.value.length);
  });

  await step("filter, orderBy, top, count", async () => {
    const r = await api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: "statecode eq 0",
      orderBy: ["name desc"], top: 3 });
    assert.equal(r.value.length, 3);
    const n = await api.count({ collection: "contacts" });
    assert.equal(n, Number(process.env.SIM_CONTACTS));
  });

  await step("change tracking: initial load, deltaLink, delta with a delete", async () => {
    const initial = await api.retrieveAll({ collection: "accounts", select: ["name"], trackChanges: true,
      maxPageSize: 5 });
    assert.ok(initial.oDataDeltaLink, "deltaLink on the last page");
    const victim = initial.value[0].accountid;
    await api.deleteRecord({ collection: "accounts", key: victim });
    const changes = await api.retrieveMultiple({ collection: "accounts", select: ["name"], deltaLink:
      initial.oDataDeltaLink }, initial.oDataDeltaLink);
    const deleted = changes.value.filter((v) => v.reason === "deleted").map((v) => v.id);
    assert.deepEqual(deleted, [victim]);
  });

  let created;
  await step("create with returnRepresentation and a lookup bind", async () => {
    const accounts = await api.retrieveMultiple({ collection: "accounts", select: ["accountid"], top: 1 });
    const rec = await api.create({ collection: "contacts", data: { firstname: "Node", lastname: "Client",
      emailaddress1: "node.client@dwa.example",
      "parentcustomerid_account@odata.bind": `accounts(${accounts.value[0].accountid})` },
    returnRepresentation: true, select: ["fullname", "_parentcustomerid_value"] });
    assert.equal(rec.fullname, "Node Client");
    assert.equal(rec._parentcustomerid_value, accounts.value[0].accountid);
    created = rec.contactid;
  });

  await step("update with ifmatch; a stale etag is a 412, which the client reports as false", async () => {
    const rec = await api.retrieve({ collection: "contacts", key: created, select: ["jobtitle"] });
    const ok = await api.update({ collection: "contacts", key: created, data: { jobtitle: "Tester" },
      ifmatch: rec["@odata.etag"] });
    assert.equal(ok, true);
    assert.equal(await api.update({ collection: "contacts", key: created, data: { jobtitle: "Stale" },
      ifmatch: rec["@odata.etag"] }), false);
  });

  await step("upsert by alternate key", async () => {
    await api.upsert({ collection: "contacts", key: "emailaddress1='upsert@dwa.example'", data: {
      lastname: "Upserted" } });
    const r = await api.retrieve({ collection: "contacts", key: "emailaddress1='upsert@dwa.example'",
      select: ["lastname"] });
    assert.equal(r.lastname, "Upserted");
  });

  await step("errors: unknown property and unknown entity set", async () => {
    await assert.rejects(api.create({ collection: "contacts", data: { nope: 1 } }),
      (e) => e.status === 400 && e.code === "0x80048d19");
    // (the client lower-cases collection names, so a wrong case cannot be tried through it)
    await assert.rejects(api.retrieveMultiple({ collection: "nosuchtables" }),
      (e) => e.status === 404 && e.code === "0x8006088a");
  });

  await step("batch with a change set and a GET", async () => {
    api.startBatch();
    api.create({ collection: "accounts", data: { name: "DWA Batch 1" } });
    api.create({ collection: "accounts", data: { name: "DWA Batch 2" } });
    api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: "startswith(name,'DWA Batch')" });
    const results = await api.executeBatch({ inChangeSet: true });
    assert.equal(results.length, 3);
    assert.match(results[0], /^[0-9a-f-]{36}$/);
    assert.equal(results[2].value.length, 2);
  });

  await step("metadata: entity definition with keys", async () => {
    const e = await api.retrieveEntity({ key: "LogicalName='contact'", select: ["EntitySetName",
      "PrimaryIdAttribute"], expand: [{ property: "Keys", select: ["KeyAttributes"] }] });
    assert.equal(e.EntitySetName, "contacts");
    assert.ok(e.Keys.some((k) => k.KeyAttributes.join() === "emailaddress1"));
  });

  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
