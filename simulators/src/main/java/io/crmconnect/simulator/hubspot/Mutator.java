package io.crmconnect.simulator.hubspot;

import io.crmconnect.simulator.common.Mutations;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies creates, updates, deletes, merges and association changes at a set rate, in bursts that share one
 * timestamp, so incremental readers see realistic churn. Deterministic for a given seed and call sequence.
 */
final class Mutator extends Mutations {
    private final Store store;
    private final Records records;
    private final DataGenerator gen;
    final AtomicLong creates = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    final AtomicLong merges = new AtomicLong();
    final AtomicLong associationChanges = new AtomicLong();

    Mutator(Store store, Records records, DataGenerator gen) {
        super("hubspot-sim-mutator");
        this.store = store;
        this.records = records;
        this.gen = gen;
    }

    /** Applies {@code n} random operations sharing one timestamp. */
    @Override
    public void applyBurst(int n) {
        if (n <= 0) {
            return;
        }
        long now = store.clock.millis();
        SplittableRandom rnd;
        synchronized (gen) {
            rnd = gen.random().split();
        }
        String[] types = {"contacts", "contacts", "companies", "deals"};
        for (int i = 0; i < n; i++) {
            ObjectType t = store.type(types[rnd.nextInt(types.length)]);
            ObjectTable tab = store.table(t);
            int op = rnd.nextInt(100);
            try {
                if (op < 30 || tab.live.isEmpty()) {
                    Map<String, String> p;
                    synchronized (gen) {
                        p = t.name.equals("contacts")
                                ? gen.contact((int) (store.idSeq.get() % 1_000_000))
                                : t.name.equals("companies")
                                        ? gen.company((int) store.idSeq.get())
                                        : gen.deal((int) store.idSeq.get());
                    }
                    records.createRecord(t, p, null, now, "API", true);
                    creates.incrementAndGet();
                } else if (op < 80) {
                    Rec r = randomLive(tab, rnd);
                    String prop =
                            t.name.equals("contacts") ? "jobtitle" : t.name.equals("companies") ? "city" : "amount";
                    String v = prop.equals("amount")
                            ? Integer.toString(rnd.nextInt(100_000))
                            : prop.equals("city")
                                    ? DataGenerator.CITIES[rnd.nextInt(DataGenerator.CITIES.length)]
                                    : DataGenerator.TITLES[rnd.nextInt(DataGenerator.TITLES.length)];
                    records.updateRecord(t, r, Map.of(prop, v), now, "API", true);
                    updates.incrementAndGet();
                } else if (op < 88) {
                    Rec r = randomLive(tab, rnd);
                    records.archiveRecord(t, r.id, now);
                    deletes.incrementAndGet();
                } else if (op < 92 && tab.live.size() > 2) {
                    Rec a = randomLive(tab, rnd);
                    Rec b = randomLive(tab, rnd);
                    if (a.id != b.id) {
                        records.mergeRecords(t, a.id, b.id, now);
                        merges.incrementAndGet();
                    }
                } else {
                    ObjectTable companies = store.table(store.type("companies"));
                    ObjectTable contacts = store.table(store.type("contacts"));
                    if (!companies.live.isEmpty() && !contacts.live.isEmpty()) {
                        Rec c = randomLive(contacts, rnd);
                        Rec co = randomLive(companies, rnd);
                        if (rnd.nextBoolean()) {
                            store.associations.add("0-1", c.id, "0-2", co.id, 279);
                        } else {
                            store.associations.remove("0-1", c.id, "0-2", co.id, null);
                        }
                        associationChanges.incrementAndGet();
                    }
                }
            } catch (ApiException e) {
                // skipped: conflicting random operation
            }
        }
    }

    private static Rec randomLive(ObjectTable tab, SplittableRandom rnd) {
        Long first = tab.live.firstKey();
        Long last = tab.live.lastKey();
        long pick = first + (long) (rnd.nextDouble() * (last - first + 1));
        Map.Entry<Long, Rec> e = tab.live.ceilingEntry(pick);
        return e != null ? e.getValue() : tab.live.firstEntry().getValue();
    }

    @Override
    protected void counts(Map<String, Object> m) {
        m.put("creates", creates.get());
        m.put("updates", updates.get());
        m.put("deletes", deletes.get());
        m.put("merges", merges.get());
        m.put("associationChanges", associationChanges.get());
    }
}
