package io.crmconnect.simulator.http;

import io.crmconnect.simulator.common.FaultRule;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response as {@link SimHttpServer} writes it; each simulator's response type extends it with its factories. */
public class Response {
    public final int status;
    /** The first {@link #len} bytes are the body. */
    public final byte[] body;

    public final int len;
    public final Map<String, String> headers = new LinkedHashMap<>();
    public String contentType;
    /** The injected fault that shaped this response, if any (its wire fault is applied while writing). */
    public FaultRule<?, ?> fault;

    protected Response(int status, byte[] body, int len, String contentType) {
        this.status = status;
        this.body = body;
        this.len = len;
        this.contentType = contentType;
    }

    /** The body as an array of exactly {@link #len} bytes. */
    public byte[] bytes() {
        return len == body.length ? body : Arrays.copyOf(body, len);
    }
}
