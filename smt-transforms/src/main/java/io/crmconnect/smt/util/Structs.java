package io.crmconnect.smt.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.kafka.connect.data.Struct;

/**
 * Fast filling of freshly created Structs. {@link Struct#put(org.apache.kafka.connect.data.Field, Object)}
 * re-validates every value and builds a message string per call, which dominates the cost of copying a 20-field
 * record. The transforms copy values whose schema is identical to the one they were validated against, or values
 * they produced themselves for a schema derived at bind time; for those, this class writes straight into the new
 * Struct's value array through a {@link VarHandle} resolved once at class load. When the handle is not available
 * (a future Kafka version renames the field) every write falls back to the validating {@code put}.
 */
public final class Structs {
    private static final VarHandle VALUES = resolve();

    private Structs() {}

    private static VarHandle resolve() {
        if (Boolean.getBoolean("crmconnect.smt.validatingPut")) {
            return null;
        }
        try {
            VarHandle h = MethodHandles.privateLookupIn(Struct.class, MethodHandles.lookup())
                    .findVarHandle(Struct.class, "values", Object[].class);
            // self-check: the array must be the one Struct.get reads
            Struct probe = new Struct(org.apache.kafka.connect.data.SchemaBuilder.struct()
                    .field("f", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
                    .build());
            ((Object[]) h.get(probe))[0] = "probe";
            return "probe".equals(probe.get("f")) ? h : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Whether direct writes are in use (false means every write is a validating put). */
    public static boolean direct() {
        return VALUES != null;
    }

    /** The value array of a struct this transform has just created, or {@code null} to use {@code put}. */
    public static Object[] values(Struct fresh) {
        return VALUES == null ? null : (Object[]) VALUES.get(fresh);
    }
}
