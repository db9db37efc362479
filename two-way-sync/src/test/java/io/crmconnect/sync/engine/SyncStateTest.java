package io.crmconnect.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncStateTest {
    @Test
    void roundTripsAndNeverHoldsValues() {
        SyncState s = new SyncState(
                1733400000123L,
                0L,
                Map.of(
                        "email",
                        SyncState.fingerprint("email", "ada@example.com"),
                        "phone",
                        SyncState.fingerprint("phone", null)));
        String text = s.encode();
        assertEquals(s, SyncState.decode(text));
        assertFalse(text.contains("ada"), text);
        assertEquals("-", s.base("phone"));
        assertEquals(8, s.base("email").length());
        SyncState pending = new SyncState(7L, 3L, true, Map.of("email", "12345678"));
        assertEquals(pending, SyncState.decode(pending.encode()));
        assertFalse(s.linkBack());
    }

    @Test
    void fingerprintsDependOnFieldAndValue() {
        assertNotEquals(SyncState.fingerprint("a", "x"), SyncState.fingerprint("b", "x"));
        assertNotEquals(SyncState.fingerprint("a", "x"), SyncState.fingerprint("a", "y"));
        assertEquals(SyncState.fingerprint("a", ""), SyncState.fingerprint("a", null));
    }

    @Test
    void anythingElseIsNoState() {
        assertSame(SyncState.NONE, SyncState.decode(null));
        assertSame(SyncState.NONE, SyncState.decode("hand edited"));
        assertSame(SyncState.NONE, SyncState.decode("s1;t=abc"));
        assertSame(SyncState.NONE, SyncState.decode("s1;t=1;broken"));
    }

    @Test
    void latestIsTheOneWrittenLast() {
        SyncState a = new SyncState(5, 0L, Map.of("f", "00000001"));
        SyncState b = new SyncState(7, 0L, Map.of("f", "00000002"));
        assertSame(b, SyncState.latest(a, b));
        assertSame(b, SyncState.latest(b, a));
        assertSame(a, SyncState.latest(a, SyncState.NONE));
        assertSame(a, SyncState.latest(null, a));
    }
}
