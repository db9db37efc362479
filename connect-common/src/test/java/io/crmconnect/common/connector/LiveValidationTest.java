package io.crmconnect.common.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class LiveValidationTest {
    private static final ConfigDef DEF = new ConfigDef()
            .define("url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "where")
            .define("table", ConfigDef.Type.STRING, "t", ConfigDef.Importance.HIGH, "what");

    @Test
    void staticErrorsOnOwnKeysStopLiveChecksButOthersDoNot() {
        Config result = new Config(DEF.validate(Map.of()));
        assertTrue(LiveValidation.hasStaticErrors(result, DEF), "url has no default and is missing");

        ConfigValue foreign = new ConfigValue("transforms");
        foreign.addErrorMessage("not ours");
        ConfigValue url = new ConfigValue("url");
        assertFalse(LiveValidation.hasStaticErrors(new Config(List.of(url, foreign)), DEF));
    }

    @Test
    void aConfigExceptionIsReportedOnTheKeyItNames() {
        Map<String, ConfigValue> byKey =
                LiveValidation.byKey(new Config(List.of(new ConfigValue("url"), new ConfigValue("table"))));
        LiveValidation.report(new ConfigException("table", "x y", "must be a logical name"), byKey, "url");
        assertEquals(1, byKey.get("table").errorMessages().size());
        assertTrue(byKey.get("url").errorMessages().isEmpty());

        LiveValidation.report(new ConfigException("password and private key are both set"), byKey, "url");
        assertEquals(
                List.of("password and private key are both set"),
                byKey.get("url").errorMessages());
        assertEquals("url", LiveValidation.keyOf(new ConfigException("other.key", "v", "bad"), byKey, "url"));
    }

    @Test
    void liveChecksAreCutOffAtTheLimitAndFailuresAreSaid() throws InterruptedException {
        List<String> problems = new ArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        LiveValidation.bounded(
                "Snowflake",
                "test-validate",
                Duration.ofMillis(200),
                () -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                problems::add);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        assertEquals(List.of("Snowflake did not answer within 200 ms"), problems);

        problems.clear();
        LiveValidation.bounded(
                "BigQuery",
                "test-validate",
                Duration.ofSeconds(5),
                () -> {
                    throw new IllegalStateException("no such dataset");
                },
                problems::add);
        assertEquals(List.of("BigQuery check failed: no such dataset"), problems);

        problems.clear();
        LiveValidation.bounded("X", "test-validate", Duration.ofSeconds(5), () -> {}, problems::add);
        assertTrue(problems.isEmpty());
    }
}
