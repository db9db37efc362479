package io.crmconnect.testharness;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record from a dead-letter topic with its headers decoded as UTF-8, e.g.
 * {@code __connect.errors.exception.message} when the connector has
 * {@code errors.deadletterqueue.context.headers.enable=true}.
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, Map<String, String> headers) {

    public String key() {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    public String value() {
        return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String exceptionMessage() {
        return headers.get("__connect.errors.exception.message");
    }

    public String exceptionClass() {
        return headers.get("__connect.errors.exception.class.name");
    }

    public String originalTopic() {
        return headers.get("__connect.errors.topic");
    }
}
