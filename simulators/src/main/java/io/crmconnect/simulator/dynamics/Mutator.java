package io.crmconnect.simulator.dynamics;

import io.crmconnect.simulator.common.Mutations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Edits, creates and deletes rows at a set rate as a human user (not the application user), in bursts that share
 * one modifiedon second, so change-tracking readers and the two-way sync see realistic churn. Deterministic for a
 * seed and call sequence.
 */
final class Mutator extends Mutations {
    private static final String[] TABLES = {
        "contact", "contact", "contact", "account", "lead", "opportunity", "crmc_project"
    };

    private final Store store;
    private final DataGenerator gen;
    private final String userId;
    private final SplittableRandom r;
    final AtomicLong creates = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();

    Mutator(Store store, DataGenerator gen, String userId, long seed) {
        super("dynamics-sim-mutator");
        this.store = store;
        this.gen = gen;
        this.userId = userId;
        this.r = new SplittableRandom(seed ^ 0x1234_5678_9ABCL);
    }

    /** Applies n operations now, all stamped with the same time. */
    @Override
    public void applyBurst(int n) {
        if (n <= 0) {
            return;
        }
        store.lock.writeLock().lock();
        try {
            long now = store.clock.millis();
            for (int i = 0; i < n; i++) {
                try {
                    one(now);
                } catch (DataverseException e) {
                    // a random edit that breaks a key is skipped, as a user's failed save would be
                }
            }
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    private void one(long now) {
        TableDef t = store.schema.table(TABLES[r.nextInt(TABLES.length)]);
        Store.Table tab = store.table(t);
        int op = r.nextInt(10);
        if (op < 2 || tab.rows.isEmpty()) {
            Map<String, Object> v = switch (t.logicalName) {
                case "contact" -> gen.contact(10_000_000 + (int) creates.get());
                case "account" -> gen.account(10_000_000 + (int) creates.get());
                case "lead" -> gen.lead(10_000_000 + (int) creates.get());
                case "opportunity" -> gen.opportunity(10_000_000 + (int) creates.get());
                default -> gen.project(10_000_000 + (int) creates.get());
            };
            Map<Attr, Object> values = new LinkedHashMap<>();
            v.forEach((k, x) -> {
                if (x != null) {
                    values.put(t.byLogical.get(k), x);
                }
            });
            store.insert(t, null, values, userId, now);
            creates.incrementAndGet();
            return;
        }
        Map.Entry<String, Row> e = tab.rows.ceilingEntry(String.format("%08x", r.nextInt() & 0xffffffffL));
        Row row = e != null ? e.getValue() : tab.rows.firstEntry().getValue();
        if (op == 2) {
            store.delete(t, row, now);
            deletes.incrementAndGet();
            return;
        }
        Map<Attr, Object> ch = new HashMap<>();
        List<Attr> editable = new ArrayList<>();
        for (Attr a : t.attrs) {
            if ((a.type == AttrType.STRING
                            || a.type == AttrType.MEMO
                            || a.type == AttrType.INTEGER
                            || a.type == AttrType.MONEY)
                    && a.validForUpdate
                    && !a.computed
                    && !a.primaryName
                    && t.keys.stream().noneMatch(k -> k.attributes().contains(a.logicalName))) {
                editable.add(a);
            }
        }
        Attr a = editable.get(r.nextInt(editable.size()));
        switch (a.type) {
            case INTEGER -> ch.put(a, r.nextInt(1000));
            case MONEY -> ch.put(a, BigDecimal.valueOf(r.nextInt(1_000_000), 2).setScale(4));
            default -> {
                String s = "Edited " + Long.toString(r.nextLong() & 0xffffff, 36);
                ch.put(a, s.length() > a.maxLength ? s.substring(0, a.maxLength) : s);
            }
        }
        store.update(t, row, ch, userId, now);
        updates.incrementAndGet();
    }

    @Override
    protected void counts(Map<String, Object> m) {
        m.put("creates", creates.get());
        m.put("updates", updates.get());
        m.put("deletes", deletes.get());
    }
}
