package io.crmconnect.hubspot.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Splits a batch into rounds so that operations on one key apply in offset order: a record goes to the round after
 * the last round holding any of its keys. Records of one round share no key, so each round's writes may be batched
 * and run concurrently; rounds run one after the other ([upsert k, delete k] leaves k deleted).
 */
final class OperationOrder {
    private OperationOrder() {}

    /**
     * @param items in offset order
     * @param keys  the keys of an item (null entries ignored): its identity, its Kafka key, ...
     */
    static <T> List<List<T>> rounds(List<T> items, Function<T, List<String>> keys) {
        List<List<T>> rounds = new ArrayList<>();
        Map<String, Integer> lastRound = new HashMap<>();
        for (T it : items) {
            List<String> ks = keys.apply(it);
            int round = 0;
            for (String k : ks) {
                if (k != null) {
                    Integer last = lastRound.get(k);
                    if (last != null && last + 1 > round) {
                        round = last + 1;
                    }
                }
            }
            for (String k : ks) {
                if (k != null) {
                    lastRound.put(k, round);
                }
            }
            while (rounds.size() <= round) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(it);
        }
        return rounds;
    }
}
